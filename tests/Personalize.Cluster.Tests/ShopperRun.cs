using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Personalize.TestSupport;

namespace Personalize.Cluster.Tests;

/// <summary>One simulated shopper: its connection and the ledger of what it sent and what was acknowledged.</summary>
public sealed class ShopperRun(string id, ShopperKind kind, int index)
{
    private const int Products = 8;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _acknowledged = new(StringComparer.Ordinal);
    private readonly List<(string Id, int Connection)> _pushes = [];
    private readonly List<DateTimeOffset> _acks = [];
    private readonly List<DateTimeOffset> _failures = [];

    public string Id { get; } = id;
    public ShopperKind Kind { get; } = kind;
    public int Index { get; } = index;
    public string Token { get; set; } = "";
    public HubConnection? Connection { get; set; }
    public ServiceProcess? Gateway { get; set; }
    /// <summary>How many connections this shopper has opened (1 unless its gateway went away).</summary>
    public int Connections { get; set; }

    public IReadOnlyList<DateTimeOffset> Acks { get { lock (_lock) return [.. _acks]; } }
    public IReadOnlyList<DateTimeOffset> Failures { get { lock (_lock) return [.. _failures]; } }
    public IReadOnlyList<(string Id, int Connection)> Pushes { get { lock (_lock) return [.. _pushes]; } }

    /// <summary>Basket shoppers add the gift first (a trigger may push an offer for it), then rotate over a few products.</summary>
    public object NextEvent(int n)
    {
        var eventId = Guid.NewGuid().ToString("N");
        return Kind == ShopperKind.Basket
            ? new { id = eventId, type = "add_to_cart", productId = n == 0 ? ShopperTraffic.GiftProduct : $"p{n % Products}", price = 1.0m, quantity = 1 }
            : new { id = eventId, type = "purchase", orderId = "o-" + eventId, orderTotal = 10.0m };
    }

    public void Sent(object shopperEvent) { lock (_lock) Bump(_sent, KeyOf(shopperEvent)); }

    public void Acknowledged(object shopperEvent)
    {
        lock (_lock)
        {
            Bump(_acknowledged, KeyOf(shopperEvent));
            _acks.Add(DateTimeOffset.UtcNow);
        }
    }

    public void Failed() { lock (_lock) _failures.Add(DateTimeOffset.UtcNow); }

    public void Pushed(string pushId, int connection) { lock (_lock) _pushes.Add((pushId, connection)); }

    /// <summary>Everything acknowledged must be found; nothing beyond what was sent may be.</summary>
    public void Compare(JsonElement view, LedgerCheck check)
    {
        lock (_lock)
        {
            var found = new Dictionary<string, int>(StringComparer.Ordinal);
            if (Kind == ShopperKind.Basket)
                foreach (var line in view.GetProperty("basket").GetProperty("lines").EnumerateArray())
                    found[line.GetProperty("productId").GetString()!] = line.GetProperty("quantity").GetInt32();
            else
                found["order"] = view.GetProperty("orders").GetInt32();

            check.Sent += _sent.Values.Sum();
            check.Acknowledged += _acknowledged.Values.Sum();
            check.Found += found.Values.Sum();
            foreach (var key in _sent.Keys.Union(found.Keys))
            {
                int sent = _sent.GetValueOrDefault(key), acked = _acknowledged.GetValueOrDefault(key), have = found.GetValueOrDefault(key);
                if (have < acked || have > sent)
                    check.Problems.Add($"{Id} {key}: sent {sent}, acknowledged {acked}, found {have}");
            }
        }
    }

    private static string KeyOf(object shopperEvent) =>
        JsonSerializer.SerializeToElement(shopperEvent) is var e && e.GetProperty("type").GetString() == "purchase"
            ? "order"
            : e.GetProperty("productId").GetString()!;

    private static void Bump(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
