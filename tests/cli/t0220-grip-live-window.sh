#!/bin/bash
# penscope grip --show: a video plays in a live window with the grip overlay
# (the display module, OpenCV highgui, under a virtual X server). The screen
# is grabbed while the window is up and must show the video frame with the
# overlay drawn on it: the pixels where the overlay PNG (--overlay) differs
# from the plain frame look like the overlay, the rest like the frame. The
# window changes no result: the JSON is the same with and without it.
# Without a display, or without the module, or when the display goes away
# during the video, one warning and the same result.
. "$(dirname "$0")/lib.sh"
if ! command -v Xvfb >/dev/null; then
    echo "skip: Xvfb is not installed (scripts/setup.sh installs xvfb)"; exit 77
fi
for tool in import convert xwininfo xdotool; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh installs imagemagick, x11-utils, xdotool)"
done
[ "$fails" -eq 0 ] || { finish; exit 1; }
export XDG_RUNTIME_DIR="$TMP/xdg" && mkdir -m 700 "$XDG_RUNTIME_DIR"   # keeps Qt quiet

IMG="$PS_SOURCE_DIR/samples/hands/call_0413d5c5.jpg"
make_mjpeg_avi "$IMG" "$TMP/clip.avi" 512 384 10 5     # 2 s, played at its own speed
convert "$IMG" -depth 8 "$TMP/frame.ppm"

# the reference, with --no-show: an unreachable display is not even tried
expect_exit 0 "grip --no-show (reference)" -- env DISPLAY=:97 \
    "$PENSCOPE" grip --json --no-show --overlay "$TMP/ov" "$TMP/clip.avi"
cp "$TMP/out" "$TMP/ref.json"
grep -q "warning" "$TMP/err" && { fail "--no-show tried a window"; cat "$TMP/err"; } || ok "--no-show opens no window"
convert "$TMP/ov/clip.grip.png" -depth 8 "$TMP/overlay.ppm"

# Under the virtual X server: start grip, wait for its window, grab the screen a few times.
cat > "$TMP/live.sh" <<'SH'
"$PENSCOPE" grip --json --show "$TMP/clip.avi" >"$TMP/live.json" 2>"$TMP/live.err" &
pid=$!
for i in $(seq 300); do   # until the window is on the screen (or grip ended)
    xwininfo -name "penscope grip: clip.avi" 2>/dev/null | grep -q IsViewable && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
for k in 1 2 3; do
    import -window root -depth 8 "ppm:$TMP/shot$k.ppm" 2>/dev/null
    xwininfo -name "penscope grip: clip.avi" >"$TMP/win$k.txt" 2>/dev/null
    sleep 0.2
done
cp "$TMP/win1.txt" "$TMP/win.txt" 2>/dev/null
wait $pid
echo $? >"$TMP/live.rc"
SH
TMP="$TMP" PENSCOPE="$PENSCOPE" with_xvfb 1024x768x24 bash "$TMP/live.sh"
[ "$(cat "$TMP/live.rc" 2>/dev/null)" = 0 ] && ok "grip --show exits 0" || { fail "grip --show: exit $(cat "$TMP/live.rc" 2>/dev/null)"; cat "$TMP/live.err"; }
grep -q "Width: *512" "$TMP/win.txt" 2>/dev/null && grep -q "Height: *384" "$TMP/win.txt" \
    && ok "the window is the video's size" || { fail "no 512x384 window seen"; cat "$TMP/win.txt" "$TMP/live.err" 2>/dev/null; }
cmp -s "$TMP/live.json" "$TMP/ref.json" && ok "the window changes no result" || fail "JSON differs with --show"
grep -q "warning" "$TMP/live.err" && { fail "warning with a display"; cat "$TMP/live.err"; } || ok "no warning with a display"

python3 - "$TMP" <<'PY' && ok "the window shows the frame with the grip overlay" || fail "screen grab does not show the overlay"
import re, sys
tmp = sys.argv[1]
def ppm(path):
    data = open(path, "rb").read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]
W, H, frame = ppm(tmp + "/frame.ppm")
_, _, over = ppm(tmp + "/overlay.ppm")
def diff(a, i, b, j):
    return abs(a[i] - b[j]) + abs(a[i + 1] - b[j + 1]) + abs(a[i + 2] - b[j + 2])
# the overlay's own pixels: where the overlay PNG differs clearly from the frame
marks = [(x, y) for y in range(H) for x in range(W) if diff(over, 3 * (y * W + x), frame, 3 * (y * W + x)) > 90]
plain = [(x, y) for y in range(0, H, 3) for x in range(0, W, 3) if diff(over, 3 * (y * W + x), frame, 3 * (y * W + x)) < 30]
assert len(marks) > 0.01 * W * H, len(marks)   # the label box alone is several percent
best = None
for k in (1, 2, 3):
    try:
        SW, SH, shot = ppm("%s/shot%d.ppm" % (tmp, k))
        win = open("%s/win%d.txt" % (tmp, k)).read()
        x0 = int(re.search(r"Absolute upper-left X:\s*(-?\d+)", win).group(1))
        y0 = int(re.search(r"Absolute upper-left Y:\s*(-?\d+)", win).group(1))
    except (OSError, AttributeError) as e:  # grip had ended: no grab or no window
        print("grab %d: none (%s)" % (k, e))
        continue
    def at(x, y):
        return 3 * ((y0 + y) * SW + x0 + x)
    if x0 < 0 or y0 < 0 or x0 + W > SW or y0 + H > SH:
        print("grab %d: the window at %d,%d is not all on the %dx%d screen" % (k, x0, y0, SW, SH))
        continue
    # overlay pixels shown as the overlay (the skeleton moves a little between frames: a margin)
    on = sum(diff(shot, at(x, y), over, 3 * (y * W + x)) < diff(shot, at(x, y), frame, 3 * (y * W + x)) for x, y in marks)
    # the rest of the picture is the video frame (decoders differ by a few levels)
    same = sum(diff(shot, at(x, y), frame, 3 * (y * W + x)) < 45 for x, y in plain)
    score = (on / len(marks), same / len(plain))
    print("grab %d: %.1f%% of overlay pixels drawn, %.1f%% of the frame shown" % (k, 100 * score[0], 100 * score[1]))
    if best is None or score > best:
        best = score
