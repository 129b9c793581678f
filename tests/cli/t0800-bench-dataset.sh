#!/usr/bin/env bash
# penscope bench: usage and refusals, the statistics of a dataset whose
# records come from the selftest analyser (so every number below is worked
# out by hand from the files written here), and an end-to-end run on the
# example dataset of bench/make_example_dataset.sh.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "bench --help" -- "$PENSCOPE" bench --help
expect_grep "labels" "$TMP/out" "help explains the labels file"
expect_exit 2 "bench without a folder" -- "$PENSCOPE" bench
expect_exit 2 "bench on a file" -- "$PENSCOPE" bench "$PS_SOURCE_DIR/README.md"
expect_exit 2 "bench with a bad --kind" -- "$PENSCOPE" bench --kind photo "$TMP"

# five files; a5 fails. Predictions (selftest records) against labels:
#   size   12 19 33 40 -   vs 10 20 30 40 50 : diffs 2 -1 3 0, a5 missing
#   grasp  dynamic_tripod dynamic_tripod lateral_tripod (none) (failed)
#          vs Dynamic_Tripod lateral_tripod lateral_tripod five_finger five_finger
#   flag=score>=5: score 7 5 4.9 null -> yes yes no (none) vs yes no no yes
#   found  true false true vs yes no no
D="$TMP/ds"
mkdir -p "$D/sub"
printf 'size 12\ngrasp dynamic_tripod\nscore 7\nfound true\n' >"$D/a1.txt"
printf 'size 19\ngrasp dynamic_tripod\nscore 5\nfound false\n' >"$D/a2.txt"
printf 'size 33\ngrasp lateral_tripod\nscore 4.9\nfound true\n' >"$D/sub/a3.txt"
printf 'size 40\nscore null\n' >"$D/a4.txt"
printf '!fail the sensor fell off\n' >"$D/a5.txt"
cat >"$D/labels.csv" <<'CSV'
# a comment line, then the header
file,kind,size,grasp,flag=score>=5,found
a1.txt,selftest,10,Dynamic_Tripod,yes,yes
a2.txt,selftest,20,lateral_tripod,no,no
"sub/a3.txt",selftest,30,lateral_tripod,no,no
a4.txt,selftest,40,five_finger,yes,

a5.txt,selftest,50,five_finger,,
CSV
expect_exit 1 "a dataset with a failing file exits 1" -- "$PENSCOPE" bench --json --out "$TMP/rec.jsonl" "$D"
expect_json "$TMP/out" "bench --json writes one JSON object"
cp "$TMP/out" "$TMP/report.json"
python3 - "$TMP/report.json" <<'PY' && ok "statistics as worked out by hand" || fail "statistics as worked out by hand"
import json, math, sys
r = json.loads(open(sys.argv[1]).readline())
def near(a, b, tol=1e-9):
    assert abs(a - b) <= tol, (a, b)
assert r["files"] == 5 and r["failed"] == 1, (r["files"], r["failed"])
assert r["failures"][0]["file"].endswith("a5.txt") and "sensor fell off" in r["failures"][0]["error"]
s = r["labels"]["size"]
assert s["type"] == "number" and s["labelled"] == 5 and s["n"] == 4 and s["missing"] == 1, s
near(s["mae"], 1.5); near(s["median_ae"], 1.5); near(s["max_ae"], 3); near(s["bias"], 1)
near(s["sd"], math.sqrt(10 / 3)); near(s["loa_low"], 1 - 1.96 * math.sqrt(10 / 3)); near(s["loa_high"], 1 + 1.96 * math.sqrt(10 / 3))
g = r["labels"]["grasp"]
assert g["type"] == "category" and g["n"] == 5 and g["correct"] == 2, g
assert g["classes"] == ["dynamic_tripod", "five_finger", "lateral_tripod", "(none)"], g["classes"]
assert g["confusion"] == [[1, 0, 0, 0], [0, 0, 0, 2], [1, 0, 1, 0], [0, 0, 0, 0]], g["confusion"]
near(g["accuracy"], 0.4); near(g["kappa"], 6 / 21)
f = r["labels"]["flag"]
assert f["type"] == "rule" and f["metric"] == "score" and f["n"] == 4 and f["correct"] == 2, f
assert f["classes"] == ["no", "yes", "(none)"] and f["confusion"] == [[1, 1, 0], [0, 1, 1], [0, 0, 0]], f
near(f["sensitivity"], 0.5); near(f["specificity"], 0.5)
h = r["labels"]["found"]
assert h["n"] == 3 and h["correct"] == 2 and h["classes"] == ["false", "true"], h
t = r["throughput"]
assert t["threads"] == 1 and t["seconds"] > 0 and t["files_per_s"] > 0 and t["peak_rss_mb"] > 1, t
assert 0 <= t["latency_p50_s"] <= t["latency_p95_s"], t
assert list(t["by_kind"]) == ["selftest"] and t["by_kind"]["selftest"]["files"] == 5, t["by_kind"]
PY
expect_json "$TMP/rec.jsonl" "--out keeps every file's record"
[ "$(wc -l <"$TMP/rec.jsonl")" -eq 5 ] && ok "--out has one record per file" || fail "--out has one record per file"
[ "$(stat -c %a "$TMP/rec.jsonl")" = 600 ] && ok "--out is created 0600" || fail "--out mode $(stat -c %a "$TMP/rec.jsonl")"
expect_exit 1 "the text report too" -- "$PENSCOPE" bench "$D"
expect_grep "accuracy 40.0% (2 of 5)" "$TMP/out" "text report: category accuracy"
expect_grep "limits of agreement -2.578 to +4.578" "$TMP/out" "text report: Bland-Altman limits"
expect_grep "failed: .*a5.txt: the sensor fell off" "$TMP/out" "text report names the failure"
expect_grep "sensitivity 50.0%, specificity 50.0% (score >= 5)" "$TMP/out" "text report: the rule's sensitivity and specificity"
expect_exit 1 "-j 2 gives the same statistics" -- "$PENSCOPE" bench --json -j 2 "$D"
python3 - "$TMP/out" "$TMP/report.json" <<'PY' && ok "-j 2 statistics equal -j 1" || fail "-j 2 statistics equal -j 1"
import json, sys
a, b = (json.loads(open(p).readline()) for p in sys.argv[1:3])
assert a["labels"] == b["labels"] and a["failures"] == b["failures"]
assert a["throughput"]["threads"] == 2
PY

