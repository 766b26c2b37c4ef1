using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Personalize.TestSupport;

namespace Personalize.Cluster.Tests;

/// <summary>One simulated shopper: its connection and the ledger of what it sent and what was acknowledged.</summary>
public sealed class ShopperRun(string id, ShopperKind kind, int index)
{
    private const int Products = 8;
    private const string OrderKey = "order";
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
    /// <summary>The next event, and the ledger key it changes: the product for a basket line, "order" for an order.</summary>
    public (object Event, string Key) NextEvent(int n)
    {
        var eventId = Guid.NewGuid().ToString("N");
        if (Kind == ShopperKind.Orders)
            return (new { id = eventId, type = "purchase", orderId = "o-" + eventId, orderTotal = 10.0m }, OrderKey);
        var productId = n == 0 ? ShopperTraffic.GiftProduct : $"p{n % Products}";
        return (new { id = eventId, type = "add_to_cart", productId, price = 1.0m, quantity = 1 }, productId);
    }

    public void Sent(string key) { lock (_lock) Bump(_sent, key); }

    public void Acknowledged(string key)
    {
        lock (_lock)
        {
            Bump(_acknowledged, key);
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
                found[OrderKey] = view.GetProperty("orders").GetInt32();

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

    private static void Bump(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
