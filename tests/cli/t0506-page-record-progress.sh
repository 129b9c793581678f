#!/usr/bin/env bash
# End to end with the real page analyser: five worksheets made by psgen with
# a letter size that shrinks toward the goal, recorded weekly with --overlay;
# progress finds the reliable change toward the goal band, and the report
# shows the latest worksheet overlay.
. "$(dirname "$0")/lib.sh"
GEN="$PS_BINARY_DIR/tests/gen/psgen"
[ -x "$GEN" ] || { echo "psgen not built"; exit 1; }
export PENSCOPE_DB="$TMP/p.db"
P="$PENSCOPE"
$P child add W1 --grade 1 >/dev/null || fail "child add"
xh=(6.0 5.4 4.9 4.5 4.1)
for i in 0 1 2 3 4; do
    "$GEN" --seed $((i + 1)) --dpi 150 --page 148x105 --ruling none --x-height "${xh[$i]}" --size-sd 0.05 \
        --text 'the cat sat on the mat\nbig dogs run fast' "$TMP/w$i.png" >/dev/null 2>&1 || fail "psgen $i"
    expect_exit 0 "record worksheet $i" -- $P record --child W1 --kind page --date "2026-05-0$((i + 1))" --overlay "$TMP/ov" "$TMP/w$i.png"
done
$P goal set --child W1 --metric x_height_mm --target 3:4 --by 2026-09-01 >/dev/null || fail "goal"
expect_exit 0 "progress" -- $P progress --child W1 --json --metric x_height_mm
python3 - "$TMP/out" "${xh[@]}" <<'PY' && ok "x-height: measured baseline/latest near the drawn sizes, reliable improvement" || fail "progress of x-height"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
xh = list(map(float, sys.argv[2:]))
# the page analyser measures the drawn x-height within 10 % (its own tests are stricter)
assert abs(r["baseline"] - xh[0]) < 0.1 * xh[0] and abs(r["latest"] - xh[-1]) < 0.1 * xh[-1], r
assert r["sessions"] == 5 and r["change"] < 0, r
assert r["direction"] == "improved" and r["reliable"] is True, r
assert r["goal"]["distance"] > 0, r
PY
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from attachments")
[ "$n" = 5 ] && ok "worksheet overlays kept" || fail "attachments: $n"
expect_exit 0 "report pdf" -- $P report --child W1 --out "$TMP/w.pdf"
expect_exit 0 "report html" -- $P report --child W1 --out "$TMP/w.html"
expect_grep "Latest worksheet with flagged letters (2026-05-05)" "$TMP/w.html" "latest worksheet overlay shown"
expect_grep "Letter size (x-height) moved from" "$TMP/w.html" "sentence about letter size"
finish
