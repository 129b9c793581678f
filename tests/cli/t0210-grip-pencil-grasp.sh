#!/bin/bash
# penscope grip: the grip stage's part of the record (issue 4). The bundled
# photos show hands without a pencil: every METRICS.md §1 grip metric is
# present, the pencil metrics are null with a warning (no guess), the hand's
# own 3-D metrics are measured; the grip overlay is written 0600; a video
# gets the grip aggregates and a per-frame grip object; --camera fails
# clearly without a camera.
. "$(dirname "$0")/lib.sh"
IMG="$PS_TESTDATA/hands/images"

expect_exit 0 "grip on a photo without a pencil" -- "$PENSCOPE" grip --json --overlay "$TMP/ov" "$IMG/call_0413d5c5.jpg"
python3 - "$TMP/out" <<'PY' && ok "grip metrics: all present, pencil null, no grasp guessed" || fail "grip metrics"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
m = r["metrics"]
names = ["pencil_found", "pencil_angle_deg", "fingers_on_pencil", "thumb_position", "web_space_angle_deg",
         "web_space", "grip_distance_mm", "grip_distance_rel", "index_dip_angle_deg", "index_dip_hyperextended",
         "grasp", "grasp_maturity", "grasp_confidence"]
missing = [n for n in names if n not in m]
assert not missing, missing
assert m["pencil_found"] is False
assert m["grasp"] == "unknown" and m["grasp_maturity"] is None and m["grasp_confidence"] == 0
for n in ["pencil_angle_deg", "fingers_on_pencil", "thumb_position", "grip_distance_mm", "grip_distance_rel"]:
    assert m[n] is None, (n, m[n])
assert isinstance(m["web_space_angle_deg"], (int, float)) and 0 <= m["web_space_angle_deg"] <= 180
assert m["web_space"] in ("open", "closed")
assert isinstance(m["index_dip_angle_deg"], (int, float)) and 0 <= m["index_dip_angle_deg"] <= 180
g = r["detail"]["grip"]
assert g["pencil"] is None and g["contacts"] == [] and g["criteria"]
assert g["criteria"][0]["name"] == "pencil"
assert any("no pencil" in w for w in r["warnings"]), r["warnings"]
# the hand is small in this photo (about 35 px wrist to middle knuckle): the warning says so
assert any("too small" in w for w in r["warnings"]), r["warnings"]
PY
[ -f "$TMP/ov/call_0413d5c5.grip.png" ] && ok "grip overlay written" || fail "no grip overlay"
[ "$(stat -c %a "$TMP/ov/call_0413d5c5.grip.png" 2>/dev/null)" = 600 ] && ok "grip overlay is 0600" || fail "grip overlay mode"
head -c 8 "$TMP/ov/call_0413d5c5.grip.png" | od -An -c | grep -q "P   N   G" && ok "grip overlay is a PNG" || fail "grip overlay not PNG"

expect_exit 0 "text line says there is no pencil" -- "$PENSCOPE" grip "$IMG/call_0413d5c5.jpg"
expect_grep "no pencil" "$TMP/out" "summary mentions the pencil"

expect_exit 0 "--pencil-mm accepted" -- "$PENSCOPE" grip --json --pencil-mm 9.5 "$IMG/call_0413d5c5.jpg"
expect_exit 2 "bad --pencil-mm" -- "$PENSCOPE" grip --pencil-mm wide "$IMG/call_0413d5c5.jpg"

# live camera: no camera on a test machine: a clear error, not a usage error
expect_exit 1 "grip --camera without a camera" -- "$PENSCOPE" grip --camera 63 --seconds 1
expect_grep "camera 63" "$TMP/err" "the error names the camera"

# no hand: the grip metrics are null, the record is still ok
expect_exit 0 "grip on a photo without a hand" -- "$PENSCOPE" grip --json "$IMG/four_25bb4c45.jpg"
python3 - "$TMP/out" <<'PY' && ok "no hand: grip metrics null" || fail "no-hand grip metrics"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["ok"] and r["metrics"]["hand_found"] is False
assert r["metrics"]["grasp"] is None and r["metrics"]["pencil_found"] is None
assert "grip" not in r["detail"]
PY

# a video of 4 identical frames: the grip aggregates and a grip object per frame
make_mjpeg_avi "$IMG/call_0413d5c5.jpg" "$TMP/clip.avi" 512 384 4 5
expect_exit 0 "grip on a video" -- "$PENSCOPE" grip --json --overlay "$TMP/ov2" "$TMP/clip.avi"
python3 - "$TMP/out" <<'PY' && ok "video: grip aggregates and per-frame grip" || fail "video grip"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
m = r["metrics"]
for n in ["frames", "hand_found_pct", "grasp_mode", "mature_grasp_pct", "grasp_changes", "grip_distance_mm_mean",
          "grip_distance_mm_sd", "pencil_angle_sd_deg", "movement_source", "finger_movement_ratio"]:
    assert n in m, n
assert m["frames"] == 4 and m["grasp_mode"] == "unknown" and m["grasp_changes"] == 0
assert m["mature_grasp_pct"] is None and m["movement_source"] is None
fr = r["detail"]["frames"]
assert len(fr) == 4 and all(f["grip"]["pencil_found"] is False for f in fr)
PY
[ "$(stat -c %a "$TMP/ov2/clip.grip.png" 2>/dev/null)" = 600 ] && ok "video grip overlay written 0600" || fail "no video grip overlay"
expect_exit 0 "grip on a video, text line" -- "$PENSCOPE" grip "$TMP/clip.avi"
expect_grep "mature n/a" "$TMP/out" "no grasp known: the mature share is n/a"
grep -qiw "nan" "$TMP/out" && fail "NaN in the summary line: $(cat "$TMP/out")" || ok "no NaN in the summary line"
finish
