#!/usr/bin/env bash
# The per-child store from the command line: child add/list/show/edit, goals,
# record (with the selftest analyser, a test hook), duplicates, progress as a
# table, JSON and CSV, export. The database is created 0600 in a 0700 folder.
. "$(dirname "$0")/lib.sh"
export PENSCOPE_DB="$TMP/data/penscope/p.db"
P="$PENSCOPE"

expect_exit 1 "reading commands do not create a database" -- $P progress --child K7
expect_grep "no database at" "$TMP/err" "they say there is none"
[ ! -e "$PENSCOPE_DB" ] && ok "no empty database left behind" || fail "a database was created"
expect_exit 0 "child add" -- $P child add K7 --birth-year 2018 --hand left --notes "weekly, OT room 2"
[ "$(stat -c %a "$PENSCOPE_DB")" = 600 ] && ok "database is 0600" || fail "database mode $(stat -c %a "$PENSCOPE_DB")"
[ "$(stat -c %a "$TMP/data/penscope")" = 700 ] && ok "folder is 0700" || fail "folder mode"
expect_exit 1 "duplicate child" -- $P child add K7
expect_grep "already exists" "$TMP/err" "duplicate child named"
expect_exit 1 "a name-like code with a space is refused" -- $P child add "Anna B"
expect_exit 2 "child add without an id" -- $P child add
expect_exit 0 "second child" -- $P child add M2 --grade 2
expect_exit 0 "child edit" -- $P child edit M2 --hand right --notes ""
expect_exit 0 "child list --json" -- $P child list --json
expect_json "$TMP/out" "child list is JSON lines"
expect_grep '"id":"M2","birth_year":null,"grade":"2","hand":"right"' "$TMP/out" "edit stored the hand"
expect_exit 1 "unknown child" -- $P child show nobody
expect_grep "no child 'nobody'" "$TMP/err" "unknown child named"

# sessions: grip distance 4, 7, 9, 13, 14 mm weekly
v=(4 7 9 13 14)
for i in 0 1 2 3 4; do
    printf 'grip_distance_mm %s\ngrasp %s\nhand_found true\nlegibility_pct %s\n!detail {"frames":[{"grip_distance_mm":%s},{"grip_distance_mm":%s}]}\n' \
        "${v[$i]}" "$([ $i -lt 3 ] && echo thumb_wrap || echo dynamic_tripod)" "$((50 + i))" "${v[$i]}" "${v[$i]}" > "$TMP/s$i.txt"
    expect_exit 0 "record session $i" -- $P record --child K7 --kind selftest --date "2026-01-0$((i + 1))" "$TMP/s$i.txt"
done
expect_grep "recorded s4.txt for K7 on 2026-01-05: 4 metrics" "$TMP/out" "record says what it stored"
expect_exit 0 "recording the same file again is fine" -- $P record --child K7 --kind selftest --date 2026-01-05 "$TMP/s4.txt"
expect_grep "already recorded" "$TMP/err" "and says it was skipped"
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions where child_id=(select id from children where code='K7')")
[ "$n" = 5 ] && ok "no duplicate session" || fail "sessions: $n"
printf '!fail the hand is not visible\n' > "$TMP/bad.txt"
expect_exit 1 "a failing analysis is reported and not stored" -- $P record --child M2 --kind selftest --date 2026-01-06 "$TMP/s0.txt" "$TMP/bad.txt"
expect_grep "the hand is not visible" "$TMP/err" "analyser message shown"
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions")
[ "$n" = 6 ] && ok "the good file of the batch is stored" || fail "sessions: $n"
expect_exit 1 "unknown kind of file" -- $P record --child K7 "$TMP/s0.txt"
expect_grep "give --kind" "$TMP/err" "asks for --kind"
expect_exit 2 "bad date" -- $P record --child K7 --kind selftest --date 2026-02-30 "$TMP/s0.txt"
expect_exit 1 "unknown child in record" -- $P record --child ZZ --kind selftest "$TMP/s0.txt"
d=$(sqlite3 "$PENSCOPE_DB" "select m.detail from measurements m join sessions s on s.id=m.session_id where s.date='2026-01-02' and m.metric='grip_distance_mm'")
[ "$d" = '{"frames":[7,7]}' ] && ok "per-frame detail kept" || fail "detail: $d"

printf 'grip_distance_mm null\n!warning grip_distance_mm: no pencil found\n' > "$TMP/w.txt"
expect_exit 0 "record a file with a null metric and a warning" -- $P record --child M2 --kind selftest --date 2026-01-07 "$TMP/w.txt"
w=$(sqlite3 "$PENSCOPE_DB" "select warnings from sessions where file='w.txt'")
[ "$w" = '["grip_distance_mm: no pencil found"]' ] && ok "the analyser's warnings are kept" || fail "warnings: $w"

# goals
expect_exit 0 "goal set" -- $P goal set --child K7 --metric grip_distance_mm --target 15:25 --by 2027-03-31 --gas 4,8,15,20,25
expect_exit 2 "goal for an unknown metric" -- $P goal set --child K7 --metric shoe_size --target 3
expect_exit 1 "GAS levels against the good direction" -- $P goal set --child K7 --metric legibility_pct --target 80 --gas 90,80,70,60,50
expect_exit 0 "goal list --json" -- $P goal list --child K7 --json
expect_grep '"gas":\[4,8,15,20,25\]' "$TMP/out" "GAS levels stored"

