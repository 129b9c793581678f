#!/usr/bin/env bash
# Installs the fonts the letter recogniser is trained on (Debian packages in
# scripts/train-packages.txt; only for rebuilding models/glyphs/letters.recog,
# not needed to build, test or run penscope) and retrains it:
#   scripts/setup-train.sh [BUILD_DIR]      (default: build)
# The model is rebuilt byte for byte on the same compiler and OpenBLAS
# (one thread, fixed seeds); see tests/gen/psrecog_train.c.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$HERE/build}"
missing=""
while read -r p; do
    [ -n "$p" ] || continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done < "$HERE/scripts/train-packages.txt"
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup-train: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
ninja -C "$BUILD" psrecog_train
"$BUILD/tests/gen/psrecog_train" --fonts "$HERE/tests/gen/recog_fonts.txt" --out "$HERE/models/glyphs/letters.recog"
