#!/usr/bin/env python3
"""Writes print.json, penscope's letter formation models, from the stroke
descriptions below (python3 make_print.py > print.json).

The models follow common manuscript print teaching (Zaner-Bloser style
"ball and stick" print, which Handwriting Without Tears largely shares):
letters start at the top, vertical lines are pulled down, horizontal lines
go left to right, c a d g o q e (and 9, 0, C, G, O, Q) are circled
counter-clockwise from about the 1-2 o'clock position, b h m n p r are
"down, back up, over" (clockwise humps and bowls), dots and crossbars come
after the main stroke. Where programs commonly differ in stroke count (a, d,
g, q written in one stroke or as circle + line), both forms are alternates.

Coordinates are drawn here with y up (baseline 0, mean line 0.5, top 1,
descender -0.5) and written out with y down the page (y' = 1 - y), the
convention of penscope's ink recordings. Angles are in degrees,
counter-clockwise positive as seen on the paper.
"""
import json
import math
import sys

N_ARC = 24  # points per full circle


def line(*pts):
    """A polyline through the given points, densified."""
    out = []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        n = max(2, int(math.hypot(x1 - x0, y1 - y0) / 0.05) + 1)
        for i in range(n):
            if out and i == 0:
                continue
            t = i / (n - 1)
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    return out


def arc(cx, cy, rx, ry, a0, a1):
    """An elliptical arc from angle a0 to a1 (a1 > a0: counter-clockwise)."""
    n = max(3, int(abs(a1 - a0) / 360 * N_ARC) + 1)
    return [(cx + rx * math.cos(math.radians(a0 + (a1 - a0) * i / (n - 1))),
             cy + ry * math.sin(math.radians(a0 + (a1 - a0) * i / (n - 1)))) for i in range(n)]


def join(*parts):
    out = []
    for p in parts:
        for q in p:
            if out and math.hypot(out[-1][0] - q[0], out[-1][1] - q[1]) < 1e-9:
                continue
            out.append(q)
    return out


def dot(x, y):
    return [(x, y)]


# lower-case bowl: centre (0.25, 0.25), radius 0.25 (x-height 0.5)
def c_arc(cx=0.25, cy=0.25, r=0.25, start=45, end=315):
    return arc(cx, cy, r, r, start, end)


L = {}
# --- lower case ---------------------------------------------------------
L['a'] = [[join(c_arc(start=45, end=360 + 15), line((0.5, 0.3), (0.5, 0.5), (0.5, 0.0)))],
          [c_arc(start=45, end=360 + 45), line((0.5, 0.5), (0.5, 0.0))]]
L['b'] = [[join(line((0, 1), (0, 0), (0, 0.3)), arc(0.25, 0.25, 0.25, 0.25, 150, -180))]]
L['c'] = [[c_arc(start=45, end=315)]]
L['d'] = [[join(c_arc(start=45, end=360 + 15), line((0.5, 0.3), (0.5, 1.0), (0.5, 0.0)))],
          [c_arc(start=45, end=360 + 45), line((0.5, 1.0), (0.5, 0.0))]]
L['e'] = [[join(line((0.0, 0.25), (0.5, 0.25)), arc(0.25, 0.25, 0.25, 0.25, 0, 315))]]
L['f'] = [[join(arc(0.35, 0.85, 0.15, 0.15, 30, 180), line((0.2, 0.85), (0.2, 0.0))), line((0.0, 0.5), (0.4, 0.5))]]
L['g'] = [[join(c_arc(start=45, end=360 + 15), line((0.5, 0.3), (0.5, 0.5), (0.5, -0.3)), arc(0.25, -0.3, 0.25, 0.2, 0, -160))],
          [c_arc(start=45, end=360 + 45), join(line((0.5, 0.5), (0.5, -0.3)), arc(0.25, -0.3, 0.25, 0.2, 0, -160))]]
L['h'] = [[join(line((0, 1), (0, 0), (0, 0.3)), arc(0.25, 0.3, 0.25, 0.2, 180, 0), line((0.5, 0.3), (0.5, 0)))]]
L['i'] = [[line((0, 0.5), (0, 0)), dot(0, 0.75)]]
L['j'] = [[join(line((0.3, 0.5), (0.3, -0.3)), arc(0.15, -0.3, 0.15, 0.2, 0, -160)), dot(0.3, 0.75)]]
L['k'] = [[line((0, 1), (0, 0)), line((0.4, 0.5), (0.0, 0.2), (0.4, 0.0))]]
L['l'] = [[line((0, 1), (0, 0))]]
L['m'] = [[join(line((0, 0.5), (0, 0), (0, 0.3)), arc(0.15, 0.3, 0.15, 0.2, 180, 0), line((0.3, 0.3), (0.3, 0), (0.3, 0.3)),
                arc(0.45, 0.3, 0.15, 0.2, 180, 0), line((0.6, 0.3), (0.6, 0)))]]