# refused labels files name the line at fault
printf 'file,size\na1.txt,1\na1.txt,2\n' >"$TMP/dup.csv"
expect_exit 1 "a file listed twice is refused" -- "$PENSCOPE" bench --labels "$TMP/dup.csv" "$D"
expect_grep "line 3: 'a1.txt' is listed twice (first on line 2)" "$TMP/err" "the duplicate's line is named"
printf 'file,size\na1.txt,1,2\n' >"$TMP/wide.csv"
expect_exit 1 "a row wider than the header is refused" -- "$PENSCOPE" bench --labels "$TMP/wide.csv" "$D"
expect_grep "line 2: 3 fields, the header has 2" "$TMP/err" "the wide row's line is named"
printf 'file,flag=score>>5\na1.txt,yes\n' >"$TMP/rule.csv"
expect_exit 1 "a malformed rule is refused" -- "$PENSCOPE" bench --labels "$TMP/rule.csv" "$D"
expect_grep "not NAME=METRIC OP NUMBER" "$TMP/err" "the rule format is explained"
printf 'file,size\nx.dat,1\n' >"$TMP/nokind.csv"
expect_exit 1 "a file of no known kind is refused" -- "$PENSCOPE" bench --labels "$TMP/nokind.csv" "$TMP/ds/sub"
expect_grep "no kind for .x.dat.: add a kind column or --kind" "$TMP/err" "the missing kind is explained"
expect_exit 1 "a missing labels file is refused" -- "$PENSCOPE" bench --labels "$TMP/none.csv" "$D"

# without labels: every input of the kind, throughput only
mkdir -p "$TMP/ink"
printf 'x_mm,y_mm,t_s,pen\n0,0,0,1\n1,0,0.01,1\n2,0,0.02,1\n3,0,0.03,1\n' >"$TMP/ink/r.csv"
expect_exit 0 "a folder without labels" -- "$PENSCOPE" bench --json "$TMP/ink"
python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); assert r["files"]==1 and r["labels"]=={} and r["labels_file"] is None' \
    "$TMP/out" && ok "throughput-only report" || fail "throughput-only report"

# end to end on the example dataset (pages left out in quick mode)
GEN="$PS_BINARY_DIR/tests/gen/psgen"
if [ -x "$GEN" ]; then
    "$PS_SOURCE_DIR/bench/make_example_dataset.sh" "$PS_BINARY_DIR" "$TMP/ex" --small >/dev/null || fail "make_example_dataset.sh"
    if [ -n "${PS_TEST_QUICK:-}" ]; then
        grep -v ',page,' "$TMP/ex/labels.csv" >"$TMP/ex/l" && mv "$TMP/ex/l" "$TMP/ex/labels.csv"
    fi
    expect_exit 0 "bench on the example dataset" -- "$PENSCOPE" bench --json "$TMP/ex"
    python3 - "$TMP/out" "$TMP/ex/labels.csv" <<'PY' && ok "every label of the example is scored" || fail "every label of the example is scored"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
rows = [l for l in open(sys.argv[2]) if not l.startswith("#")][1:]
assert r["files"] == len(rows) and r["failed"] == 0, (r["files"], len(rows))
for name, s in r["labels"].items():
    n = s.get("n", 0)
    assert n > 0 or s.get("labelled", 0) == 0, name
    if s["type"] != "number" and n > 0:
        assert 0 <= s["accuracy"] <= 1, (name, s)
    if s["type"] != "number" and n == 0:
        assert s["accuracy"] is None, (name, s)  # no labelled file: no accuracy, not 0
assert r["labels"]["strokes"]["n"] == 2 and r["labels"]["hand_found"]["n"] == 4
assert r["throughput"]["frames"] >= 4
PY
else
    echo "psgen not built: example dataset skipped"
fi
finish
