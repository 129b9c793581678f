#!/usr/bin/env python3
"""Writes cat.inkml, a synthetic InkML recording of a child-sized "cat"
drawn along penscope's letter models (models/letters/print.json) with a
minimum-jerk speed profile, small tremor, pressure, and hover traces between
strokes. The 'a' is circled clockwise (a direction difference the demo
shows). Deterministic (fixed seed). Run from the repository root:
    python3 samples/ink/make_cat_inkml.py > samples/ink/cat.inkml
"""
import json
import math
import random

random.seed(6)
models = json.load(open("models/letters/print.json"))["letters"]
FS = 200.0
SIZE = 18.0  # mm per model unit: x-height 9 mm, like a young child's print
traces = []  # (pen, [(x, y, t, f)])
t = 0.0


def path(points, speed, pen):
    global t
    total = sum(math.dist(a, b) for a, b in zip(points, points[1:]))
    if len(points) < 2 or total < 1e-9:
        out = []
        for _ in range(5):
            out.append((points[0][0], points[0][1], t, 0.5 if pen else 0.0))
            t += 1 / FS
        return out
    m = int(math.ceil(total / speed * FS)) + 1
    out, seg, done = [], 1, 0.0
    seglen = math.dist(points[0], points[1])
    for k in range(m):
        tau = k / (m - 1)
        target = (tau ** 3 * (10 - 15 * tau + 6 * tau * tau)) * total
        while seg < len(points) - 1 and done + seglen < target:
            done += seglen
            seg += 1
            seglen = math.dist(points[seg - 1], points[seg])
        u = min(1.0, max(0.0, (target - done) / seglen if seglen else 0.0))
        x = points[seg - 1][0] + u * (points[seg][0] - points[seg - 1][0]) + random.gauss(0, 0.03)
        y = points[seg - 1][1] + u * (points[seg][1] - points[seg - 1][1]) + random.gauss(0, 0.03)
        f = (0.45 + 0.2 * math.sin(math.pi * tau)) if pen else 0.0
        out.append((x, y, t, f))
        t += 1 / FS
    return out


x0 = 20.0
last = None
for ch, reverse in (("c", False), ("a", True), ("t", False)):
    for stroke in models[ch][0]["strokes"]:
        pts = [(x0 + px * SIZE, 20.0 + py * SIZE) for px, py in stroke]
        if reverse and len(pts) > 2 and stroke is models[ch][0]["strokes"][0]:
            pts = pts[::-1]
        if last is not None:
            traces.append((0, path([last, pts[0]], 90.0, False)))
        traces.append((1, path(pts, 45.0, True)))
        last = traces[-1][1][-1][:2]
        t += 0.05
    x0 += 0.75 * SIZE

print('<?xml version="1.0" encoding="UTF-8"?>')
print('<ink xmlns="http://www.w3.org/2003/InkML">')
print('  <annotation type="description">synthetic: "cat" drawn along penscope\'s letter models; the a is circled clockwise</annotation>')
print('  <definitions><context xml:id="ctx"><inkSource xml:id="synthetic"><traceFormat>')
print('    <channel name="X" type="decimal" units="mm"/>')
print('    <channel name="Y" type="decimal" units="mm"/>')
print('    <channel name="T" type="decimal" units="s"/>')
print('    <channel name="F" type="decimal" max="1"/>')
print('  </traceFormat></inkSource></context></definitions>')
for pen, pts in traces:
    kind = "" if pen else ' type="penUp"'
    body = ", ".join(f"{x:.3f} {y:.3f} {tt:.4f} {f:.3f}" for x, y, tt, f in pts)
    print(f'  <trace contextRef="#ctx"{kind}>{body}</trace>')
print('</ink>')
