#!/usr/bin/env bash
# Children's data never leaves the machine: penscope makes no socket at all,
# neither on the samples (demo: every analyser, the store, the reports) nor
# on video files that ask FFmpeg to fetch from the network (an HLS playlist,
# an ffconcat list and an SDP session named .mp4, pointing at a local port
# that counts connections). strace watches the socket calls.
. "$(dirname "$0")/lib.sh"
P="$PENSCOPE"
if ! strace -f -qq -o /dev/null true 2>/dev/null; then
    echo "skip - strace is missing or may not trace here (scripts/setup.sh installs it)"
    finish
    exit $?
fi
# a listener on a local port: it notes every connection made to it
python3 - "$TMP/port" "$TMP/connections" <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
log = open(sys.argv[2], "a")
while True:
    c, _ = s.accept()
    log.write("connection\n")
    log.flush()
    c.close()
PY
srv=$!
for t in $(seq 1 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
port=$(cat "$TMP/port")
printf '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:%s/seg.ts\n#EXT-X-ENDLIST\n' "$port" > "$TMP/hls.mp4"
printf 'ffconcat version 1.0\nfile http://127.0.0.1:%s/a.mp4\n' "$port" > "$TMP/concat.mp4"
printf 'v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video %s RTP/AVP 96\na=rtpmap:96 H264/90000\n' \
    "$port" > "$TMP/sdp.mp4"

traced() { # DESCRIPTION CMD... : runs CMD under strace; no socket call may appear
    local what="$1"; shift
    # LeakSanitizer cannot work under a tracer: leaks are the other tests' business
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -e trace=socket,connect,bind,sendto,sendmsg -o "$TMP/trace" "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ $rc -ge 128 ]; then fail "$what: crashed ($rc)"; cat "$TMP/err"; return; fi
    if [ -s "$TMP/trace" ]; then fail "$what: socket calls"; head -5 "$TMP/trace"; else ok "$what: no socket call"; fi
}
traced "demo" $P demo --out "$TMP/demo" "$PS_SOURCE_DIR/samples"
[ -s "$TMP/demo/report.pdf" ] && ok "the demo ran to its report" || fail "demo did not finish"
for f in hls concat sdp; do
    traced "grip on a $f file" $P grip --json "$TMP/$f.mp4"
    expect_grep '"ok":false' "$TMP/out" "the $f file is refused"
done
traced "batch over them" $P batch --kind grip -q "$TMP/hls.mp4" "$TMP/concat.mp4" "$TMP/sdp.mp4"
kill $srv 2>/dev/null; wait $srv 2>/dev/null
[ ! -s "$TMP/connections" ] && ok "nothing connected to the local port" \
    || fail "$(wc -l < "$TMP/connections") connections to the local port"
finish
