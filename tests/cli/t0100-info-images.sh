#!/bin/bash
# penscope info on good photos and scans: sizes, EXIF orientation, PNG
# resolution, text and JSON output, exit code 0.
. "$(dirname "$0")/lib.sh"
S="$PS_SOURCE_DIR/samples/hands"

expect_exit 0 "info on the sample photos" -- "$PENSCOPE" info "$S"/*.jpg
for f in "$S"/*.jpg; do expect_grep "$f: jpeg " "$TMP/out" "text line for $(basename "$f")"; done
expect_grep "call_0413d5c5.jpg: jpeg 512x384" "$TMP/out" "size of a landscape sample"
expect_grep "call_21de0cfe.jpg: jpeg 384x834" "$TMP/out" "size of a portrait sample"

expect_exit 0 "info --json on the sample photos" -- "$PENSCOPE" info --json "$S"/*.jpg
expect_json "$TMP/out" "JSON lines"
python3 - "$TMP/out" <<'PY' && ok "JSON records: one per file, ok, format and size" || fail "JSON records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(recs) == 3, recs
for r in recs:
    assert r["ok"] is True and r["file"].endswith(".jpg"), r
    d = r["detail"]
    assert d["format"] == "jpeg" and d["width"] > 0 and d["height"] > 0 and d["orientation"] == 1, d
PY

# A sample with an EXIF block saying "rotate 90 clockwise" (orientation 6),
# big-endian TIFF, spliced in after SOI; and a PNG with a 300 dpi pHYs chunk.
python3 - "$S/call_0413d5c5.jpg" "$TMP/rot6.jpg" "$TMP/scan.png" <<'PY'
import struct, sys, zlib
src, rot, png = sys.argv[1:4]
j = open(src, "rb").read()
tiff = b"MM" + struct.pack(">HI", 42, 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0)
body = b"Exif\0\0" + tiff
open(rot, "wb").write(j[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + j[2:])
w, h = 20, 10
raw = b"".join(b"\0" + bytes((x * 12) % 256 for x in range(w * 3)) for y in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
ppm = 11811  # 300 dpi
data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(png, "wb").write(data)
PY
expect_exit 0 "info on an EXIF-rotated photo and a PNG scan" -- "$PENSCOPE" info "$TMP/rot6.jpg" "$TMP/scan.png"
expect_grep "rot6.jpg: jpeg 384x512 (stored 512x384, orientation 6)" "$TMP/out" "upright size and orientation"
expect_grep "scan.png: png 20x10, 300 dpi" "$TMP/out" "PNG size and resolution"
expect_exit 0 "info --json on them" -- "$PENSCOPE" info --json "$TMP/rot6.jpg" "$TMP/scan.png"
python3 - "$TMP/out" <<'PY' && ok "JSON orientation and dpi" || fail "JSON orientation and dpi"
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert a["detail"]["orientation"] == 6 and a["detail"]["width"] == 512, a
assert b["detail"]["format"] == "png" and abs(b["detail"]["dpi"] - 300) < 0.01, b
PY
finish