# progress. By hand: series 4 7 9 13 14 (days 0..4) ; differences 3 2 4 1,
# mean 2.5, ss 5, df 3, SEM = sqrt(5/3)/sqrt(2) = 0.9129; change 10,
# rci = 10/sqrt(5/3) = 7.746 > 1.96; goal 15..25: distance 1; GAS: 14 >= 8 -> -1
expect_exit 0 "progress --json" -- $P progress --child K7 --json
expect_json "$TMP/out" "progress JSON lines"
python3 - "$TMP/out" <<'PY' && ok "progress numbers match the hand computation" || fail "progress numbers"
import json, sys
rows = {r["metric"]: r for r in map(json.loads, open(sys.argv[1]))}
g = rows["grip_distance_mm"]
assert g["baseline"] == 4 and g["latest"] == 14 and g["change"] == 10, g
assert abs(g["sem"] - (5 / 3) ** 0.5 / 2 ** 0.5) < 1e-6, g
assert abs(g["rci"] - 10 / (5 / 3) ** 0.5) < 1e-6, g
assert g["reliable"] is True and g["direction"] == "improved" and g["sem_source"] == "child", g
# least squares: x 0..4 days, sxy = 26, sxx = 10 -> 2.6 mm per day
assert abs(g["slope_per_week"] - 2.6 * 7) < 1e-6, g
assert g["goal"]["distance"] == 1 and g["goal"]["gas_level"] == -1, g
assert rows["grasp"]["first_value"] == "thumb_wrap" and rows["grasp"]["latest_value"] == "dynamic_tripod"
assert rows["legibility_pct"]["direction"] == "improved"
PY
expect_exit 0 "progress table" -- $P progress --child K7
expect_grep "grip_distance_mm" "$TMP/out" "table has the metric"
expect_grep "improved" "$TMP/out" "table has the verdict"
expect_exit 0 "progress --csv --metric" -- $P progress --child K7 --csv --metric grip_distance_mm
[ "$(wc -l < "$TMP/out")" = 2 ] && ok "csv: header + one row" || fail "csv lines"
expect_grep '^"grip_distance_mm","mm",5,' "$TMP/out" "csv row"
expect_exit 0 "progress from a later baseline" -- $P progress --child K7 --json --metric grip_distance_mm --baseline 2026-01-03
expect_grep '"baseline":9' "$TMP/out" "--baseline moves the baseline"
expect_exit 2 "--json and --csv together" -- $P progress --child K7 --json --csv

# export
expect_exit 0 "export --out" -- $P export --out "$TMP/all.csv"
[ "$(stat -c %a "$TMP/all.csv")" = 600 ] && ok "export file is 0600" || fail "export mode"
python3 - "$TMP/all.csv" <<'PY' && ok "export is CSV with every measurement" || fail "export content"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 25, len(rows)   # 6 sessions x 4 metrics + one with a null metric
assert rows[0]["child"] == "K7"
assert {r["metric"] for r in rows} == {"grip_distance_mm", "grasp", "hand_found", "legibility_pct"}
PY
expect_exit 0 "export --wide" -- $P export --wide --child K7
python3 - "$TMP/out" <<'PY' && ok "wide export: one row per session, metrics as columns in METRICS.md order" || fail "wide export"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 5, len(rows)
cols = list(rows[0].keys())
assert cols[:5] == ["child", "date", "kind", "file", "note"], cols
assert cols[5:] == ["hand_found", "grip_distance_mm", "grasp", "legibility_pct"], cols
r = [x for x in rows if x["date"] == "2026-01-02"][0]
assert r["grip_distance_mm"] == "7" and r["grasp"] == "thumb_wrap" and r["hand_found"] == "true" and r["legibility_pct"] == "51", r
PY
expect_exit 0 "export one child" -- $P export --child M2
[ "$(wc -l < "$TMP/out")" = 6 ] && ok "M2 has its two sessions" || fail "M2 export"
expect_exit 0 "child show" -- $P child show K7
expect_grep "sessions    5" "$TMP/out" "show counts sessions"
# deleting a child removes every trace of it, the file keeps no copy
grep -qa "w\.txt" "$PENSCOPE_DB"* && ok "M2's data is in the file before" || fail "M2's data not found before deleting"
expect_exit 2 "delete needs --yes" -- $P child delete M2
expect_exit 0 "child delete" -- $P child delete M2 --yes
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions s where not exists (select 1 from children c where c.id=s.child_id)")
[ "$n" = 0 ] && ok "no orphan sessions" || fail "orphans: $n"
[ "$(sqlite3 "$PENSCOPE_DB" "select count(*) from children where code='M2'")" = 0 ] && ok "child gone" || fail "child still there"
if grep -qa "w\.txt" "$PENSCOPE_DB"*; then fail "deleted data still in the file"; else ok "deleted data not left in free pages"; fi
expect_exit 1 "delete an unknown child" -- $P child delete M2 --yes
expect_exit 0 "the other child is intact" -- $P progress --child K7 --json --metric grip_distance_mm
expect_grep '"sessions":5' "$TMP/out" "K7 keeps its sessions"

# the same content on another date is recorded, with a warning
$P child add Z9 >/dev/null
printf 'legibility_pct 70\n' > "$TMP/dup.txt"
expect_exit 0 "record" -- $P record --child Z9 --kind selftest --date 2026-02-01 "$TMP/dup.txt"
cp "$TMP/dup.txt" "$TMP/dup2.txt"
expect_exit 0 "record the same content on another date" -- $P record --child Z9 --kind selftest --date 2026-02-08 "$TMP/dup2.txt"
expect_grep "same content as 'dup.txt', recorded for Z9 on 2026-02-01" "$TMP/err" "with a warning naming the first"
finish
