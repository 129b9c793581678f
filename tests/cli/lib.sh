# Shared helpers for the numbered CLI tests (git t/ style). Source it first.
# Environment from CTest: PENSCOPE, PS_SOURCE_DIR, PS_BINARY_DIR, PS_TESTDATA, PS_SHARED.
set -u
: "${PENSCOPE:?run through ctest}"
TMP="$(mktemp -d /tmp/penscope-cli-XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
fails=0
passes=0

ok()   { passes=$((passes + 1)); echo "ok - $*"; }
fail() { fails=$((fails + 1)); echo "FAIL - $*"; }

# expect_exit CODE DESCRIPTION -- CMD...   runs CMD, checks its exit code, keeps output in $TMP/out, $TMP/err
expect_exit() {
    local want="$1" what="$2"; shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" -ge 128 ]; then fail "$what: crashed (exit $got)"; cat "$TMP/err"; return 1; fi
    if [ "$got" -ne "$want" ]; then fail "$what: exit $got, want $want"; cat "$TMP/err"; return 1; fi
    ok "$what"
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
    if grep -q -- "$1" "$2"; then ok "$3"; else fail "$3: '$1' not in $2"; head -c 2000 "$2"; fi
}

# expect_json FILE DESCRIPTION : every line of FILE is a JSON object
expect_json() {
    if python3 -c 'import json,sys
n=0
for l in open(sys.argv[1]):
    if l.strip(): json.loads(l); n+=1
sys.exit(0 if n else 1)' "$1" 2>"$TMP/jsonerr"; then ok "$2"; else fail "$2: not JSON lines"; cat "$TMP/jsonerr"; head -c 2000 "$1"; fi
}

# make_mjpeg_avi JPEG OUT.avi WIDTH HEIGHT FRAMES FPS : a Motion-JPEG AVI of FRAMES copies of
# JPEG (whose size is WIDTH x HEIGHT), with an idx1 index, for the video tests
make_mjpeg_avi() {
    python3 - "$@" <<'PY'
import struct, sys
frame = open(sys.argv[1], "rb").read()
w, h, n, fps = (int(a) for a in sys.argv[3:7])
def chunk(fcc, data):
    return fcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
def lst(kind, data):
    return b"LIST" + struct.pack("<I", len(data) + 4) + kind + data
avih = struct.pack("<10I4I", 1000000 // fps, 0, 0, 0x10, n, 0, 1, len(frame), w, h, 0, 0, 0, 0)
strh = b"vids" + b"MJPG" + struct.pack("<IHHIIIIIIiI4h", 0, 0, 0, 0, 1, fps, 0, n, len(frame), -1, 0, 0, 0, w, h)
strf = struct.pack("<IiiHH4sIiiII", 40, w, h, 1, 24, b"MJPG", w * h * 3, 0, 0, 0, 0)
hdrl = lst(b"hdrl", chunk(b"avih", avih) + lst(b"strl", chunk(b"strh", strh) + chunk(b"strf", strf)))
frames, index, off = b"", b"", 4
for i in range(n):
    c = chunk(b"00dc", frame)
    index += b"00dc" + struct.pack("<III", 0x10, off, len(frame))
    frames += c
    off += len(c)
body = b"AVI " + hdrl + lst(b"movi", frames) + chunk(b"idx1", index)
open(sys.argv[2], "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
PY
}

# with_xvfb WxHxD CMD... : runs CMD with $DISPLAY set to a virtual X server of
# its own. Xvfb picks a free display number itself (-displayfd), so tests
# running at the same time never share one (xvfb-run -a can: two runs may
# pick the same number, and the loser talks to a server that goes away).
with_xvfb() {
    local screen=$1 fifo="$TMP/xvfb.$$.$RANDOM" num xpid rc
    shift
    mkfifo "$fifo"
    Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -noreset 3>"$fifo" 2>"$fifo.log" &
    xpid=$!
    read -r -t 20 num <"$fifo" || { kill "$xpid" 2>/dev/null; cat "$fifo.log"; return 125; }
    DISPLAY=":$num" "$@"
    rc=$?
    kill "$xpid" 2>/dev/null
    wait "$xpid" 2>/dev/null
    return $rc
}

finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}
