#!/usr/bin/env bash
# penscope page --text: the letter metrics in the JSON record, per-letter
# expected/recognised letters, and the overlay with flagged letters.
. "$(dirname "$0")/lib.sh"
GEN="$PS_BINARY_DIR/tests/gen/psgen"
[ -x "$GEN" ] || { echo "psgen not built"; exit 1; }

TEXT='bad dog sees a big zoo'
# b mirrored, d of dog cut open
"$GEN" --font Andika --dpi 300 --page 120x50 --letter-gap 0.8 --text "$TEXT" \
    --marks 'r...o.................' "$TMP/t.png" "$TMP/t.json" || fail "psgen"
expect_exit 0 "page --text" -- "$PENSCOPE" page --json --text "$TEXT" --overlay "$TMP/ov" "$TMP/t.png"
expect_json "$TMP/out" "page --text writes JSON"
python3 - "$TMP/out" "$TMP/t.json" <<'PY' && ok "text metrics match the truth" || fail "text metrics match the truth"
import json, sys
r = json.loads(open(sys.argv[1]).readline()); t = json.load(open(sys.argv[2]))["metrics"]
m = r["metrics"]
assert m["letters_expected"] == 17 and m["letters_matched"] == 17, m
assert m["omissions"] == 0 and m["insertions"] == 0, m
assert m["reversals"] == t["reversals"] == 1, (m["reversals"], t["reversals"])
assert m["closure_fail"] == t["closure_cuts"] == 1, (m["closure_fail"], t["closure_cuts"])
assert 0 <= m["legibility_pct"] <= 100 and 0 <= m["form_score"] <= 100
first = r["detail"]["letters"][0]
assert first["expected"] == "b" and first["reversed"] is True, first
PY
[ -s "$TMP/ov/t.png.page.png" ] && ok "overlay written" || fail "overlay written"

# --seconds gives letters_per_min from the letters found
expect_exit 0 "page --seconds" -- "$PENSCOPE" page --json --seconds 30 "$TMP/t.png"
python3 - "$TMP/out" <<'PY' && ok "letters_per_min" || fail "letters_per_min"
import json, sys
m = json.loads(open(sys.argv[1]).readline())["metrics"]
assert abs(m["letters_per_min"] - 2 * m["letters"]) < 1e-9, m
PY

# without --text, no text metrics appear
expect_exit 0 "page without --text" -- "$PENSCOPE" page --json "$TMP/t.png"
if grep -q '"legibility_pct"' "$TMP/out"; then fail "no text metrics without --text"; else ok "no text metrics without --text"; fi
finish
