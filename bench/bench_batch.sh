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

# phase NAME CMD...: wall and CPU (user+sys of the command and its children)
phase() {
    local name="$1"; shift
    /usr/bin/time -f "%e %U %S" -o "$TMP/$name.time" "$@" > /dev/null 2>&1 || true
}

# warm the page cache once
cat $(cat "$TMP/files.list") > /dev/null

phase loop bash -c 'while read -r f; do "$0" "$1" --json "$f" > /dev/null 2>&1 || true; done < "$2"' "$P" "$KIND" "$TMP/files.list"
phase b1 "$P" batch --kind "$KIND" -q -j 1 --out "$TMP/b1.jsonl" "$TMP/files.list"
phase bn "$P" batch --kind "$KIND" -q -j "$cores" --out "$TMP/bn.jsonl" "$TMP/files.list"
export PENSCOPE_DB="$TMP/bench.db"
"$P" child add BENCH > /dev/null
phase rec xargs -a "$TMP/files.list" -d '\n' "$P" record -q --child BENCH --kind "$KIND" --date 2026-01-01
# the pool's own concurrency, apart from free CPU: files that only wait
# (the selftest hook sleeping 50 ms each), so a busy machine cannot hide it
mkdir -p "$TMP/wait"
for i in $(seq 1 40); do printf '!sleep_ms 50\nstrokes %s\n' "$i" > "$TMP/wait/w$i.txt"; done
phase w1 "$P" batch --kind selftest -q -j 1 --out "$TMP/w1.jsonl" "$TMP/wait"
phase w4 "$P" batch --kind selftest -q -j 4 --out "$TMP/w4.jsonl" "$TMP/wait"
stored=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from sessions").fetchone()[0])' "$PENSCOPE_DB")

python3 - "$n" "$cores" "$TMP" "$KIND" "$stored" <<'PY'
import sys
n, cores, tmp, kind, stored = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
def t(name):
    e, u, s = map(float, open(f"{tmp}/{name}.time").read().split()[-3:])
    return e, u + s
loop, b1, bn, rec = t("loop"), t("b1"), t("bn"), t("rec")
print(f"bench_batch: {n} {kind} files, {cores} cores (wall s, CPU s = user+sys)")
print(f"  single-file CLI loop   wall {loop[0]:8.3f}  cpu {loop[1]:8.3f}  {n/loop[0]:8.1f} files/s  (baseline)")
print(f"  batch -j 1             wall {b1[0]:8.3f}  cpu {b1[1]:8.3f}  {n/b1[0]:8.1f} files/s  x{loop[0]/b1[0]:.2f} wall, x{loop[1]/b1[1]:.2f} cpu vs loop")
print(f"  batch -j {cores:<3d}           wall {bn[0]:8.3f}  cpu {bn[1]:8.3f}  {n/bn[0]:8.1f} files/s  x{loop[0]/bn[0]:.2f} wall vs loop, x{b1[0]/bn[0]:.2f} vs -j 1")
print(f"  record (1 txn/file)    wall {rec[0]:8.3f}  cpu {rec[1]:8.3f}  {n/rec[0]:8.1f} files/s  overhead {(rec[0]-b1[0])/n*1000:+.2f} ms wall, {(rec[1]-b1[1])/n*1000:+.2f} ms cpu per file over analysis alone")
w1, w4 = t("w1"), t("w4")
print(f"  pool concurrency: 40 waiting files (50 ms each): -j 1 {w1[0]:.2f} s, -j 4 {w4[0]:.2f} s, x{w1[0]/w4[0]:.2f}")
if stored != n:
    print(f"  note: {n - stored} inputs were byte-identical to others and recorded once")
PY
