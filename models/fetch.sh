#!/usr/bin/env bash
# Fetches MediaPipe Hands' four models from the npm package
# @mediapipe/hands@0.4.1675469240 (Apache-2.0) with `npm pack` (the only
# network access penscope ever makes, and only here, at set-up), and checks
# every file against models/SHA256SUMS. Idempotent: when all four files are in
# place with the right sums it does nothing.
# usage: models/fetch.sh [DESTDIR]     (default: the folder of this script)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="${1:-$HERE}"
PKG="@mediapipe/hands@0.4.1675469240"
SUMS="$HERE/SHA256SUMS"

verify() {   # prints the names of missing or wrong files; exit 0 when all good
    local bad=0 sum name
    while read -r sum name; do
        if [ ! -f "$DEST/$name" ]; then echo "missing: $name"; bad=1; continue; fi
        if [ "$(sha256sum "$DEST/$name" | cut -d' ' -f1)" != "$sum" ]; then
            echo "wrong checksum: $DEST/$name"; bad=1
        fi
    done < "$SUMS"
    return $bad
}

if verify >/dev/null; then exit 0; fi
command -v npm >/dev/null || { echo "models/fetch.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$DEST"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
( cd "$TMP" && npm pack --silent "$PKG" >/dev/null && tar -xzf mediapipe-hands-*.tgz )
P="$TMP/package"
install -m 644 "$P/hand_landmark_full.tflite" "$P/hand_landmark_lite.tflite" "$DEST/"
# hands_solution_packed_assets.data is an Emscripten file package; byte ranges
# from its loader script: [11, 2341291) palm_detection_full.tflite,
# [2341291, 4326731) palm_detection_lite.tflite.
slice() { dd if="$1" of="$4" bs=1M iflag=skip_bytes,count_bytes skip="$2" count=$(($3 - $2)) status=none; }
slice "$P/hands_solution_packed_assets.data" 11 2341291 "$DEST/palm_detection_full.tflite"
slice "$P/hands_solution_packed_assets.data" 2341291 4326731 "$DEST/palm_detection_lite.tflite"
chmod 644 "$DEST"/*.tflite
if ! out="$(verify)"; then
    echo "models/fetch.sh: model check failed:" >&2
    echo "$out" >&2
    exit 1
fi
echo "models/fetch.sh: 4 hand models in $DEST (sha256 verified)"
