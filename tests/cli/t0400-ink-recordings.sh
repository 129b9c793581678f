#!/bin/bash
# penscope ink on the shared real recordings (PaHaW with its column order
# and resolution, handwriting-sample with the defaults): JSON record with
# every metric of METRICS.md §3, null + warning where a channel or the text
# is missing, the overlay PNG created 0600 under a name that does not
# repeat the file name, and nothing of the file name outside "file".
. "$(dirname "$0")/lib.sh"
INK="$PS_SHARED/data/ink"
PAHAW="$INK/pahaw/examples/data/HC-female/00026_w.cz.fnusa.10_1.svc"
JACK="$INK/handwriting-sample/examples/svc_data/jack_18-07-2014_M_0006_Doe_12-10-2020.svc"
SIGNAL="$INK/handwriting-sample/examples/svc_data/signal.svc"

expect_exit 0 "ink --json on PaHaW" -- "$PENSCOPE" ink --json --columns y,x,time,pen_status,azimuth,altitude,pressure --lpi 1000 --fs 133 "$PAHAW"
expect_json "$TMP/out" "one JSON line"
python3 - "$TMP/out" <<'PY' && ok "PaHaW record: metrics, units, BDALab values" || fail "PaHaW record"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["kind"] == "ink" and r["ok"] is True, r
m = r["metrics"]
names = """duration_s on_surface_s in_air_s air_surface_ratio strokes pen_lifts path_mm width_mm height_mm
velocity_mm_s_mean velocity_mm_s_sd velocity_air_mm_s_mean accel_mm_s2_mean jerk_mm_s3_mean ncv_per_stroke
ncv_per_s stops pressure_mean pressure_sd tilt_deg_mean tilt_deg_sd azimuth_deg_mean azimuth_deg_sd
formation_score start_errors direction_errors order_errors stroke_count_errors reversals letters_per_min""".split()
assert list(m) == names, list(m)
# BDALab reference (shared/data/ink/bdalab_reference.json) for this file
assert abs(m["duration_s"] - 10.692) < 1e-9
assert m["strokes"] == 6 and m["pen_lifts"] == 5
assert abs(m["in_air_s"] - 3.950) < 1e-9
assert abs(m["velocity_air_mm_s_mean"] - 25.658682834117577) < 1e-6
assert abs(m["tilt_deg_mean"] - 53.733144154370045) < 1e-6
assert abs(m["pressure_mean"] * 2048 - 1267.8342792281499) < 1e-6
assert m["formation_score"] is None and any("no expected text" in w for w in r["warnings"])
d = r["detail"]
assert d["format"] == "svc" and d["samples"] == 1227 and abs(d["mm_per_unit"] - 0.0254) < 1e-12
assert d["channels"] == ["time", "pressure", "azimuth", "altitude", "hover"]
assert sum(1 for s in d["strokes"] if s["pen_down"]) == 6
PY

# defaults (x first, 5080 lpi) on both handwriting-sample files, with an overlay
expect_exit 0 "ink --json --overlay on handwriting-sample" -- "$PENSCOPE" ink --json --overlay "$TMP/ov" "$JACK" "$SIGNAL"
expect_json "$TMP/out" "two JSON lines"
python3 - "$TMP/out" "$TMP/ov" <<'PY' && ok "overlays: 0600, hashed names, nothing identifying outside file" || fail "overlay / privacy"
import json, os, stat, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 2
for l in lines:
    r = json.loads(l)
    ov = r["detail"]["overlay"]
    assert os.path.dirname(ov) == sys.argv[2] and os.path.basename(ov).startswith("ink-"), ov
    st = os.stat(ov)
    assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    assert open(ov, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    rest = dict(r)
    rest.pop("file")
    text = json.dumps(rest)
    for part in ("jack", "Doe", "18-07-2014", "12-10-2020", "_M_"):
        assert part not in text, part
assert stat.S_IMODE(os.stat(sys.argv[2]).st_mode) == 0o700
PY
for f in "$TMP"/ov/*.png; do
    case "$(basename "$f")" in *Doe*|*jack*) fail "overlay name repeats the file name";; esac
done
expect_exit 0 "human output" -- "$PENSCOPE" ink "$SIGNAL"
expect_grep "1378 samples (svc" "$TMP/out" "summary line"
expect_grep "pressure 0.62" "$TMP/out" "pressure line"
finish
