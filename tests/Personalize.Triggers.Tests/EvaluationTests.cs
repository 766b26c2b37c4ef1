using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

public class EvaluationTests
{
    [Theory]
    [InlineData("eq", 50, true)]
    [InlineData("eq", 49, false)]
    [InlineData("ne", 49, true)]
    [InlineData("gt", 49.99, true)]
    [InlineData("gt", 50, false)]
    [InlineData("gte", 50, true)]
    [InlineData("lt", 50.01, true)]
    [InlineData("lt", 50, false)]
    [InlineData("lte", 50, true)]
    public void Number_comparisons(string op, double value, bool expected)
    {
        var facts = new FakeFacts().Set(Fact.BasketTotal, 50.0);
        Assert.Equal(expected, TestTriggers.Holds($$"""{"fact":"basket.total","op":"{{op}}","value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""", facts));
    }

    [Theory]
    [InlineData("eq", false)]
    [InlineData("ne", true)]
    [InlineData("gt", false)]
    [InlineData("lte", false)]
    public void Absent_number_fails_every_comparison_but_ne(string op, bool expected)
    {
        Assert.Equal(expected, TestTriggers.Holds($$"""{"fact":"event.price","op":"{{op}}","value":10}""", new FakeFacts()));
    }

    [Fact]
    public void Number_sets_and_exists()
    {
        var facts = new FakeFacts().Set(Fact.ShopperOrders, 2.0);
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.orders","op":"in","value":[1,2,3]}""", facts));
        Assert.False(TestTriggers.Holds("""{"fact":"shopper.orders","op":"notIn","value":[1,2,3]}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.orders","op":"exists"}""", facts));
        Assert.False(TestTriggers.Holds("""{"fact":"shopper.orders","op":"exists","value":false}""", facts));

        var empty = new FakeFacts();
        Assert.False(TestTriggers.Holds("""{"fact":"shopper.orders","op":"in","value":[1,2,3]}""", empty));
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.orders","op":"notIn","value":[1,2,3]}""", empty));
        Assert.False(TestTriggers.Holds("""{"fact":"shopper.orders","op":"exists","value":true}""", empty));
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.orders","op":"exists","value":false}""", empty));
    }

    [Fact]
    public void Text_facts_compare_ordinally()
    {
        var facts = new FakeFacts().Set(Fact.EventCategoryId, "shoes").Set(Fact.ShopperNpsClass, "promoter");
        Assert.True(TestTriggers.Holds("""{"fact":"event.categoryId","op":"eq","value":"shoes"}""", facts));
        Assert.False(TestTriggers.Holds("""{"fact":"event.categoryId","op":"eq","value":"Shoes"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"event.categoryId","op":"ne","value":"hats"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"event.categoryId","op":"in","value":["hats","shoes"]}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"event.categoryId","op":"notIn","value":["hats"]}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.npsClass","op":"eq","value":"promoter"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"event.categoryId","op":"exists"}""", facts));
    }

    [Fact]
    public void Absent_text_passes_only_ne_notIn_and_exists_false()
    {
        var facts = new FakeFacts();
        Assert.False(TestTriggers.Holds("""{"fact":"event.productId","op":"eq","value":"p1"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"event.productId","op":"ne","value":"p1"}""", facts));
        Assert.False(TestTriggers.Holds("""{"fact":"event.productId","op":"in","value":["p1"]}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"event.productId","op":"notIn","value":["p1"]}""", facts));
        Assert.False(TestTriggers.Holds("""{"fact":"event.productId","op":"exists"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"event.productId","op":"exists","value":false}""", facts));
    }

    [Fact]
    public void Flags()
    {
        var referred = new FakeFacts().Set(Fact.ShopperReferred, true);
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.referred","op":"eq","value":true}""", referred));
        Assert.False(TestTriggers.Holds("""{"fact":"shopper.referred","op":"ne","value":true}""", referred));
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.identified","op":"eq","value":false}""", referred));
        Assert.True(TestTriggers.Holds("""{"fact":"shopper.identified","op":"ne","value":true}""", referred));
    }

    [Fact]
    public void Basket_membership()
    {
        var facts = new FakeFacts();
        facts.BasketProducts.Add("p1");
        facts.BasketCategories.Add("shoes");
        Assert.True(TestTriggers.Holds("""{"fact":"basket.hasProduct","op":"eq","value":"p1"}""", facts));
        Assert.False(TestTriggers.Holds("""{"fact":"basket.hasProduct","op":"eq","value":"p2"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"basket.hasProduct","op":"ne","value":"p2"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"basket.hasProduct","op":"in","value":["p9","p1"]}""", facts));
        Assert.False(TestTriggers.Holds("""{"fact":"basket.hasProduct","op":"notIn","value":["p9","p1"]}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"basket.hasCategory","op":"eq","value":"shoes"}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"basket.hasCategory","op":"notIn","value":["hats"]}""", facts));
    }

    [Fact]
    public void Any_group_is_an_or_and_top_level_is_an_and()
    {
        var facts = new FakeFacts().Set(Fact.BasketTotal, 20.0).Set(Fact.ShopperOrders, 0.0);
        const string Group = """{"any":[{"fact":"basket.total","op":"gte","value":100},{"fact":"shopper.orders","op":"eq","value":0}]}""";
        Assert.True(TestTriggers.Holds(Group, facts));
        Assert.False(TestTriggers.Compile($$"""[{{Group}},{"fact":"basket.total","op":"gt","value":50}]""").Evaluate(facts));

        facts.Set(Fact.ShopperOrders, 3.0);
        Assert.False(TestTriggers.Holds(Group, facts));
        Assert.True(TestTriggers.Compile("[]").Evaluate(facts));
    }

    [Fact]
    public void Nested_any_groups_evaluate_to_depth_four()
    {
        const string Deep = """
            {"any":[{"fact":"basket.total","op":"gt","value":1000},
              {"any":[{"fact":"basket.total","op":"gt","value":500},
                {"any":[{"fact":"shopper.orders","op":"eq","value":99},{"fact":"shopper.referred","op":"eq","value":true}]}]}]}
            """;
        Assert.False(TestTriggers.Holds(Deep, new FakeFacts()));
        Assert.True(TestTriggers.Holds(Deep, new FakeFacts().Set(Fact.ShopperReferred, true)));
    }

    [Fact]
    public void Count_counts_matching_clicks_inside_the_window()
    {
        var facts = new FakeFacts();
        var now = facts.Now;
        facts.Clicks.AddRange(
        [
            new(now.AddSeconds(-700), "product_view", "p1", "shoes"), // outside 600 s
            new(now.AddSeconds(-600), "product_view", "p2", "shoes"), // exactly at the edge: counted
            new(now.AddSeconds(-10), "product_view", "p3", "shoes"),
            new(now.AddSeconds(-5), "product_view", "p4", "hats"),
            new(now.AddSeconds(-1), "add_to_cart", "p3", "shoes", "app"),
        ]);
        const string Shoes = """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":600,"op":"gte","value":2}""";
        Assert.True(TestTriggers.Holds(Shoes, facts));
        Assert.False(TestTriggers.Holds(Shoes.Replace("\"value\":2", "\"value\":3"), facts));
        Assert.True(TestTriggers.Holds("""{"fact":"count","where":{},"withinSeconds":600,"op":"eq","value":4}""", facts));
        Assert.True(TestTriggers.Holds("""{"fact":"count","where":{"channel":"app"},"withinSeconds":60,"op":"eq","value":1}""", facts));

        facts.Now = now.AddSeconds(1); // the edge click slides out of the window
        Assert.False(TestTriggers.Holds(Shoes, facts));
    }

    [Fact]
    public void Click_filter_null_fields_match_anything()
    {
        var filter = new ClickFilter("product_view", null, "shoes", null);
        Assert.True(filter.Matches("product_view", "p1", "shoes", "web"));
        Assert.True(filter.Matches("product_view", null, "shoes", null));
        Assert.False(filter.Matches("product_view", "p1", "hats", "web"));
        Assert.False(filter.Matches("search", "p1", "shoes", "web"));
        Assert.True(ClickFilter.Any.Matches("anything", null, null, null));
    }
}
