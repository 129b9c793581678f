#!/usr/bin/env bash
# End to end with the real ink analyser: record three pen recordings (the kind
# comes from the file type) as three sessions, progress over them, and batch
# producing exactly what 'penscope ink' produces for each file.
. "$(dirname "$0")/lib.sh"
export PENSCOPE_DB="$TMP/p.db"
P="$PENSCOPE"
INK="$PS_TESTDATA/store/ink"
files=("$INK"/00026_w.cz.fnusa.3_3.svc "$INK"/00026_w.cz.fnusa.3_4.svc "$INK"/00026_w.cz.fnusa.3_5.svc)
$P child add I1 >/dev/null || fail "child add"
for i in 0 1 2; do
    expect_exit 0 "record ink file $i" -- $P record --child I1 --date "2026-04-0$((i + 1))" "${files[$i]}"
done
expect_grep "recorded 00026_w.cz.fnusa.3_5.svc for I1 on 2026-04-03" "$TMP/out" "record names the file"
[ "$(sqlite3 "$PENSCOPE_DB" "select distinct kind from sessions")" = ink ] && ok "kind taken from the file type" || fail "kind"

# what record stored equals what 'penscope ink --json' reports
$P ink --json "${files[1]}" > "$TMP/ink.json" 2>/dev/null || fail "penscope ink"
sqlite3 -json "$PENSCOPE_DB" "select m.metric, m.value from measurements m join sessions s on s.id=m.session_id where s.date='2026-04-02'" > "$TMP/stored.json"
python3 - "$TMP/ink.json" "$TMP/stored.json" <<'PY' && ok "stored values equal the analyser's" || fail "stored values differ"
import json, sys
rec = json.loads(open(sys.argv[1]).readline())
stored = {r["metric"]: r["value"] for r in json.load(open(sys.argv[2]))}
assert set(stored) == set(rec["metrics"]), set(rec["metrics"]) ^ set(stored)
for k, v in rec["metrics"].items():
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        assert abs(stored[k] - v) <= 1e-9 * max(1, abs(v)), (k, stored[k], v)
    elif v is None:
        assert stored[k] is None, k
PY

expect_exit 0 "progress over ink sessions" -- $P progress --child I1 --json --metric velocity_mm_s_mean
expect_grep '"unit":"mm/s","sessions":3' "$TMP/out" "three sessions of pen speed"

expect_exit 0 "batch --kind ink over the folder" -- $P batch --kind ink -j 2 -q --out "$TMP/b.csv" "$INK"
python3 - "$TMP/b.csv" "$TMP/ink.json" <<'PY' && ok "batch CSV row equals 'penscope ink'" || fail "batch CSV differs"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 3 and all(r["ok"] == "true" for r in rows), rows
rec = json.loads(open(sys.argv[2]).readline())
row = [r for r in rows if r["file"].endswith("3_4.svc")][0]
for k, v in rec["metrics"].items():
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        assert abs(float(row[k]) - v) <= 1e-9 * max(1, abs(v)), (k, row[k], v)
PY
finish
