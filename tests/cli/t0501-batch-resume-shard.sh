#!/usr/bin/env bash
# batch over a folder (selftest analyser, a test hook): JSON Lines and CSV,
# per-file errors reported and skipped, --resume after a torn output and after
# kill -9, --shard I/N splits deterministically, merge joins the shards.
. "$(dirname "$0")/lib.sh"
P="$PENSCOPE"
mkdir -p "$TMP/in/sub" "$TMP/in/.hidden"
for i in $(seq -w 1 30); do
    d="$TMP/in"; [ $((10#$i % 3)) = 0 ] && d="$TMP/in/sub"
    printf 'x_height_mm %s\nruling single\nlegibility_pct %s\n' "$((10#$i)).5" "$((10#$i + 50))" > "$d/p$i.txt"
done
printf '!fail smudged beyond reading\n' > "$TMP/in/bad1.txt"
printf 'justonetoken\n' > "$TMP/in/bad2.txt"
printf 'x_height_mm 1\n' > "$TMP/in/.hidden/skip.txt"
total=32

# exit 0 or 1 (whether the bad files fall in the resumed part depends on thread order)
expect_done() {
    local what="$1"; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"; local got=$?
    if [ $got = 0 ] || [ $got = 1 ]; then ok "$what"; else fail "$what: exit $got"; cat "$TMP/err"; fi
}

count_files() { python3 - "$1" <<'PY'
import json, sys, collections
c = collections.Counter(json.loads(l)["file"] for l in open(sys.argv[1]))
dup = [f for f, n in c.items() if n > 1]
print(len(c), len(dup))
PY
}

expect_exit 1 "batch with two bad files exits 1" -- $P batch --kind selftest -j 2 -q --out "$TMP/all.jsonl" "$TMP/in"
expect_json "$TMP/all.jsonl" "batch writes JSON lines"
[ "$(count_files "$TMP/all.jsonl")" = "$total 0" ] && ok "every file once, hidden folder skipped" || fail "files: $(count_files "$TMP/all.jsonl")"
expect_grep "smudged beyond reading" "$TMP/err" "a failing file is reported"
expect_grep '"ok":false' "$TMP/all.jsonl" "and recorded as failed"
[ "$(stat -c %a "$TMP/all.jsonl")" = 600 ] && ok "output is 0600" || fail "output mode"
expect_exit 2 "an existing --out is refused without --resume" -- $P batch --kind selftest --out "$TMP/all.jsonl" "$TMP/in"

# --resume after an interruption that tore the last line and lost the rest
head -n 10 "$TMP/all.jsonl" > "$TMP/part.jsonl"
sed -n 11p "$TMP/all.jsonl" | head -c 25 >> "$TMP/part.jsonl"
expect_done "resume" -- $P batch --kind selftest -j 2 --resume --out "$TMP/part.jsonl" "$TMP/in"
expect_grep "already done" "$TMP/err" "resume says how many were done"
expect_json "$TMP/part.jsonl" "the torn line is gone"
[ "$(count_files "$TMP/part.jsonl")" = "$total 0" ] && ok "resume completes without redoing" || fail "resume: $(count_files "$TMP/part.jsonl")"
[ "$(wc -l < "$TMP/part.jsonl")" = $total ] && ok "no extra lines" || fail "lines $(wc -l < "$TMP/part.jsonl")"
expect_exit 0 "resume of a finished run does nothing" -- $P batch --kind selftest --resume --out "$TMP/part.jsonl" "$TMP/in"
expect_grep "0 files in" "$TMP/err" "nothing redone"

# kill -9 in the middle of a run, then resume
for i in $(seq 1 40); do printf '!sleep_ms 25\nstrokes %s\n' "$i" > "$TMP/in/slow$i.txt"; done
total=$((total + 40))
$P batch --kind selftest -j 2 -q --out "$TMP/killed.jsonl" "$TMP/in" 2>/dev/null &
pid=$!
for t in $(seq 1 200); do   # poll, no timing assumption: kill once some records are out
    [ -f "$TMP/killed.jsonl" ] && [ "$(wc -l < "$TMP/killed.jsonl")" -ge 5 ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
before=$(wc -l < "$TMP/killed.jsonl")
expect_done "resume after kill -9" -- $P batch --kind selftest -j 2 --resume --out "$TMP/killed.jsonl" "$TMP/in"
[ "$(count_files "$TMP/killed.jsonl")" = "$total 0" ] && ok "after kill -9 + resume: every file once ($before were done)" || fail "kill: $(count_files "$TMP/killed.jsonl")"

# CSV: metrics as columns in METRICS.md order
expect_exit 1 "batch --out csv" -- $P batch --kind selftest -q --out "$TMP/all.csv" "$TMP/in"
python3 - "$TMP/all.csv" $total <<'PY' && ok "CSV has a header, one row per file, metric columns" || fail "csv content"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == int(sys.argv[2]), len(rows)
r = [x for x in rows if x["file"].endswith("/p07.txt")][0]
assert r["ok"] == "true" and r["x_height_mm"] == "7.5" and r["ruling"] == "single" and r["legibility_pct"] == "57", r
b = [x for x in rows if x["file"].endswith("bad1.txt")][0]
assert b["ok"] == "false" and "smudged" in b["error"], b
PY
head -n 5 "$TMP/all.csv" > "$TMP/part.csv"
expect_done "csv resume" -- $P batch --kind selftest -q --resume --out "$TMP/part.csv" "$TMP/in"
[ "$(wc -l < "$TMP/part.csv")" = $((total + 1)) ] && ok "csv resume: header once, every file once" || fail "csv resume lines $(wc -l < "$TMP/part.csv")"

expect_exit 2 "resuming a CSV of another kind is refused" -- $P batch --kind ink -q --resume --out "$TMP/part.csv" "$TMP/in"
expect_grep "other columns" "$TMP/err" "and says why"

# shards: disjoint, together everything; merge equals the single run
ls "$TMP"/in/*.txt "$TMP"/in/sub/*.txt > "$TMP/inputs.list"
for s in 1 2 3; do
    $P batch --kind selftest -q --shard $s/3 --out "$TMP/shard$s.jsonl" "$TMP/inputs.list" 2>/dev/null
done
n1=$(wc -l < "$TMP/shard1.jsonl"); n2=$(wc -l < "$TMP/shard2.jsonl"); n3=$(wc -l < "$TMP/shard3.jsonl")
[ $((n1 + n2 + n3)) = $total ] && ok "shards add up ($n1+$n2+$n3)" || fail "shards $n1 $n2 $n3"
[ $n1 -ge 23 ] && [ $n1 -le 25 ] && ok "shards are balanced" || fail "shard 1 has $n1"
$P batch --kind selftest -q --shard 2/3 --out "$TMP/shard2again.jsonl" "$TMP/inputs.list" 2>/dev/null
cmp -s <(cut -d, -f1 "$TMP/shard2.jsonl" | sort) <(cut -d, -f1 "$TMP/shard2again.jsonl" | sort) && ok "a shard is deterministic" || fail "shard 2 differs between runs"
expect_exit 0 "merge" -- $P merge --out "$TMP/merged.jsonl" "$TMP/shard1.jsonl" "$TMP/shard2.jsonl" "$TMP/shard3.jsonl"
$P batch --kind selftest -q -j 1 --out "$TMP/single.jsonl" "$TMP/inputs.list" 2>/dev/null
python3 - "$TMP/merged.jsonl" "$TMP/single.jsonl" <<'PY' && ok "merged shards = one run, sorted by file" || fail "merge differs"
import json, sys
m = [json.loads(l) for l in open(sys.argv[1])]
s = sorted((json.loads(l) for l in open(sys.argv[2])), key=lambda r: r["file"])
assert [r["file"] for r in m] == sorted(r["file"] for r in m)
assert m == s, (len(m), len(s))
PY
for s in 1 2; do $P batch --kind selftest -q --shard $s/2 --out "$TMP/cs$s.csv" "$TMP/inputs.list" 2>/dev/null; done
printf '"%s/torn' "$TMP" >> "$TMP/cs2.csv"   # an interrupted shard's last line
expect_exit 0 "merge csv shards" -- $P merge --out "$TMP/merged.csv" "$TMP/cs1.csv" "$TMP/cs2.csv"
expect_grep "torn line" "$TMP/err" "the torn line is reported"
[ "$(wc -l < "$TMP/merged.csv")" = $((total + 1)) ] && [ "$(grep -c '^file,kind,ok,error' "$TMP/merged.csv")" = 1 ] \
    && ok "merged csv: one header, every file once" || fail "merged csv"
expect_exit 2 "merge will not overwrite" -- $P merge --out "$TMP/merged.jsonl" "$TMP/shard1.jsonl"
expect_exit 2 "bad --shard" -- $P batch --kind selftest --shard 4/3 "$TMP/in"
expect_exit 2 "--resume without --out" -- $P batch --kind selftest --resume "$TMP/in"
# on a terminal: a progress bar with rate and ETA (script(1) gives a pseudo-terminal)
if command -v script >/dev/null; then
    script -qec "$P batch --kind selftest -j 2 --out $TMP/tty.jsonl $TMP/in" /dev/null > "$TMP/tty.txt" 2>&1
    grep -q "files/s  ETA [0-9]*:[0-9][0-9]" "$TMP/tty.txt" && grep -q "2 failed" "$TMP/tty.txt" \
        && ok "terminal progress bar with rate, ETA and failures" || { fail "no progress bar"; cat -v "$TMP/tty.txt" | tail -3; }
fi
expect_exit 0 "batch to stdout" -- $P batch --kind selftest -q "$TMP/in/p01.txt" "$TMP/in/p02.txt"
expect_json "$TMP/out" "stdout is JSON lines"
finish
