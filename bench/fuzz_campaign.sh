#!/bin/bash
# Runs libFuzzer targets one after another (never in parallel: the machine is
# shared), each for SECONDS seconds, on a work corpus seeded from
# tests/fuzz/corpus/<name>. Findings land in OUT/<name>/artifacts, the log in
# OUT/<name>.log; the final stats line of each log is what bench/RESULTS.md
# records.
#   bench/fuzz_campaign.sh BUILD_FUZZ_DIR OUT SECONDS name...
# BUILD_FUZZ_DIR is a clang build with -DPS_FUZZ=ON -DPS_SANITIZE=ON.
set -u
build=$1 out=$2 secs=$3
shift 3
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
for name in "$@"; do
    work=$out/$name/corpus art=$out/$name/artifacts
    mkdir -p "$work" "$art"
    echo "== $name start $(date -u +%H:%M:%S)" >>"$out/campaign.log"
    PENSCOPE_MODELS=$src/models nice -n 10 "$build/tests/fuzz_$name" \
        -max_total_time="$secs" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
        -artifact_prefix="$art/" "$work" "$src/tests/fuzz/corpus/$name" \
        >"$out/$name.log" 2>&1
    echo "== $name rc=$? end $(date -u +%H:%M:%S)" >>"$out/campaign.log"
done
