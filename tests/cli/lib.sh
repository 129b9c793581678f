# Shared helpers for the numbered CLI tests (git t/ style). Source it first.
# Environment from CTest: PENSCOPE, PS_SOURCE_DIR, PS_BINARY_DIR, PS_TESTDATA, PS_SHARED.
set -u
: "${PENSCOPE:?run through ctest}"
TMP="$(mktemp -d /tmp/penscope-cli-XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
fails=0
passes=0

ok()   { passes=$((passes + 1)); echo "ok - $*"; }
fail() { fails=$((fails + 1)); echo "FAIL - $*"; }

# expect_exit CODE DESCRIPTION -- CMD...   runs CMD, checks its exit code, keeps output in $TMP/out, $TMP/err
expect_exit() {
    local want="$1" what="$2"; shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" -ge 128 ]; then fail "$what: crashed (exit $got)"; cat "$TMP/err"; return 1; fi
    if [ "$got" -ne "$want" ]; then fail "$what: exit $got, want $want"; cat "$TMP/err"; return 1; fi
    ok "$what"
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
    if grep -q -- "$1" "$2"; then ok "$3"; else fail "$3: '$1' not in $2"; head -c 2000 "$2"; fi
}

# expect_json FILE DESCRIPTION : every line of FILE is a JSON object
expect_json() {
    if python3 -c 'import json,sys
n=0
for l in open(sys.argv[1]):
    if l.strip(): json.loads(l); n+=1
sys.exit(0 if n else 1)' "$1" 2>"$TMP/jsonerr"; then ok "$2"; else fail "$2: not JSON lines"; cat "$TMP/jsonerr"; head -c 2000 "$1"; fi
}

finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}
