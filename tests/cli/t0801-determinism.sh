#!/usr/bin/env bash
# Determinism: the same input gives byte-identical JSON across runs, across
# thread counts of the analyser (grip -j 1 / -j 2: the networks' threads),
# and across analysers running side by side (batch -j 1 / -j 2, records
# compared sorted since batch writes them as files finish), for grip (photos
# and a video), page and ink.
. "$(dirname "$0")/lib.sh"
GEN="$PS_BINARY_DIR/tests/gen/psgen"
H="$PS_TESTDATA/hands/images"

same() { # same DESCRIPTION FILE1 FILE2
    if [ -s "$2" ] && cmp -s "$2" "$3"; then ok "$1"; else fail "$1"; diff <(head -c 3000 "$2") <(head -c 3000 "$3") | head -20; fi
}

# grip: a palm-detector photo, a photo with no palm (grip-view search), a video
G="$H/call_0413d5c5.jpg $H/none_00af1db1.jpg $PS_SOURCE_DIR/tests/fuzz/corpus/video/mjpg_32x24.avi"
"$PENSCOPE" grip --json -j 1 $G >"$TMP/g1" 2>/dev/null
"$PENSCOPE" grip --json -j 1 $G >"$TMP/g1b" 2>/dev/null
"$PENSCOPE" grip --json -j 2 $G >"$TMP/g2" 2>/dev/null
[ "$(grep -c '"ok":true' "$TMP/g1")" -ge 2 ] && ok "grip analysed the photos" || fail "grip analysed the photos"
same "grip: two runs give the same bytes" "$TMP/g1" "$TMP/g1b"
same "grip: 1 and 2 threads give the same bytes" "$TMP/g1" "$TMP/g2"

# page: two ruled pages from psgen
if [ -x "$GEN" ]; then
    mkdir -p "$TMP/pages"
    "$GEN" --ruling single --slant 8 --seed 1 --page 148x80 --text 'the quick brown fox\njumps over' "$TMP/pages/a.png" || fail "psgen"
    "$GEN" --ruling seyes --x-height 3 --seed 2 --page 148x80 --text 'a lazy dog\nsix big pens' "$TMP/pages/b.png" || fail "psgen"
    "$PENSCOPE" page --json --text 'the quick brown fox jumps over' "$TMP/pages/a.png" >"$TMP/p1"
    "$PENSCOPE" page --json --text 'the quick brown fox jumps over' "$TMP/pages/a.png" >"$TMP/p1b"
    grep -q '"ok":true' "$TMP/p1" && ok "page analysed the page" || fail "page analysed the page"
    same "page: two runs give the same bytes" "$TMP/p1" "$TMP/p1b"
    "$PENSCOPE" batch -q --kind page -j 1 "$TMP/pages" | sort >"$TMP/pb1"
    "$PENSCOPE" batch -q --kind page -j 2 "$TMP/pages" | sort >"$TMP/pb2"
    [ "$(wc -l <"$TMP/pb1")" -eq 2 ] && ok "batch page: two records" || fail "batch page: two records"
    same "page: batch -j 1 and -j 2 give the same bytes" "$TMP/pb1" "$TMP/pb2"
else
    fail "psgen not built"
fi

# ink: the sample recording with its text, and a CSV
mkdir -p "$TMP/ink"
cp "$PS_SOURCE_DIR/samples/ink/cat.inkml" "$TMP/ink/"
python3 -c '
import math
print("x_mm,y_mm,t_s,pen")
for i in range(400):
    a = i / 40.0
    print("%.3f,%.3f,%.4f,%d" % (10 + 5 * math.cos(a) + i * 0.05, 10 + 5 * math.sin(a), i * 0.005, 0 if i % 100 > 90 else 1))
' >"$TMP/ink/loops.csv"
"$PENSCOPE" ink --json --text cat "$TMP/ink/cat.inkml" >"$TMP/i1"
"$PENSCOPE" ink --json --text cat "$TMP/ink/cat.inkml" >"$TMP/i1b"
grep -q '"ok":true' "$TMP/i1" && ok "ink analysed the recording" || fail "ink analysed the recording"
same "ink: two runs give the same bytes" "$TMP/i1" "$TMP/i1b"
"$PENSCOPE" batch -q --kind ink -j 1 "$TMP/ink" | sort >"$TMP/ib1"
"$PENSCOPE" batch -q --kind ink -j 2 "$TMP/ink" | sort >"$TMP/ib2"
[ "$(wc -l <"$TMP/ib1")" -eq 2 ] && ok "batch ink: two records" || fail "batch ink: two records"
same "ink: batch -j 1 and -j 2 give the same bytes" "$TMP/ib1" "$TMP/ib2"

# grip through batch, the photos side by side
mkdir -p "$TMP/photos"
cp "$H/call_0413d5c5.jpg" "$H/four_06aa70cc.jpg" "$H/rock_026fd791.jpg" "$TMP/photos/"
"$PENSCOPE" batch -q --kind grip -j 1 "$TMP/photos" 2>/dev/null | sort >"$TMP/gb1"
"$PENSCOPE" batch -q --kind grip -j 2 "$TMP/photos" 2>/dev/null | sort >"$TMP/gb2"
[ "$(wc -l <"$TMP/gb1")" -eq 3 ] && ok "batch grip: three records" || fail "batch grip: three records"
same "grip: batch -j 1 and -j 2 give the same bytes" "$TMP/gb1" "$TMP/gb2"
finish