assert best and best[0] > 0.8 and best[1] > 0.9, best
PY

expect_exit 0 "--show without a display still analyses" -- env -u DISPLAY -u WAYLAND_DISPLAY \
    "$PENSCOPE" grip --json --show "$TMP/clip.avi"
cmp -s "$TMP/out" "$TMP/ref.json" && ok "same result without a display" || fail "JSON differs without a display"
[ "$(wc -l <"$TMP/err")" -eq 1 ] && expect_grep "warning: no live window: no display" "$TMP/err" "one warning line" \
    || { fail "want one warning line"; cat "$TMP/err"; }

mkdir "$TMP/nomodules"   # the video module only
ln -s "$PS_BINARY_DIR/modules/penscope-video.so" "$TMP/nomodules/"
TMP="$TMP" PENSCOPE="$PENSCOPE" PENSCOPE_MODULE_DIR="$TMP/nomodules" with_xvfb 640x480x24 \
    bash -c '"$PENSCOPE" grip --json --show "$TMP/clip.avi" >"$TMP/out" 2>"$TMP/err"; echo $? >"$TMP/rc"'
[ "$(cat "$TMP/rc")" = 0 ] && ok "--show without the module still analyses" || fail "exit $(cat "$TMP/rc") without the module"
cmp -s "$TMP/out" "$TMP/ref.json" && ok "same result without the module" || fail "JSON differs without the module"
expect_grep "penscope-display.so.*$TMP/nomodules" "$TMP/err" "the warning says which module and where it looked"
[ "$(wc -l <"$TMP/err")" -eq 1 ] && ok "one warning line" || { fail "want one warning line"; cat "$TMP/err"; }

# q closes the window; the analysis of the video goes on to its end. The
# clip would play for 20 s: a window gone within 10 s was closed by the key.
make_mjpeg_avi "$IMG" "$TMP/long.avi" 512 384 20 1
expect_exit 0 "grip on the long clip (reference)" -- "$PENSCOPE" grip --json "$TMP/long.avi"
cp "$TMP/out" "$TMP/long.json"
cat > "$TMP/key.sh" <<'SH'
"$PENSCOPE" grip --json --show "$TMP/long.avi" >"$TMP/out" 2>"$TMP/err" &
pid=$!
for i in $(seq 300); do
    xwininfo -name "penscope grip: long.avi" 2>/dev/null | grep -q IsViewable && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
sleep 0.3
xdotool mousemove 100 100 key q
for i in $(seq 100); do   # 10 s
    xwininfo -name "penscope grip: long.avi" 2>/dev/null | grep -q IsViewable || { echo closed >"$TMP/key.state"; break; }
    sleep 0.1
done
wait $pid
echo $? >"$TMP/rc"
SH
TMP="$TMP" PENSCOPE="$PENSCOPE" with_xvfb 1024x768x24 bash "$TMP/key.sh"
[ "$(cat "$TMP/key.state" 2>/dev/null)" = closed ] && ok "q closes the window" || fail "the window stayed after q"
[ "$(cat "$TMP/rc")" = 0 ] && ok "grip exits 0 after q" || fail "exit $(cat "$TMP/rc") after q"
cmp -s "$TMP/out" "$TMP/long.json" && ok "the whole video is still analysed after q" || fail "JSON differs after q"

# The display goes away mid-video (Qt then ends its process): the window's
# own process ends, grip warns once and analyses the whole video as before.
fifo="$TMP/xgone.fifo" && mkfifo "$fifo"
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$fifo" 2>/dev/null &
xpid=$!
read -r -t 20 num <"$fifo"
DISPLAY=":$num" "$PENSCOPE" grip --json --show "$TMP/long.avi" >"$TMP/out" 2>"$TMP/err" &
gpid=$!
for i in $(seq 300); do
    DISPLAY=":$num" xwininfo -name "penscope grip: long.avi" 2>/dev/null | grep -q IsViewable && break
    kill -0 $gpid 2>/dev/null || break
    sleep 0.05
done
kill "$xpid"; wait "$xpid" 2>/dev/null
wait $gpid
rc=$?
[ "$rc" = 0 ] && ok "grip exits 0 when the display goes away" || { fail "exit $rc when the display went away"; cat "$TMP/err"; }
cmp -s "$TMP/out" "$TMP/long.json" && ok "the whole video is analysed after the display went away" || fail "JSON differs after the display went away"
expect_grep "warning: no live window: the window's process ended" "$TMP/err" "the warning says the window ended"
[ "$(grep -c "warning" "$TMP/err")" -eq 1 ] && ok "one warning" || { fail "want one warning"; cat "$TMP/err"; }

finish
