#!/bin/bash
# Makes a small labelled dataset for `penscope bench` from the repo's own
# material, with labels that are true by construction (never taken from
# penscope's output):
#   pages/  worksheets drawn by tests/gen/psgen; labels from psgen's truth
#           (ruling, x-height, slant, word gap, letter count) and a screening
#           rule (large=x_height_mm>=4.5)
#   ink/    pen recordings (CSV) of straight strokes at a set speed, written
#           here; labels: strokes, path length, on-surface time, and a rule
#           (slow=velocity_mm_s_mean<30)
#   hands/  the real photos of tests/data/hands; labels from the official
#           MediaPipe Hands output on them: hand found, handedness (mirrored
#           back to the real hand), web-space and index DIP angles from its
#           world landmarks (METRICS.md definitions)
# and one labels.csv (with a kind column) for all of it.
#   bench/make_example_dataset.sh BUILD_DIR OUT_DIR [--small]
# then: BUILD_DIR/penscope bench OUT_DIR
set -eu
build=$1 out=$2 small=${3:-}
src=$(cd "$(dirname "$0")/.." && pwd)
psgen=$build/tests/gen/psgen
[ -x "$psgen" ] || { echo "no psgen in $build/tests/gen (build the psgen_tool target)" >&2; exit 2; }
mkdir -p "$out/pages" "$out/ink" "$out/hands"

# pages: ruling, x-height (mm), slant (deg), seed
pages="single 4 0 1
none 3.5 10 2
seyes 5 -8 3
single 5 15 4
primary 4.5 5 5
none 3 0 6"
[ "$small" = --small ] && pages=$(echo "$pages" | head -3)
i=0
echo "$pages" | while read -r ruling xh slant seed; do
    i=$((i + 1))
    "$psgen" --ruling "$ruling" --x-height "$xh" --slant "$slant" --seed "$seed" \
        --text "the quick brown fox\njumps over the lazy dog\nsix big pens" \
        "$out/pages/page$i.png" "$out/pages/page$i.truth.json"
done

SRC=$src OUT=$out SMALL=$small python3 - <<'PY'
import json, math, os, glob
src, out, small = os.environ["SRC"], os.environ["OUT"], os.environ["SMALL"] == "--small"
cols = ["file", "kind", "ruling", "x_height_mm", "slant_deg", "word_gap_mm", "letters", "large=x_height_mm>=4.5",
        "strokes", "path_mm", "on_surface_s", "slow=velocity_mm_s_mean<30",
        "hand_found", "handedness", "web_space_angle_deg", "index_dip_angle_deg"]
rows = []
def row(**kv):
    rows.append([str(kv.get(c.split("=")[0], "")) for c in cols])

for t in sorted(glob.glob(out + "/pages/*.truth.json")):
    m = json.load(open(t))["metrics"]
    row(file="pages/" + os.path.basename(t).replace(".truth.json", ".png"), kind="page", ruling=m["ruling"],
        x_height_mm="%.3f" % m["x_height_mm"], slant_deg="%.2f" % m["slant_deg"],
        word_gap_mm="%.3f" % m["word_gap_mm"], letters=m["letters"],
        large="yes" if m["x_height_mm"] >= 4.5 else "no")

# ink: n strokes of length L mm at speed v mm/s, 200 Hz, 0.3 s in the air between them
fs = 200.0
recs = [(3, 20.0, 40.0), (5, 15.0, 25.0), (2, 30.0, 60.0), (4, 10.0, 20.0)]
if small:
    recs = recs[:2]
for k, (n, L, v) in enumerate(recs, 1):
    lines, t, x0 = ["x_mm,y_mm,t_s,pen"], 0.0, 10.0
    per = int(round(L / v * fs))           # samples per stroke after the first
    for s in range(n):
        y = 10.0 + 8.0 * s
        for j in range(per + 1):
            lines.append("%.4f,%.4f,%.4f,1" % (x0 + L * j / per, y, t)); t += 1 / fs
        if s + 1 < n:                      # hover back to the next line's start
            for j in range(1, int(0.3 * fs)):
                a = j / (0.3 * fs)
                lines.append("%.4f,%.4f,%.4f,0" % (x0 + L * (1 - a), y + 8.0 * a, t)); t += 1 / fs
    open(out + "/ink/rec%d.csv" % k, "w").write("\n".join(lines) + "\n")
    row(file="ink/rec%d.csv" % k, kind="ink", strokes=n, path_mm="%.3f" % (n * L),
        on_surface_s="%.4f" % (n * per / fs), slow="yes" if v < 30 else "no")

# hands: MediaPipe's answers on the real photos
mp = json.load(open(src + "/tests/data/hands/mediapipe_full.json"))["images"]
if small:
    mp = mp[:4]
def angle(a, b, c, d):  # angle between vectors a->b and c->d, degrees
    u = [b[i] - a[i] for i in range(3)]; w = [d[i] - c[i] for i in range(3)]
    cs = sum(u[i] * w[i] for i in range(3)) / math.sqrt(sum(x * x for x in u) * sum(x * x for x in w))
    return math.degrees(math.acos(max(-1.0, min(1.0, cs))))
for im in mp:
    name = os.path.basename(im["file"])
    dst = out + "/hands/" + name
    if not os.path.exists(dst):
        os.symlink(src + "/tests/data/hands/images/" + name, dst)
    kv = dict(file="hands/" + name, kind="grip", hand_found="yes" if im["hands"] else "no")
    if im["hands"]:
        h = max(im["hands"], key=lambda h: h["score"])
        kv["handedness"] = {"Left": "right", "Right": "left"}[h["handedness"]]  # MediaPipe assumes a mirror
        wl = h["world_landmarks"]
        kv["web_space_angle_deg"] = "%.2f" % angle(wl[1], wl[2], wl[0], wl[5])
        kv["index_dip_angle_deg"] = "%.2f" % angle(wl[7], wl[6], wl[7], wl[8])
    row(**kv)

with open(out + "/labels.csv", "w") as f:
    f.write("# made by bench/make_example_dataset.sh; labels true by construction (pages, ink)\n")
    f.write("# or from MediaPipe Hands on the same photos (hands)\n")
    f.write(",".join(cols) + "\n")
    for r in rows:
        f.write(",".join(r) + "\n")
PY
echo "dataset in $out: $(grep -vc '^#' "$out/labels.csv") lines of labels.csv (with the header)"
