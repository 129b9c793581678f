#!/bin/bash
# Letter formation through the CLI: the synthetic "cat" sample (its a is
# circled clockwise) with --text, and the same as a letter task file; the
# demo runs the ink step over samples/ink.
. "$(dirname "$0")/lib.sh"
CAT="$PS_SOURCE_DIR/samples/ink/cat.inkml"
expect_exit 0 "ink --text cat" -- "$PENSCOPE" ink --json --text cat "$CAT"
python3 - "$TMP/out" <<'PY' && ok "the a is a formation difference (direction), not a wrong letter" || fail "cat letters"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
m, L = r["metrics"], r["detail"]["letters"]
assert [l["char"] for l in L] == ["c", "a", "t"]
assert all(l["found"] and l["legible"] for l in L), L
assert L[1]["direction_errors"] >= 1 and L[1]["verdict"] == "formation_difference", L[1]
assert L[0]["verdict"] == "as_model" and L[2]["verdict"] == "as_model", L
assert m["direction_errors"] == 1 and m["reversals"] == 0 and m["order_errors"] == 0
assert 0 < m["formation_score"] <= 100 and m["letters_per_min"] > 0
assert len(L[2]["strokes"]) == 2
PY
# the same letters as a task file (time windows from the strokes above)
python3 - "$TMP/out" "$TMP/task.json" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
L = r["detail"]["letters"]
json.dump({"letters": [{"char": l["char"], "start_s": l["t0_s"] - 0.01, "end_s": l["t1_s"] + 0.01} for l in L]},
          open(sys.argv[2], "w"))
PY
expect_exit 0 "ink --text @task.json" -- "$PENSCOPE" ink --json --text "@$TMP/task.json" "$CAT"
python3 - "$TMP/out" <<'PY' && ok "letter task: same letters" || fail "letter task"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
L = r["detail"]["letters"]
assert [l["char"] for l in L] == ["c", "a", "t"] and L[1]["direction_errors"] >= 1
PY
echo '{"letters": [{"char": "ab", "start_s": 0, "end_s": 1}]}' > "$TMP/badtask.json"
expect_exit 1 "bad task file" -- "$PENSCOPE" ink --text "@$TMP/badtask.json" "$CAT"
expect_grep "entry 1 needs" "$TMP/err" "task error names the entry"
# (the demo's exit code belongs to all its steps; this checks the ink step)
"$PENSCOPE" demo >"$TMP/out" 2>"$TMP/err"
[ $? -lt 128 ] && ok "demo does not crash" || fail "demo crashed"
expect_grep "cat.inkml: .* samples (inkml" "$TMP/out" "demo runs ink on samples/ink"
expect_grep "letters 3/3" "$TMP/out" "demo judges the letters"
finish
