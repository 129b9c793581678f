#!/usr/bin/env bash
# penscope page on a phone photo of a Seyès sheet (issue 5): read as Seyès
# (the 2 mm lines found in the gray), the scale from the Seyès standard
# 2 mm pitch (an A5 sheet: the page-size guess would be 41 % off), the same
# scale with --ruling-mm 2, x-height near the truth.
. "$(dirname "$0")/lib.sh"
GEN="$PS_BINARY_DIR/tests/gen/psgen"
[ -x "$GEN" ] || { echo "psgen not built"; exit 1; }

"$GEN" --ruling seyes --photo --seed 5 --dpi 300 --page 148x210 --x-height 2 --rgb \
    --text 'the quick brown fox jumps\nover the lazy dog and\nsix big whales quickly' "$TMP/s.jpg" "$TMP/s.json" ||
    fail "psgen"
expect_exit 0 "page on a Seyès photo" -- "$PENSCOPE" page --json "$TMP/s.jpg"
cp "$TMP/out" "$TMP/rec.json"
python3 - "$TMP/rec.json" "$TMP/s.json" <<'PY' && ok "Seyès, scale from the ruling" || fail "Seyès, scale from the ruling"
import json, sys
r = json.loads(open(sys.argv[1]).readline()); t = json.load(open(sys.argv[2]))["metrics"]
m, d = r["metrics"], r["detail"]
assert m["ruling"] == "seyes", m["ruling"]
assert d["dpi_source"] == "ruling", d["dpi_source"]
assert any("Seyès" in w for w in r["warnings"]), r["warnings"]
# the 2 mm pitch in input pixels gives the dpi exactly
assert abs(d["ruling"]["pitch_px"] / 2 * 25.4 - d["dpi"]) < 0.01 * d["dpi"], d
assert m["lines"] == t["lines"], (m["lines"], t["lines"])
# 6 %: the photo tests' tolerance
assert abs(m["x_height_mm"] - t["x_height_mm"]) <= 0.06 * t["x_height_mm"], (m["x_height_mm"], t["x_height_mm"])
PY
expect_exit 0 "page --ruling-mm 2 on the Seyès photo" -- "$PENSCOPE" page --json --ruling-mm 2 "$TMP/s.jpg"
python3 - "$TMP/out" "$TMP/rec.json" <<'PY' && ok "--ruling-mm 2 gives the same scale" || fail "--ruling-mm 2 gives the same scale"
import json, sys
a = json.loads(open(sys.argv[1]).readline())["detail"]; b = json.loads(open(sys.argv[2]).readline())["detail"]
assert a["dpi_source"] == "ruling" and abs(a["dpi"] - b["dpi"]) < 1e-6 * b["dpi"], (a["dpi"], b["dpi"])
PY
finish
