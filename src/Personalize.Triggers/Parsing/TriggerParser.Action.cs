using System.Text.Json;
using System.Text.RegularExpressions;

namespace Personalize.Triggers;

public static partial class TriggerParser
{
    private static readonly string[] CommonActionNames = ["type", "title", "message", "ttlSeconds"];
    private static readonly string[] OfferNames = ["discount", "code", "codePrefix"];
    private static readonly string[] RecommendationNames = ["strategy", "count"];
    private static readonly string[] SurveyNames = ["survey", "question"];
    private static readonly string[] DiscountNames = ["kind", "value", "currency"];

    private static TriggerAction? ReadAction(JsonElement root, ValidationErrors errors)
    {
        if (!ValidationErrors.TryGetPresent(root, "action", out var action))
        {
            errors.Add("action", "is required");
            return null;
        }

        if (action.ValueKind != JsonValueKind.Object)
        {
            errors.Add("action", "must be an object");
            return null;
        }

        var before = errors.Count;
        var type = errors.ReadChoice(action, "action", "type", required: true, TriggerVocabulary.ActionTypes);
        string[] specific = type switch
        {
            "offer" => OfferNames,
            "recommendations" => RecommendationNames,
            "survey" => SurveyNames,
            _ => [],
        };
        if (type is not null)
        {
            // Fields of another action type are almost always a mistake (a survey question on an offer never shows).
            errors.RejectUnknown(action, "action", [.. CommonActionNames, .. specific], $"is not used by a {type} action");
        }

        var result = new TriggerAction
        {
            Type = type ?? "",
            Title = errors.ReadString(action, "action", "title", required: true, 1, 200) ?? "",
            Message = errors.ReadString(action, "action", "message", required: true, 0, 1000) ?? "",
            TtlSeconds = errors.ReadInt(action, "action", "ttlSeconds", required: false, 1, TriggerVocabulary.MaxTtlSeconds)
                ?? TriggerVocabulary.DefaultTtlSeconds,
        };
        result = type switch
        {
            "offer" => ReadOffer(action, result, errors),
            "recommendations" => result with
            {
                Strategy = errors.ReadChoice(action, "action", "strategy", required: true, TriggerVocabulary.Strategies),
                Count = errors.ReadInt(action, "action", "count", required: false, 1, TriggerVocabulary.MaxRecommendationCount)
                    ?? TriggerVocabulary.DefaultRecommendationCount,
            },
            "survey" => result with
            {
                Survey = errors.ReadChoice(action, "action", "survey", required: true, TriggerVocabulary.Surveys),
                Question = errors.ReadString(action, "action", "question", required: true, 1, 500),
            },
            _ => result,
        };
        return errors.Count == before ? result : null;
    }

    private static TriggerAction ReadOffer(JsonElement action, TriggerAction result, ValidationErrors errors)
    {
        var code = errors.ReadString(action, "action", "code", required: false, 1, 64);
        var prefix = errors.ReadString(action, "action", "codePrefix", required: false, 1, 32);
        if (prefix is not null && !CodePrefixPattern().IsMatch(prefix))
        {
            errors.Add("action.codePrefix", "must use only A-Z, 0-9 and -");
        }

        var hasCode = ValidationErrors.TryGetPresent(action, "code", out _);
        var hasPrefix = ValidationErrors.TryGetPresent(action, "codePrefix", out _);
        if (hasCode && hasPrefix)
        {
            errors.Add("action.code", "give either code or codePrefix, not both");
        }
        else if (!hasCode && !hasPrefix)
        {
            errors.Add("action.code", "an offer needs code (one code for all) or codePrefix (a unique code per shopper)");
        }

        return result with { Discount = ReadDiscount(action, errors), Code = code, CodePrefix = prefix };
    }

    private static DiscountSpec? ReadDiscount(JsonElement action, ValidationErrors errors)
    {
        const string Path = "action.discount";
        if (!ValidationErrors.TryGetPresent(action, "discount", out var discount))
        {
            errors.Add(Path, "is required for an offer");
            return null;
        }

        if (discount.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Path, "must be an object with kind and value");
            return null;
        }

        errors.RejectUnknown(discount, Path, DiscountNames);
        var kind = errors.ReadChoice(discount, Path, "kind", required: true, TriggerVocabulary.DiscountKinds);
        var hasValue = ValidationErrors.TryGetPresent(discount, "value", out var valueElement);
        decimal value = 0;
        if (hasValue && (valueElement.ValueKind != JsonValueKind.Number || !valueElement.TryGetDecimal(out value)))
        {
            errors.Add(Path + ".value", "must be a number");
        }
        else if (kind == "percent" && (!hasValue || value <= 0 || value > 100))
        {
            errors.Add(Path + ".value", "must be more than 0 and at most 100 for a percent discount");
        }
        else if (kind == "amount" && (!hasValue || value <= 0))
        {
            errors.Add(Path + ".value", "must be more than 0 for an amount discount");
        }
        else if (kind == "freeShipping" && value != 0)
        {
            errors.Add(Path + ".value", "must be 0 or left out for free shipping");
        }

        var currency = errors.ReadString(discount, Path, "currency", required: false, 3, 3);
        if (currency is not null && (kind != "amount" || !CurrencyPattern().IsMatch(currency)))
        {
            errors.Add(Path + ".currency", kind == "amount" ? "must be a 3-letter ISO 4217 code such as EUR" : "is only used by an amount discount");
        }

        return kind is null ? null : new DiscountSpec { Kind = kind, Value = value, Currency = currency };
    }

    [GeneratedRegex("^[A-Z0-9-]+$")]
    private static partial Regex CodePrefixPattern();

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyPattern();
}
