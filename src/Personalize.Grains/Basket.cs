namespace Personalize.Grains;

/// <summary>Basket arithmetic on the grain's line list, kept apart so the rules are easy to read.</summary>
public static class Basket
{
    public static void Add(List<BasketLine> lines, string productId, string? categoryId, int quantity, decimal? price)
    {
        var i = lines.FindIndex(l => l.ProductId == productId);
        if (i >= 0)
        {
            var line = lines[i];
            lines[i] = line with
            {
                Quantity = line.Quantity + quantity,
                Price = price ?? line.Price,
                CategoryId = categoryId ?? line.CategoryId,
            };
            return;
        }
        // A hostile client cannot grow the basket without bound; the oldest line gives way.
        if (lines.Count >= ShopperLimits.BasketLines) lines.RemoveAt(0);
        lines.Add(new BasketLine { ProductId = productId, CategoryId = categoryId, Quantity = quantity, Price = price ?? 0 });
    }

    public static void Remove(List<BasketLine> lines, string productId, int quantity)
    {
        var i = lines.FindIndex(l => l.ProductId == productId);
        if (i < 0) return;
        var left = lines[i].Quantity - quantity;
        if (left <= 0) lines.RemoveAt(i);
        else lines[i] = lines[i] with { Quantity = left };
    }

    public static decimal Total(List<BasketLine> lines)
    {
        decimal total = 0;
        foreach (var line in lines) total += line.Price * line.Quantity;
        return total;
    }

    public static int Count(List<BasketLine> lines)
    {
        var count = 0;
        foreach (var line in lines) count += line.Quantity;
        return count;
    }

    public static BasketView View(List<BasketLine> lines) =>
        new() { Lines = [.. lines], Count = Count(lines), Total = Total(lines) };
}
