namespace Personalize;

/// <summary>
/// Shape and size rules for a <see cref="ShopperEvent"/>, shared by the hub, the HTTP API and the grain,
/// so a bad event is refused with the same words wherever it enters and changes nothing.
/// </summary>
public static class ShopperEventValidator
{
    public const int MaxIdLength = 64;
    public const int MaxFieldLength = 128;
    public const int MaxQueryLength = 256;
    public const int MaxLines = 100;
    public const int MaxQuantity = 10_000;
    public const decimal MaxMoney = 10_000_000m;

    /// <summary>Returns the problems keyed by field path (prefixed), or an empty list when the event is valid.</summary>
    public static List<KeyValuePair<string, string>> Validate(ShopperEvent? e, bool fromServer, string prefix = "")
    {
        var errors = new List<KeyValuePair<string, string>>();
        void Add(string field, string message) => errors.Add(new(prefix + field, message));

        if (e is null)
        {
            Add("event", "an event object is required");
            return errors;
        }

        if (string.IsNullOrEmpty(e.Id) || e.Id.Length > MaxIdLength)
            Add("id", $"must be 1..{MaxIdLength} characters");

        if (string.IsNullOrEmpty(e.Type))
            Add("type", "is required");
        else if (EventTypes.ServerOnly.Contains(e.Type) && !fromServer)
            Add("type", $"'{e.Type}' is a server-only event: send it from the storefront backend (POST /api/events)");
        else if (!EventTypes.IsKnown(e.Type))
            Add("type", $"unknown event type '{Truncate(e.Type)}'");

        if (e.Channel is not null && !Channels.All.Contains(e.Channel))
            Add("channel", "must be one of: web, app, pos, email");

        CheckText(e.ProductId, "productId", MaxFieldLength);
        CheckText(e.CategoryId, "categoryId", MaxFieldLength);
        CheckText(e.OrderId, "orderId", MaxFieldLength);
        CheckText(e.ReferralCode, "referralCode", MaxFieldLength);
        CheckText(e.NudgeId, "nudgeId", MaxFieldLength);
        CheckText(e.Query, "query", MaxQueryLength);
        CheckText(e.DeviceId, "deviceId", MaxFieldLength);
        CheckText(e.Network, "network", MaxFieldLength);
        CheckMoney(e.Price, "price");
        CheckMoney(e.OrderTotal, "orderTotal");
        if (e.Quantity is < 1 or > MaxQuantity)
            Add("quantity", $"must be 1..{MaxQuantity}");

        switch (e.Type)
        {
            case EventTypes.ProductView or EventTypes.AddToCart or EventTypes.RemoveFromCart:
                Require(e.ProductId, "productId");
                break;
            case EventTypes.Search:
                Require(e.Query, "query");
                break;
            case EventTypes.Purchase:
                Require(e.OrderId, "orderId");
                if (e.OrderTotal is null) Add("orderTotal", $"is required for {e.Type}");
                CheckLines(e.Lines);
                break;
            case EventTypes.Refund:
                Require(e.OrderId, "orderId");
                break;
            case EventTypes.ReferralLanding:
                Require(e.ReferralCode, "referralCode");
                break;
            case EventTypes.NpsResponse:
                if (e.Score is null or < 0 or > 10) Add("score", "must be a whole number 0..10");
                break;
            case EventTypes.NudgeShown or EventTypes.NudgeClicked or EventTypes.NudgeDismissed:
                Require(e.NudgeId, "nudgeId");
                break;
            case EventTypes.Consent:
                if (e.Granted is null) Add("granted", "is required for consent (true or false)");
                break;
        }

        return errors;

        void Require(string? value, string field)
        {
            if (string.IsNullOrEmpty(value)) Add(field, $"is required for {e.Type}");
        }

        void CheckText(string? value, string field, int max)
        {
            if (value is not null && value.Length > max) Add(field, $"must be at most {max} characters");
        }

        void CheckMoney(decimal? value, string field)
        {
            if (value is < 0 or > MaxMoney) Add(field, $"must be 0..{MaxMoney}");
        }

        void CheckLines(IReadOnlyList<OrderLine>? lines)
        {
            if (lines is null) return;
            if (lines.Count > MaxLines)
            {
                Add("lines", $"at most {MaxLines} lines");
                return;
            }
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                if (line is null) { Add($"lines[{i}]", "must be an object"); continue; }
                if (string.IsNullOrEmpty(line.ProductId) || line.ProductId.Length > MaxFieldLength)
                    Add($"lines[{i}].productId", $"must be 1..{MaxFieldLength} characters");
                if (line.Quantity is < 1 or > MaxQuantity) Add($"lines[{i}].quantity", $"must be 1..{MaxQuantity}");
                if (line.Price is < 0 or > MaxMoney) Add($"lines[{i}].price", $"must be 0..{MaxMoney}");
            }
        }
    }

    private static string Truncate(string s) => s.Length <= 32 ? s : s[..32] + "…";
}
