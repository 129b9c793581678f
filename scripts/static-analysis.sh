#!/usr/bin/env bash
# Runs cppcheck and clang-tidy over engine/ with the compile database of a
# build folder (configured with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON), and
# prints each tool's warnings, one per line. Not part of CI: it takes minutes,
# and the reports hold known false positives (listed with reasons in
# bench/RESULTS.md, "Static analysis"). Needs cppcheck and clang-tidy-14
# (Debian packages cppcheck, clang-tidy-14), which setup.sh does not install.
#   scripts/static-analysis.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
out=${2:-$build/static-analysis}
mkdir -p "$out/ccdb"
[ -f "$build/compile_commands.json" ] || {
    echo "no $build/compile_commands.json: cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON first" >&2
    exit 2
}
# the engine's files only (not tests, bench or the generator)
python3 - "$build/compile_commands.json" "$out/ccdb/compile_commands.json" <<'PY'
import json, sys
db = json.load(open(sys.argv[1]))
json.dump([e for e in db if "/engine/" in e["file"]], open(sys.argv[2], "w"))
PY

cppcheck --project="$out/ccdb/compile_commands.json" --enable=warning,performance,portability \
    --suppress=missingIncludeSystem --suppress=preprocessorErrorDirective --inline-suppr --quiet \
    --template='{file}:{line}: {severity}:{id}: {message}' 2>"$out/cppcheck.txt" || true
echo "== cppcheck ($(wc -l <"$out/cppcheck.txt") warnings)"
sed "s|$src/||" "$out/cppcheck.txt"

# bugs, not style: the analyzer and bugprone checks, without the ones that
# flag this codebase's idioms (if (!strcmp(...)), float loop steps, int
# narrowing, swappable parameters)
checks='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions'
checks+=',-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,-bugprone-macro-parentheses'
checks+=',-bugprone-implicit-widening-of-multiplication-result,-bugprone-branch-clone'
checks+=',-bugprone-suspicious-string-compare,-clang-analyzer-security.FloatLoopCounter'
checks+=',-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-security.insecureAPI.strcpy'
checks+=',-clang-analyzer-optin.performance.Padding'
run-clang-tidy-14 -p "$out/ccdb" -j 2 -quiet -checks="$checks" -header-filter='.*/engine/.*' >"$out/tidy.raw" 2>/dev/null || true
sed 's/\x1b\[[0-9;]*m//g' "$out/tidy.raw" | grep ': warning:' | sort -u >"$out/clang-tidy.txt" || true
echo "== clang-tidy ($(wc -l <"$out/clang-tidy.txt") warnings)"
sed "s|$src/||" "$out/clang-tidy.txt"
