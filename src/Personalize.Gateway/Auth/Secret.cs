using Microsoft.Extensions.Compliance.Classification;

namespace Personalize.Gateway.Auth;

/// <summary>The project's data classes for compliance tooling: what must never leave the process in clear.</summary>
public static class PersonalizeTaxonomy
{
    public const string Name = "Personalize";

    /// <summary>API keys, the token signing key and tokens: a redactor registered for this class erases them entirely.</summary>
    public static DataClassification Secret { get; } = new(Name, nameof(Secret));
}

/// <summary>
/// Marks a member that holds a credential, so redaction-aware logging and reviewers treat it as such;
/// the gateway itself never passes these to a logger (SECURITY.md, and a test greps the logs).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class SecretAttribute() : DataClassificationAttribute(PersonalizeTaxonomy.Secret);
