#!/bin/bash
# penscope grip on photos and a video: JSON records with the hand metrics and
# landmarks, independent photos, a tracked video, overlays (0600), --model,
# and clear errors for missing models, bad options and bad inputs.
. "$(dirname "$0")/lib.sh"
IMG="$PS_TESTDATA/hands/images"

expect_exit 0 "grip on two photos" -- "$PENSCOPE" grip --json "$IMG/call_0413d5c5.jpg" "$IMG/four_25bb4c45.jpg"
expect_json "$TMP/out" "grip --json prints JSON lines"
python3 - "$TMP/out" <<'PY' && ok "records: hand metrics, 21 landmarks, world landmarks, roi" || fail "grip records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, recs
a, b = recs
assert a["kind"] == "grip" and a["ok"] is True
m = a["metrics"]
assert m["hand_found"] is True and 0.5 < m["hand_score"] <= 1
# MediaPipe labels this hand "Right" on the unmirrored photo: the real hand is the left one
assert m["handedness"] == "left", m
h = a["detail"]["hands"][0]
assert len(h["landmarks"]) == 21 and all(len(p) == 3 for p in h["landmarks"])
assert len(h["world_landmarks"]) == 21
# MediaPipe's wrist for this photo is at (361.2, 154.0)
assert abs(h["landmarks"][0][0] - 361.2) < 5 and abs(h["landmarks"][0][1] - 154.0) < 5, h["landmarks"][0]
assert set(h["roi"]) == {"cx", "cy", "w", "h", "angle_deg"}
assert h["source"] == "palm"
assert a["detail"]["width"] == 512 and a["detail"]["height"] == 384
assert b["ok"] is True and b["metrics"]["hand_found"] is False and b["metrics"]["hand_score"] is None
assert b["warnings"], b
PY

expect_exit 0 "grip text output" -- "$PENSCOPE" grip "$IMG/call_0413d5c5.jpg"
expect_grep "call_0413d5c5.jpg: 1 hand: left" "$TMP/out" "text line names the hand"

expect_exit 0 "grip --model lite --overlay" -- "$PENSCOPE" grip --model lite --overlay "$TMP/ov" "$IMG/rock_026fd791.jpg"
if [ -f "$TMP/ov/rock_026fd791.hands.png" ]; then ok "overlay written"; else fail "no overlay"; fi
[ "$(stat -c %a "$TMP/ov/rock_026fd791.hands.png" 2>/dev/null)" = 600 ] && ok "overlay is 0600" || fail "overlay mode"
expect_exit 0 "grip --model lite --json" -- "$PENSCOPE" grip --model lite --json "$IMG/rock_026fd791.jpg"
expect_grep '"model":"lite"' "$TMP/out" "the lite model is used"

expect_exit 2 "bad --model" -- "$PENSCOPE" grip --model huge "$IMG/rock_026fd791.jpg"
expect_exit 2 "grip without inputs" -- "$PENSCOPE" grip
mkdir -p "$TMP/empty"
expect_exit 1 "missing models" -- "$PENSCOPE" grip --models "$TMP/empty" "$IMG/rock_026fd791.jpg"
expect_grep "palm_detection_full.tflite" "$TMP/err" "missing model file named"
expect_grep "make setup" "$TMP/err" "tells how to fetch the models"

printf 'not a jpeg' > "$TMP/bad.jpg"
expect_exit 1 "a bad photo among good ones" -- "$PENSCOPE" grip --json "$TMP/bad.jpg" "$IMG/rock_026fd791.jpg"
python3 - "$TMP/out" <<'PY' && ok "bad photo reported, the next one analysed" || fail "batch semantics"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2 and recs[0]["ok"] is False and recs[0]["error"]["code"] and recs[1]["ok"] is True
PY

# a video: 6 frames of one photo in a Motion-JPEG AVI, tracked
make_mjpeg_avi "$IMG/call_0413d5c5.jpg" "$TMP/clip.avi" 512 384 6 5
expect_exit 0 "grip on a video" -- "$PENSCOPE" grip --json --overlay "$TMP/ov" "$TMP/clip.avi"
python3 - "$TMP/out" <<'PY' && ok "video: one record, per-frame hands, tracking after the first frame" || fail "video record"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 1
r = recs[0]
assert r["ok"] and r["metrics"]["frames"] == 6 and r["metrics"]["hand_found_pct"] == 100
fr = r["detail"]["frames"]
assert len(fr) == 6
assert fr[0]["hands"][0]["source"] == "palm"
assert all(f["hands"][0]["source"] == "tracking" for f in fr[1:])
PY
[ -f "$TMP/ov/clip.hands.png" ] && ok "video overlay written" || fail "no video overlay"
finish
