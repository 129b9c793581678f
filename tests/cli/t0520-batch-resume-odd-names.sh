#!/usr/bin/env bash
# batch --resume and merge with input names that JSON and CSV cannot hold as
# they are: a name that is not valid UTF-8 (JSON Lines hold U+FFFD in its
# place) and a name with a newline (CSV quotes it over two lines). Each file
# must be analysed once however often a run is resumed, and merge must keep
# a multi-line CSV row whole.
. "$(dirname "$0")/lib.sh"
P="$PENSCOPE"
mkdir -p "$TMP/in"
printf 'x_height_mm 1\n' > "$TMP/in/plain.txt"
printf 'x_height_mm 2\n' > "$TMP/in/bad$(printf '\377')byte.txt"
printf 'x_height_mm 3\n' > "$TMP/in/new
line.txt"

csv_rows() { python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape")))
files = [r[0] for r in rows[1:]]
print(len(files), len(set(files)))
PY
}

expect_exit 0 "batch jsonl" -- $P batch --kind selftest -q -j 1 --out "$TMP/o.jsonl" "$TMP/in"
expect_exit 0 "resume jsonl" -- $P batch --kind selftest -q -j 1 --resume --out "$TMP/o.jsonl" "$TMP/in"
expect_exit 0 "resume jsonl again" -- $P batch --kind selftest -q -j 1 --resume --out "$TMP/o.jsonl" "$TMP/in"
[ "$(wc -l < "$TMP/o.jsonl")" = 3 ] && ok "jsonl: a name that is not UTF-8 is not redone on resume" \
    || fail "jsonl has $(wc -l < "$TMP/o.jsonl") records, want 3"

expect_exit 0 "batch csv" -- $P batch --kind selftest -q -j 1 --out "$TMP/o.csv" "$TMP/in"
expect_exit 0 "resume csv" -- $P batch --kind selftest -q -j 1 --resume --out "$TMP/o.csv" "$TMP/in"
[ "$(csv_rows "$TMP/o.csv")" = "3 3" ] && ok "csv: a name with a newline is not redone on resume" \
    || fail "csv rows (all, distinct): $(csv_rows "$TMP/o.csv")"

for s in 1 2; do
    expect_exit 0 "csv shard $s" -- $P batch --kind selftest -q --shard $s/2 --out "$TMP/s$s.csv" "$TMP/in"
done
expect_exit 0 "merge csv shards" -- $P merge --out "$TMP/m.csv" "$TMP/s1.csv" "$TMP/s2.csv"
[ "$(csv_rows "$TMP/m.csv")" = "3 3" ] && ok "merge keeps a multi-line CSV row whole" \
    || fail "merged csv rows: $(csv_rows "$TMP/m.csv")"
finish
