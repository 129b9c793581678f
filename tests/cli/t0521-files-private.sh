#!/usr/bin/env bash
# Every file penscope writes describes a child, so it is user-only whatever
# the umask: the main commands run under umask 000 and every file they leave
# (databases and their -wal/-shm while open, reports, overlays, JSON and CSV
# outputs, batch results, merges, exports, bench records) must be 0600 and
# every folder they make 0700 (demo's files: t0003). A file penscope
# overwrites is made 0600 too.
. "$(dirname "$0")/lib.sh"
P="$PENSCOPE"
S="$PS_SOURCE_DIR/samples"
W="$TMP/w"     # everything in here is made by penscope (or listed below)
mkdir -p "$W" "$TMP/in"
export PENSCOPE_DB="$W/store/sub/p.db"
umask 000

expect_exit 0 "grip with overlays" -- $P grip --json --overlay "$W/ov/grip" "$S/hands/call_0413d5c5.jpg"
expect_exit 0 "page with an overlay" -- $P page --json --overlay "$W/ov/page" "$S/pages/worksheet-primary.png"
expect_exit 0 "ink with an overlay" -- $P ink --json --overlay "$W/ov/ink" "$S/ink/signal.svc"

for i in 1 2 3; do printf 'x_height_mm %s\nlegibility_pct %s\n' "$i" "$((60 + i))" > "$TMP/in/s$i.txt"; done
expect_exit 0 "child add (creates the store)" -- $P child add K1
for i in 1 2 3; do
    expect_exit 0 "record $i" -- $P record --child K1 --kind selftest --date "2026-01-0$i" "$TMP/in/s$i.txt"
done
expect_exit 0 "goal" -- $P goal set --child K1 --metric legibility_pct --target 80
expect_exit 0 "report html" -- $P report --child K1 --out "$W/r.html"
expect_exit 0 "report pdf" -- $P report --child K1 --out "$W/r.pdf"
expect_exit 0 "export" -- $P export --out "$W/all.csv"
expect_exit 0 "batch jsonl" -- $P batch --kind selftest -q --out "$W/b.jsonl" "$TMP/in"
expect_exit 0 "batch csv" -- $P batch --kind selftest -q --out "$W/b.csv" "$TMP/in"
expect_exit 0 "batch shard" -- $P batch --kind selftest -q --shard 1/2 --out "$W/b1.jsonl" "$TMP/in"
expect_exit 0 "batch shard" -- $P batch --kind selftest -q --shard 2/2 --out "$W/b2.jsonl" "$TMP/in"
expect_exit 0 "merge" -- $P merge --out "$W/m.jsonl" "$W/b1.jsonl" "$W/b2.jsonl"
printf 'file,kind,x_height_mm\ns1.txt,selftest,1\ns2.txt,selftest,2\n' > "$TMP/in/labels.csv"
expect_exit 0 "bench" -- $P bench --json --out "$W/bench.jsonl" "$TMP/in"

# the store's -wal and -shm exist while a connection is open: look while a
# record is busy analysing a slow file
printf '!sleep_ms 1500\nx_height_mm 4\n' > "$TMP/in/slow.txt"
$P record --child K1 --kind selftest --date 2026-01-04 "$TMP/in/slow.txt" > /dev/null 2>&1 &
pid=$!
for t in $(seq 1 100); do [ -e "$PENSCOPE_DB-shm" ] && break; sleep 0.02; done
if [ -e "$PENSCOPE_DB-wal" ] && [ -e "$PENSCOPE_DB-shm" ]; then
    stat -c '%a %n' "$PENSCOPE_DB-wal" "$PENSCOPE_DB-shm" > "$TMP/walmodes"
    grep -v '^600 ' "$TMP/walmodes" && fail "-wal / -shm not 0600" || ok "-wal and -shm are 0600"
else
    fail "no -wal / -shm seen while a record was running"
fi
wait $pid

# a file that was there before, readable by all, is tightened when written
printf 'old\n' > "$W/existing.csv"
chmod 644 "$W/existing.csv"
expect_exit 0 "export over an existing file" -- $P export --out "$W/existing.csv"

umask 022
[ "$(find "$W" -type f | wc -l)" -ge 14 ] && ok "the commands wrote their files ($(find "$W" -type f | wc -l))" \
    || { fail "too few files written"; find "$W" -type f; }
for f in store/sub/p.db r.html r.pdf all.csv b.jsonl b.csv m.jsonl \
         bench.jsonl; do
    [ -s "$W/$f" ] || fail "$f was not written"
done
[ "$(find "$W/ov/grip" "$W/ov/page" "$W/ov/ink" -name '*.png' | wc -l)" -ge 3 ] && ok "overlays written" \
    || fail "overlays missing"
find "$W" -type f ! -perm 600 -printf '%m %p\n' > "$TMP/loose"
[ -s "$TMP/loose" ] && { fail "files not 0600:"; cat "$TMP/loose"; } || ok "every file is 0600"
# folders penscope made (the work folder itself is the test's)
find "$W" -mindepth 1 -type d ! -perm 700 -printf '%m %p\n' > "$TMP/loose"
[ -s "$TMP/loose" ] && { fail "folders not 0700:"; cat "$TMP/loose"; } || ok "every folder is 0700"
finish