L['n'] = [[join(line((0, 0.5), (0, 0), (0, 0.3)), arc(0.25, 0.3, 0.25, 0.2, 180, 0), line((0.5, 0.3), (0.5, 0)))]]
L['o'] = [[c_arc(start=75, end=75 + 360)]]
L['p'] = [[join(line((0, 0.5), (0, -0.5), (0, 0.3)), arc(0.25, 0.25, 0.25, 0.25, 150, -180))]]
L['q'] = [[join(c_arc(start=45, end=360 + 15), line((0.5, 0.3), (0.5, 0.5), (0.5, -0.5)))],
          [c_arc(start=45, end=360 + 45), line((0.5, 0.5), (0.5, -0.5))]]
L['r'] = [[join(line((0, 0.5), (0, 0), (0, 0.3)), arc(0.25, 0.3, 0.25, 0.2, 180, 30))]]
L['s'] = [[join(arc(0.25, 0.375, 0.22, 0.125, 30, 270), arc(0.25, 0.125, 0.22, 0.125, 90, -150))]]
L['t'] = [[line((0.2, 0.85), (0.2, 0.0)), line((0.0, 0.5), (0.4, 0.5))]]
L['u'] = [[join(line((0, 0.5), (0, 0.2)), arc(0.25, 0.2, 0.25, 0.2, 180, 360), line((0.5, 0.2), (0.5, 0.5), (0.5, 0)))]]
L['v'] = [[line((0, 0.5), (0.25, 0), (0.5, 0.5))]]
L['w'] = [[line((0, 0.5), (0.15, 0), (0.3, 0.5), (0.45, 0), (0.6, 0.5))]]
L['x'] = [[line((0, 0.5), (0.5, 0)), line((0.5, 0.5), (0, 0))]]
L['y'] = [[line((0, 0.5), (0.25, 0)), line((0.5, 0.5), (0.0, -0.5))]]
L['z'] = [[line((0, 0.5), (0.5, 0.5), (0, 0), (0.5, 0))]]
# --- capitals (top line 1) ---------------------------------------------
L['A'] = [[line((0.35, 1), (0, 0)), line((0.35, 1), (0.7, 0)), line((0.15, 0.4), (0.55, 0.4))]]
L['B'] = [[line((0, 1), (0, 0)),
           join(line((0, 1), (0.25, 1)), arc(0.25, 0.75, 0.25, 0.25, 90, -90), line((0.25, 0.5), (0, 0.5), (0.3, 0.5)),
                arc(0.3, 0.25, 0.25, 0.25, 90, -90), line((0.3, 0), (0, 0)))]]
L['C'] = [[arc(0.45, 0.5, 0.45, 0.5, 45, 315)]]
L['D'] = [[line((0, 1), (0, 0)), join(line((0, 1), (0.2, 1)), arc(0.2, 0.5, 0.45, 0.5, 90, -90), line((0.2, 0), (0, 0)))]]
L['E'] = [[line((0, 1), (0, 0)), line((0, 1), (0.5, 1)), line((0, 0.5), (0.4, 0.5)), line((0, 0), (0.5, 0))]]
L['F'] = [[line((0, 1), (0, 0)), line((0, 1), (0.5, 1)), line((0, 0.5), (0.4, 0.5))]]
L['G'] = [[join(arc(0.45, 0.5, 0.45, 0.5, 45, 360), line((0.9, 0.5), (0.5, 0.5)))],
          [arc(0.45, 0.5, 0.45, 0.5, 45, 360), line((0.5, 0.5), (0.9, 0.5))]]
L['H'] = [[line((0, 1), (0, 0)), line((0.6, 1), (0.6, 0)), line((0, 0.5), (0.6, 0.5))]]
L['I'] = [[line((0.25, 1), (0.25, 0))],
          [line((0.25, 1), (0.25, 0)), line((0, 1), (0.5, 1)), line((0, 0), (0.5, 0))]]
