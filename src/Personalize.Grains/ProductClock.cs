namespace Personalize.Grains;

/// <summary>
/// The clock of what shoppers and marketers do: conversion windows, cooldowns, daily budgets, expiry,
/// schedules, the lazy-write delay. A keyed <see cref="TimeProvider"/> that is the host's own unless
/// something registers another under <see cref="Key"/> first. Kept apart from the unkeyed TimeProvider
/// because Orleans takes that one for its runtime (response timeouts, membership, the directory): tests
/// that move the product's clock by a day must not time out the grain calls in flight at that moment.
/// </summary>
public static class ProductClock
{
    public const string Key = "personalize:product-clock";
}
