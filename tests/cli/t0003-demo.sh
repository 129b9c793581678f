#!/usr/bin/env bash
# penscope demo: every analyser on the bundled samples, a fresh demo database,
# overlays and both reports, all user-only; --json output is pure JSON Lines.
. "$(dirname "$0")/lib.sh"

out="$TMP/demo"
expect_exit 0 "demo runs end to end" -- "$PENSCOPE" demo --out "$out" "$PS_SOURCE_DIR/samples"
for step in "== grip" "== page" "== ink" "report: $out/report.pdf"; do
    expect_grep "$step" "$TMP/out" "demo shows '$step'"
done
for f in demo.db report.html report.pdf; do
    if [ -s "$out/$f" ] && [ "$(stat -c %a "$out/$f")" = 600 ]; then ok "$f written 0600"
    else fail "$f missing, empty or not 0600"; fi
done
n=$(ls "$out/overlays" | wc -l)
[ "$n" -ge 5 ] && ok "overlays written ($n)" || fail "only $n overlays"
head -c 5 "$out/report.pdf" | grep -q "%PDF-" && ok "report.pdf is a PDF" || fail "report.pdf is not a PDF"

# A second run starts from a fresh database (same sessions, not twice as many).
expect_exit 0 "demo runs again" -- "$PENSCOPE" demo --out "$out" "$PS_SOURCE_DIR/samples"
expect_exit 0 "demo child has one session per sample" -- "$PENSCOPE" child show demo-child --db "$out/demo.db" --json
python3 - "$TMP/out" <<'PY' && ok "sessions not duplicated" || fail "sessions duplicated"
import json, sys
d = json.load(open(sys.argv[1]))
n = d.get("sessions", d.get("session_count"))
n = len(n) if isinstance(n, list) else n
sys.exit(0 if n == 6 else 1)
PY

expect_exit 0 "demo --json" -- "$PENSCOPE" demo --json --out "$TMP/demo2" "$PS_SOURCE_DIR/samples"
expect_json "$TMP/out" "demo --json is JSON Lines"
expect_exit 2 "demo with two folders is a usage error" -- "$PENSCOPE" demo a b
finish
