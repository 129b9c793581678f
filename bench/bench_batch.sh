#!/usr/bin/env bash
# Batch and store benchmark (issue 7). Prints ratios against baselines measured
# in the same run:
#   1. batch throughput: 'penscope batch -j N' against the single-file CLI run
#      in a shell loop over the same files (one process per file), for N = 1
#      and N = all cores;
#   2. record overhead: 'penscope record' (analysis + one SQLite transaction
#      per file, synchronous=FULL) against 'penscope batch -j 1' (analysis
#      alone) on the same files.
# usage: bench/bench_batch.sh [PENSCOPE_BINARY] [KIND] [FILES_OR_DIR...]
# default: build/penscope, kind ink, the PaHaW recordings in ../shared/data/ink
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
P="${1:-$here/../build/penscope}"
KIND="${2:-ink}"
shift $(( $# >= 2 ? 2 : $# ))
if [ $# -eq 0 ]; then set -- "$here/../../shared/data/ink"; fi
[ -x "$P" ] || { echo "bench_batch: no penscope binary at '$P'" >&2; exit 2; }
TMP="$(mktemp -d /tmp/penscope-bench-XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

# the file list, as batch would find it
"$P" batch --kind "$KIND" -q -j 1 --out "$TMP/list.jsonl" "$@" 2>/dev/null || true
python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["file"])' "$TMP/list.jsonl" > "$TMP/files.list"
n=$(wc -l < "$TMP/files.list")
[ "$n" -gt 0 ] || { echo "bench_batch: no $KIND inputs found" >&2; exit 2; }
cores=$(nproc)

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }

# warm the page cache once
cat $(cat "$TMP/files.list") > /dev/null

t0=$(now)
while read -r f; do "$P" "$KIND" --json "$f" > /dev/null 2>&1 || true; done < "$TMP/files.list"
t1=$(now); loop=$(secs "$t0" "$t1")

t0=$(now); "$P" batch --kind "$KIND" -q -j 1 --out "$TMP/b1.jsonl" "$TMP/files.list" 2>/dev/null || true; t1=$(now)
b1=$(secs "$t0" "$t1")
t0=$(now); "$P" batch --kind "$KIND" -q -j "$cores" --out "$TMP/bn.jsonl" "$TMP/files.list" 2>/dev/null || true; t1=$(now)
bn=$(secs "$t0" "$t1")

export PENSCOPE_DB="$TMP/bench.db"
"$P" child add BENCH > /dev/null
t0=$(now); xargs -a "$TMP/files.list" -d '\n' "$P" record -q --child BENCH --kind "$KIND" --date 2026-01-01 2>/dev/null || true; t1=$(now)
rec=$(secs "$t0" "$t1")

python3 - "$n" "$cores" "$loop" "$b1" "$bn" "$rec" "$KIND" <<'PY'
import sys
n, cores = int(sys.argv[1]), int(sys.argv[2])
loop, b1, bn, rec = map(float, sys.argv[3:7])
kind = sys.argv[7]
print(f"bench_batch: {n} {kind} files, {cores} cores")
print(f"  single-file CLI loop      {loop:8.3f} s  {n/loop:8.1f} files/s  (baseline)")
print(f"  batch -j 1                {b1:8.3f} s  {n/b1:8.1f} files/s  x{loop/b1:.2f} vs loop")
print(f"  batch -j {cores:<3d}              {bn:8.3f} s  {n/bn:8.1f} files/s  x{loop/bn:.2f} vs loop, x{b1/bn:.2f} vs -j 1")
print(f"  record (store, 1 txn/file) {rec:7.3f} s  {n/rec:8.1f} files/s  overhead {(rec-b1)/n*1000:+.2f} ms/file over analysis alone (x{rec/b1:.2f})")
PY
