#!/usr/bin/env bash
# Installs what penscope needs on Debian 12 (only the packages that are
# missing; uses sudo when not root), then fetches the hand models. Idempotent
# and quick when everything is already there.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PKGS="build-essential python3 cmake ninja-build pkg-config libturbojpeg0-dev libpng-dev libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev libopenblas-dev libsqlite3-dev libcairo2-dev libxml2-dev libjansson-dev libcmocka-dev fonts-dkg-handwriting fonts-femkeklaver fonts-breip fonts-humor-sans fonts-comic-neue fonts-sil-andika tesseract-ocr poppler-utils sqlite3 libopencv-highgui-dev xvfb xauth x11-utils imagemagick xdotool strace"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm fetches the models; Debian's nodejs package ships without npm, while
# other node builds include it, so only ask for what is absent.
command -v node >/dev/null || missing="$missing nodejs"
command -v npm >/dev/null || missing="$missing npm"

if [ -n "$missing" ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root or sudo to install:$missing" >&2; exit 1; }
        SUDO="sudo"
    fi
    echo "setup: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

"$HERE/models/fetch.sh"
