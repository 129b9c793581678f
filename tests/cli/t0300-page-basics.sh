#!/usr/bin/env bash
# penscope page: usage, errors, JSON record, DPI sources (file, option,
# ruling, page size, none), overlay, against pages made by psgen.
. "$(dirname "$0")/lib.sh"
GEN="$PS_BINARY_DIR/tests/gen/psgen"
[ -x "$GEN" ] || { echo "psgen not built"; exit 1; }

expect_exit 0 "page --help" -- "$PENSCOPE" page --help
expect_grep "ruling-mm" "$TMP/out" "help names --ruling-mm"
expect_exit 2 "page without files" -- "$PENSCOPE" page
expect_exit 2 "page with a bad --dpi" -- "$PENSCOPE" page --dpi -3 x.png
expect_exit 1 "page on a missing file" -- "$PENSCOPE" page --json "$TMP/none.png"
expect_grep '"ok":false' "$TMP/out" "missing file gives a failure record"

# a single-ruled page at 300 dpi with the resolution in the file
"$GEN" --ruling single --font "Comic Neue" --dpi 300 --x-height 3 --page 148x105 \
    --text 'the quick brown fox\njumps over the dog' "$TMP/p.png" "$TMP/p.json" || fail "psgen"
expect_exit 0 "page on a ruled scan" -- "$PENSCOPE" page --json --overlay "$TMP/ov" "$TMP/p.png"
expect_json "$TMP/out" "page --json writes JSON lines"
cp "$TMP/out" "$TMP/rec.json"
python3 - "$TMP/rec.json" "$TMP/p.json" <<'PY' && ok "metrics near the truth" || fail "metrics near the truth"
import json, sys
rec = json.loads(open(sys.argv[1]).readline()); t = json.load(open(sys.argv[2]))["metrics"]
m = rec["metrics"]; d = rec["detail"]
assert rec["ok"] and m["ruling"] == "single", m["ruling"]
assert d["dpi_source"] == "file" and abs(d["dpi"] - 300) < 0.5, d["dpi"]
assert m["lines"] == t["lines"] and m["words"] == t["words"], (m["lines"], m["words"])
assert abs(m["letters"] - t["letters"]) <= 1, m["letters"]
assert abs(m["x_height_mm"] - t["x_height_mm"]) <= 0.05 * t["x_height_mm"], (m["x_height_mm"], t["x_height_mm"])
assert len(d["lines"]) == m["lines"] and len(d["letters"]) >= m["letters"]
PY
if [ -f "$TMP/ov/p.png.page.png" ] && [ "$(stat -c %a "$TMP/ov/p.png.page.png")" = 600 ]; then
    ok "overlay written 0600"; else fail "overlay written 0600"; fi

# --dpi wins over the file; the ruling gives the scale with --ruling-mm
"$GEN" --no-dpi --ruling single --pitch 8 --font Andika --dpi 200 --page 120x100 "$TMP/r.png" || fail "psgen"
expect_exit 0 "page --ruling-mm" -- "$PENSCOPE" page --json --ruling-mm 8 "$TMP/r.png"
python3 - "$TMP/out" <<'PY' && ok "dpi from the ruling" || fail "dpi from the ruling"
import json, sys
d = json.loads(open(sys.argv[1]).readline())["detail"]
assert d["dpi_source"] == "ruling" and abs(d["dpi"] - 200) < 4, d
PY
expect_exit 0 "page --dpi" -- "$PENSCOPE" page --json --dpi 250 "$TMP/p.png"
expect_grep '"dpi_source":"option"' "$TMP/out" "--dpi is the source"

# no scale at all: mm metrics null, with a warning
expect_exit 0 "page without a scale" -- "$PENSCOPE" page --json "$TMP/r.png"
python3 - "$TMP/out" <<'PY' && ok "mm metrics null without scale" || fail "mm metrics null without scale"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["metrics"]["x_height_mm"] is None and r["metrics"]["word_gap_ratio"] is not None
assert any("no scale" in w for w in r["warnings"]), r["warnings"]
PY

# a JPEG saying 72 dpi (a camera default) is not taken as the scale
"$GEN" --font femkeklaver --dpi 200 --page 120x100 --quality 85 "$TMP/c.jpg" || fail "psgen jpeg"
expect_exit 0 "page on a JPEG" -- "$PENSCOPE" page --json "$TMP/c.jpg"
expect_grep '"dpi_source":"file"' "$TMP/out" "JPEG density is read"
"$GEN" --font femkeklaver --dpi 200 --file-dpi 72 --page 120x100 "$TMP/d.jpg" || fail "psgen jpeg 72"
expect_exit 0 "page on a 72 dpi JPEG" -- "$PENSCOPE" page --json "$TMP/d.jpg"
expect_grep '"dpi_source":"none"' "$TMP/out" "72 dpi is not taken as a scale"
expect_grep 'camera or software default' "$TMP/out" "72 dpi warned about"
finish
