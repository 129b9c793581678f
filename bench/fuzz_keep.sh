#!/bin/bash
# After a campaign run: merges the work corpus into the feature-minimal set
# (libFuzzer -merge=1, the repo corpus first so its files count as known),
# and copies up to N of the new files, smallest first, into
# tests/fuzz/corpus/<name>/ as fuzz_<sha1 prefix>.
#   bench/fuzz_keep.sh BUILD_FUZZ_DIR OUT name [N]
set -eu
build=$1 out=$2 name=$3 keep=${4:-16}
src=$(cd "$(dirname "$0")/.." && pwd)
repo=$src/tests/fuzz/corpus/$name
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/known" "$tmp/min"
cp "$repo"/* "$tmp/known/"
# inputs already in the repo go in first, so the merge keeps only what adds features
PENSCOPE_MODELS=$src/models nice -n 10 "$build/tests/fuzz_$name" -merge=1 "$tmp/known" "$out/$name/corpus" \
    >"$tmp/merge.log" 2>&1
ls -S -r "$tmp/known" | while read -r f; do
    h=$(sha1sum "$tmp/known/$f" | cut -c1-12)
    if ! cmp -s "$tmp/known/$f" "$repo/$f" 2>/dev/null && ! ls "$repo" | grep -q "$h"; then
        echo "$f $h"
    fi
done | head -n "$keep" | while read -r f h; do
    cp "$tmp/known/$f" "$repo/fuzz_$h"
    echo "kept fuzz_$h ($(stat -c %s "$repo/fuzz_$h") bytes)"
done
