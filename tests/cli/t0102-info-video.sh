#!/bin/bash
# penscope info on videos: a Motion-JPEG AVI assembled here from a sample
# photo (6 frames at 5 fps), then the same file cut short, a text file
# named .mp4 and an empty .mov: exit codes, JSON, messages naming the file.
. "$(dirname "$0")/lib.sh"
make_mjpeg_avi "$PS_SOURCE_DIR/samples/hands/call_0413d5c5.jpg" "$TMP/clip.avi" 512 384 6 5
size=$(stat -c %s "$TMP/clip.avi")
expect_exit 0 "info on a video" -- "$PENSCOPE" info "$TMP/clip.avi"
expect_grep "clip.avi: video MJPG 512x384, 5 fps, 6 frames, 1.20 s" "$TMP/out" "video size, rate, frames, duration"
expect_exit 0 "info --json on a video" -- "$PENSCOPE" info --json "$TMP/clip.avi"
expect_json "$TMP/out" "video JSON"
python3 - "$TMP/out" <<'PY' && ok "video JSON fields" || fail "video JSON fields"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
d = r["detail"]
assert r["ok"] and d["format"] == "video" and d["codec"] == "MJPG", r
assert d["width"] == 512 and d["height"] == 384 and d["frames"] == 6 and abs(d["fps"] - 5) < 1e-9, d
assert abs(d["duration_s"] - 1.2) < 1e-9, d
PY

head -c 200 "$TMP/clip.avi" > "$TMP/cut.avi"
echo "not a video, just text" > "$TMP/notes.mp4"
: > "$TMP/empty.mov"
expect_exit 1 "info on bad videos next to a good one" -- "$PENSCOPE" info "$TMP/clip.avi" "$TMP/cut.avi" "$TMP/notes.mp4" "$TMP/empty.mov"
expect_grep "clip.avi: video" "$TMP/out" "the good video is still reported"
for b in cut.avi notes.mp4 empty.mov; do expect_grep "$TMP/$b" "$TMP/err" "message names $b"; done
if grep -q "@ 0x" "$TMP/err"; then fail "FFmpeg printed to stderr"; cat "$TMP/err"; else ok "no FFmpeg noise on stderr"; fi
finish
