#!/usr/bin/env bash
# Measures everything README's performance section shows and regenerates that section:
#   1. the full load-test profile (echo ceiling, hot-path saturated and at half, connect-storm, referral-loop)
#   2. the memory probe (idle shopper grains, idle SignalR connections)
#   3. the BenchmarkDotNet micro-benchmarks (trigger evaluation, serialization)
# Each writes into docs/perf; README is then rebuilt from those files. Run it on a quiet machine:
# every figure is quoted against the echo ceiling measured in the same run, but noise still shows.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/perf
mkdir -p "$out/bdn"

dotnet build Personalize.sln -c Release -nologo -clp:ErrorsOnly

# A failed threshold is a finding to publish, not a reason to stop measuring.
dotnet run -c Release --no-build --project loadtests/Personalize.LoadTests -- \
  --profile full --self-host --no-build --report "$out" || echo "load test: some thresholds failed (see $out/report.md)"

dotnet run -c Release --no-build --project loadtests/Personalize.Benchmarks -- memory --out "$out"

artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
dotnet run -c Release --no-build --project loadtests/Personalize.Benchmarks -- \
  --filter '*Trigger*' '*Serialization*' --artifacts "$artifacts"
rm -f "$out"/bdn/*.json
cp "$artifacts"/results/*-report-full.json "$out/bdn/"

dotnet run -c Release --no-build --project loadtests/Personalize.LoadTests -- readme