L['J'] = [[join(line((0.5, 1), (0.5, 0.25)), arc(0.25, 0.25, 0.25, 0.25, 0, -180))]]
L['K'] = [[line((0, 1), (0, 0)), line((0.6, 1), (0, 0.45), (0.6, 0))]]
L['L'] = [[line((0, 1), (0, 0), (0.5, 0))]]
L['M'] = [[line((0, 1), (0, 0)), line((0, 1), (0.35, 0.3), (0.7, 1), (0.7, 0))]]
L['N'] = [[line((0, 1), (0, 0)), line((0, 1), (0.6, 0), (0.6, 1))]]
L['O'] = [[arc(0.45, 0.5, 0.45, 0.5, 85, 85 + 360)]]
L['P'] = [[line((0, 1), (0, 0)), join(line((0, 1), (0.25, 1)), arc(0.25, 0.75, 0.25, 0.25, 90, -90), line((0.25, 0.5), (0, 0.5)))]]
L['Q'] = [[arc(0.45, 0.5, 0.45, 0.5, 85, 85 + 360), line((0.55, 0.25), (0.9, -0.05))]]
L['R'] = [[line((0, 1), (0, 0)), join(line((0, 1), (0.25, 1)), arc(0.25, 0.75, 0.25, 0.25, 90, -90), line((0.25, 0.5), (0, 0.5), (0.55, 0)))]]
L['S'] = [[join(arc(0.3, 0.75, 0.3, 0.25, 30, 270), arc(0.3, 0.25, 0.3, 0.25, 90, -150))]]
L['T'] = [[line((0.3, 1), (0.3, 0)), line((0, 1), (0.6, 1))]]
L['U'] = [[join(line((0, 1), (0, 0.3)), arc(0.3, 0.3, 0.3, 0.3, 180, 360), line((0.6, 0.3), (0.6, 1)))]]
L['V'] = [[line((0, 1), (0.3, 0), (0.6, 1))]]
L['W'] = [[line((0, 1), (0.2, 0), (0.4, 1), (0.6, 0), (0.8, 1))]]
L['X'] = [[line((0, 1), (0.6, 0)), line((0.6, 1), (0, 0))]]
L['Y'] = [[line((0, 1), (0.3, 0.5)), line((0.6, 1), (0.3, 0.5)), line((0.3, 0.5), (0.3, 0))],
          [line((0, 1), (0.3, 0.5)), line((0.6, 1), (0.3, 0.5), (0.3, 0))]]
L['Z'] = [[line((0, 1), (0.6, 1), (0, 0), (0.6, 0))]]
# --- digits -------------------------------------------------------------
L['0'] = [[arc(0.3, 0.5, 0.3, 0.5, 85, 85 + 360)]]
L['1'] = [[line((0.2, 1), (0.2, 0))]]
L['2'] = [[join(arc(0.25, 0.75, 0.25, 0.25, 160, -20), line((0.485, 0.665), (0, 0), (0.5, 0)))]]
L['3'] = [[join(arc(0.25, 0.75, 0.25, 0.25, 150, -90), arc(0.25, 0.25, 0.25, 0.25, 90, -150))]]
L['4'] = [[line((0, 1), (0, 0.4), (0.5, 0.4)), line((0.4, 1), (0.4, 0))]]
L['5'] = [[join(line((0.05, 1), (0.05, 0.55)), arc(0.25, 0.3, 0.25, 0.25, 130, -150)), line((0.05, 1), (0.45, 1))]]
L['6'] = [[join(arc(0.5, 0.5, 0.5, 0.5, 60, 180), arc(0.25, 0.5, 0.25, 0.5, 180, 270), arc(0.25, 0.25, 0.25, 0.25, 270, 270 + 330))]]
L['7'] = [[line((0, 1), (0.5, 1), (0.15, 0))]]
L['8'] = [[join(arc(0.25, 0.75, 0.22, 0.25, 30, 270), arc(0.25, 0.25, 0.25, 0.25, 90, -270), arc(0.25, 0.75, 0.22, 0.25, 270, 390))]]
L['9'] = [[join(arc(0.25, 0.75, 0.25, 0.25, 45, 360 + 15), line((0.5, 0.8), (0.5, 1.0), (0.5, 0.0)))]]


def emit():
    letters = {}
    for ch in sorted(L):
        variants = []
        for v in L[ch]:
            strokes = [[[round(x, 4), round(1.0 - y, 4)] for (x, y) in s] for s in v]
            variants.append({"strokes": strokes})
        letters[ch] = variants
    doc = {
        "format": "penscope-letter-models/1",
        "style": "manuscript print (ball and stick), top-down starts, counter-clockwise c a d g o q",
        "box": "x to the right, y down the page: top line 0, mean line 0.5, baseline 1, descender 1.5",
        "letters": letters,
    }
    json.dump(doc, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    emit()
