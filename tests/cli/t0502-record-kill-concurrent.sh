#!/usr/bin/env bash
# Store safety from the command line: kill -9 in the middle of recording many
# files leaves a valid database holding only whole sessions; two record
# processes writing at once lose nothing; a foreign or damaged database file
# gives a clear error and is not modified.
. "$(dirname "$0")/lib.sh"
export PENSCOPE_DB="$TMP/p.db"
P="$PENSCOPE"
K=6 # metrics per file
$P child add A >/dev/null && $P child add B >/dev/null && ok "children" || fail "children"
mkdir -p "$TMP/a" "$TMP/b"
for i in $(seq 1 60); do
    printf '!sleep_ms 10\nstrokes %s\npen_lifts 3\nduration_s 2.5\nin_air_s 0.5\non_surface_s 2\nstops %s\n' "$i" "$i" > "$TMP/a/f$i.txt"
    printf 'strokes %s\npen_lifts 4\nduration_s 3.5\nin_air_s 1.5\non_surface_s 2\nstops 1\n' "$i" > "$TMP/b/f$i.txt"
done

# kill -9 while recording
$P record -q --child A --kind selftest --date 2026-03-02 "$TMP"/a/f*.txt 2>/dev/null &
pid=$!
# wait until some sessions are in (no timing assumption: poll the database)
for t in $(seq 1 200); do
    n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 5 ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions")
[ "$n" -lt 60 ] && ok "killed mid-run ($n of 60 recorded)" || ok "note: the run finished before the kill ($n of 60)"
[ "$(sqlite3 "$PENSCOPE_DB" 'PRAGMA integrity_check')" = ok ] && ok "database valid after kill -9" || fail "integrity"
partial=$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions s where (select count(*) from measurements m where m.session_id=s.id) <> $K")
[ "$partial" = 0 ] && ok "only whole sessions ($(sqlite3 "$PENSCOPE_DB" 'select count(*) from sessions') recorded before the kill)" || fail "$partial partial sessions"
expect_exit 0 "recording again completes the rest" -- $P record -q --child A --kind selftest --date 2026-03-02 "$TMP"/a/f*.txt
[ "$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions where date='2026-03-02'")" = 60 ] && ok "60 sessions, none twice" || fail "sessions after rerun"

# two writers at once, different children and the same child
$P record -q --child B --kind selftest --date 2026-03-03 "$TMP"/b/f*.txt 2>"$TMP/e1" &
p1=$!
$P record -q --child A --kind selftest --date 2026-03-03 "$TMP"/b/f*.txt 2>"$TMP/e2" &
p2=$!
$P record -q --child B --kind selftest --date 2026-03-04 "$TMP"/b/f*.txt 2>"$TMP/e3" &
p3=$!
wait $p1; r1=$?; wait $p2; r2=$?; wait $p3; r3=$?
[ $r1 = 0 ] && [ $r2 = 0 ] && [ $r3 = 0 ] && ok "three concurrent writers succeed" || { fail "writers exit $r1 $r2 $r3"; cat "$TMP"/e1 "$TMP"/e2 "$TMP"/e3; }
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions where date in ('2026-03-03','2026-03-04')")
m=$(sqlite3 "$PENSCOPE_DB" "select count(*) from measurements m join sessions s on s.id=m.session_id where s.date in ('2026-03-03','2026-03-04')")
[ "$n" = 180 ] && [ "$m" = $((180 * K)) ] && ok "nothing lost: 180 sessions, $m measurements" || fail "sessions $n measurements $m"
# the same files for the same child and day from two processes: stored once
$P record -q --child B --kind selftest --date 2026-03-05 "$TMP"/b/f*.txt 2>/dev/null &
p1=$!
$P record -q --child B --kind selftest --date 2026-03-05 "$TMP"/b/f*.txt 2>/dev/null &
p2=$!
wait $p1; wait $p2
[ "$(sqlite3 "$PENSCOPE_DB" "select count(*) from sessions where date='2026-03-05'")" = 60 ] && ok "racing duplicates stored once" || fail "duplicates"

# foreign and damaged files are refused and left as they were
printf 'my shopping list: eggs, milk, paper, pencils, and a long line to pass one hundred bytes of header\n' > "$TMP/notes.db"
sqlite3 "$TMP/other.db" "create table contacts(name text); insert into contacts values ('x');"
cp "$PENSCOPE_DB" "$TMP/broken.db"
sqlite3 "$PENSCOPE_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; cp "$PENSCOPE_DB" "$TMP/broken.db"
size=$(stat -c %s "$TMP/broken.db")
python3 - "$TMP/broken.db" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
page = 4096
for off in range(2 * page, min(len(b), 6 * page)):   # wreck pages 3..6, keep the header
    b[off] = (b[off] * 7 + 13) & 0xff
open(p, 'wb').write(b)
PY
for f in notes other broken; do
    sum=$(sha256sum "$TMP/$f.db" | cut -d' ' -f1)
    expect_exit 1 "$f database refused" -- $P child list --db "$TMP/$f.db"
    cat "$TMP/err"
    [ "$(sha256sum "$TMP/$f.db" | cut -d' ' -f1)" = "$sum" ] && ok "$f database unchanged" || fail "$f database was modified"
    [ ! -e "$TMP/$f.db-wal" ] && ok "$f database got no WAL" || fail "$f database got a WAL"
done
expect_exit 1 "record into a foreign database" -- $P record --db "$TMP/other.db" --child A --kind selftest "$TMP/b/f1.txt"
expect_grep "another program" "$TMP/err" "the error says whose file it is"

# two processes creating the same new database at once: one schema, both children
for k in 1 2 3 4 5; do
    $P child add X$k --db "$TMP/race$k.db" 2>"$TMP/race_e1" &
    a=$!
    $P child add Y$k --db "$TMP/race$k.db" 2>"$TMP/race_e2" &
    b=$!
    wait $a; ra=$?; wait $b; rb=$?
    [ $ra = 0 ] && [ $rb = 0 ] && [ "$(sqlite3 "$TMP/race$k.db" 'select count(*) from children')" = 2 ] || {
        fail "concurrent creation $k: exit $ra $rb"; cat "$TMP/race_e1" "$TMP/race_e2"; }
done
ok "concurrent creation of a new database (5 tries)"

# a database from an older penscope is migrated on first use, keeping its data
for v in 1 2; do
    sqlite3 "$TMP/old$v.db" < "$PS_TESTDATA/store/schema_v$v.sql"
    [ "$(sqlite3 "$TMP/old$v.db" 'PRAGMA user_version')" = $v ] || fail "fixture v$v"
    expect_exit 0 "schema v$v database opens" -- $P child list --db "$TMP/old$v.db" --json
    expect_json "$TMP/out" "children of the v$v database listed"
    [ "$(sqlite3 "$TMP/old$v.db" 'PRAGMA user_version')" = "$(sqlite3 "$PENSCOPE_DB" 'PRAGMA user_version')" ] \
        && ok "v$v database migrated to the current schema" || fail "v$v not migrated"
done
expect_exit 0 "progress from the migrated v1 database" -- $P progress --db "$TMP/old1.db" --child K7 --json --metric grip_distance_mm
expect_grep '"baseline":4,.*"latest":14' "$TMP/out" "old sessions still there"
finish
