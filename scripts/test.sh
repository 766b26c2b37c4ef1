#!/usr/bin/env bash
# The one test command (README.md, .ci/run): builds once, runs every test project one after another
# (the end-to-end and cluster suites start real processes; running them side by side on a 2-core
# machine measures the machine, not the product), then the load-test CI guard.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=${CONFIGURATION:-Release}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build Personalize.sln -c "$configuration" -nologo -clp:ErrorsOnly

status=0
for project in tests/*/*.csproj; do
  grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
  name=$(basename "$project" .csproj)
  echo "== $name"
  if ! dotnet test "$project" -c "$configuration" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | tee "$results/$name.log" \
      | grep -E '^\s*(Passed|Failed|Skipped)!|\[FAIL\]|^\s+Failed |Error Message|Assert\.|^\s+(Expected|Actual):|^\s+at Personalize\.'; then
    :
  fi
  grep -qE '^\s*Passed!' "$results/$name.log" || status=1
done

echo "== load tests (ci profile)"
if ! dotnet run -c "$configuration" --project loadtests/Personalize.LoadTests --no-build -- --profile ci --self-host --no-build \
    --report artifacts/loadtests; then
  echo "load-test CI guard failed"
  status=1
fi

echo "== browser tests"
if [ "$configuration" = Release ]; then no_build=1; else no_build=; fi
if ! NO_BUILD=$no_build bash scripts/browser-tests.sh 2>&1 | tee "$results/browser.out"; then
  status=1
fi

# One closing line for whoever reads the log: totals over every test project.
passed=0; failed=0; skipped=0
for log in "$results"/*.log; do
  line=$(grep -E '^\s*(Passed|Failed)!' "$log" | tail -n 1 || true)
  [ -n "$line" ] || { failed=$((failed + 1)); continue; }
  p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line"); f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
browser=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$results/browser.out" | tail -n 1 || true)
if [ -n "$browser" ]; then
  passed=$((passed + $(cut -d' ' -f1 <<<"$browser"))); failed=$((failed + $(cut -d' ' -f3 <<<"$browser")))
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
