using System.Collections.Frozen;

namespace Personalize.Triggers;

internal enum NodeKind : byte
{
    NumberCompare,
    NumberIn,
    TextCompare,
    TextIn,
    Exists,
    Flag,
    BasketItem,
    BasketAnyOf,
    Count,
    AnyGroup,
}

internal enum CompareOp : byte
{
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    NotIn,
    Exists,
}

/// <summary>
/// One compiled condition, with its value already in the form the comparison needs. Nodes of a trigger sit in
/// one flat array; an any group points at the contiguous run of its children, so evaluation walks arrays
/// and never allocates.
/// </summary>
internal readonly struct ConditionNode
{
    public NodeKind Kind { get; init; }

    public Fact Fact { get; init; }

    public CompareOp Op { get; init; }

    /// <summary>The operand of a numeric or count comparison.</summary>
    public double Number { get; init; }

    /// <summary>exists: whether presence is expected; Flag: the flag value compared with.</summary>
    public bool Expected { get; init; }

    /// <summary>The operand of a text or basket eq/ne.</summary>
    public string? Text { get; init; }

    public double[]? Numbers { get; init; }

    public FrozenSet<string>? TextSet { get; init; }

    /// <summary>Basket in/notIn asks the basket about each id, so it needs a list, not a set.</summary>
    public string[]? Texts { get; init; }

    /// <summary>The question a count condition asks, shared with every trigger compiled alongside that asks it too.</summary>
    public ClickCount? Count { get; init; }

    /// <summary>A leaf's <see cref="ConditionMemo"/> slot, shared with equal leaves of the same catalog.</summary>
    public int Slot { get; init; }

    public int ChildStart { get; init; }

    public int ChildCount { get; init; }
}
