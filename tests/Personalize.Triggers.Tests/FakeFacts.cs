using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

/// <summary>One event in the fake click stream.</summary>
public readonly record struct Click(DateTimeOffset At, string Type, string? ProductId = null, string? CategoryId = null, string? Channel = "web");

/// <summary>
/// An in-memory fact source with an injectable clock. Values live in arrays indexed by fact, so answering
/// allocates nothing and the allocation test measures the evaluator alone.
/// </summary>
public sealed class FakeFacts : IFactSource
{
    private readonly string?[] _texts = new string?[(int)Fact.Count + 1];
    private readonly double?[] _numbers = new double?[(int)Fact.Count + 1];
    private readonly bool[] _flags = new bool[(int)Fact.Count + 1];

    public DateTimeOffset Now { get; set; } = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public List<string> BasketProducts { get; } = [];

    public List<string> BasketCategories { get; } = [];

    public List<Click> Clicks { get; } = [];

    public FakeFacts Set(Fact fact, string? text)
    {
        _texts[(int)fact] = text;
        return this;
    }

    public FakeFacts Set(Fact fact, double? number)
    {
        _numbers[(int)fact] = number;
        return this;
    }

    public FakeFacts Set(Fact fact, bool flag)
    {
        _flags[(int)fact] = flag;
        return this;
    }

    public string? GetText(Fact fact) => _texts[(int)fact];

    public double? GetNumber(Fact fact) => _numbers[(int)fact];

    public bool GetFlag(Fact fact) => _flags[(int)fact];

    public bool BasketHasProduct(string productId) => Contains(BasketProducts, productId);

    public bool BasketHasCategory(string categoryId) => Contains(BasketCategories, categoryId);

    /// <summary>How many times <see cref="CountEvents"/> was asked, to check what a catalog shares.</summary>
    public int CountQuestions { get; private set; }

    public int CountEvents(ClickCount count) => CountEvents(count.Filter, Now - count.Window);

    private int CountEvents(ClickFilter filter, DateTimeOffset since)
    {
        CountQuestions++;
        var count = 0;
        foreach (var click in Clicks)
        {
            if (click.At >= since && filter.Matches(click.Type, click.ProductId, click.CategoryId, click.Channel))
            {
                count++;
            }
        }

        return count;
    }

    private static bool Contains(List<string> items, string item)
    {
        foreach (var candidate in items)
        {
            if (candidate == item)
            {
                return true;
            }
        }

        return false;
    }
}
