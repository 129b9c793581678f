#!/usr/bin/env bash
# `cmake --install` puts the library, header, pkg-config file and CLI in place,
# and the README's embedding example builds against them and runs.
. "$(dirname "$0")/lib.sh"
if [ "${PS_SANITIZE:-OFF}" = ON ]; then
    echo "skip: an app built without sanitizers cannot link the sanitized library"; exit 0
fi

prefix="$TMP/prefix"
expect_exit 0 "cmake --install" -- cmake --install "$PS_BINARY_DIR" --prefix "$prefix"
for f in include/penscope.h bin/penscope; do
    [ -e "$prefix/$f" ] && ok "installed $f" || fail "missing $prefix/$f"
done
pc=$(find "$prefix" -name penscope.pc | head -1)
[ -n "$pc" ] && ok "pkg-config file installed" || fail "no penscope.pc"
libdir=$(dirname "$(dirname "$pc")")
ls "$libdir"/libpenscope.so* >/dev/null 2>&1 && ok "shared library installed" || fail "no libpenscope.so"
ls "$libdir"/libpenscope.a >/dev/null 2>&1 && ok "static library installed" || fail "no libpenscope.a"
for m in "$PS_BINARY_DIR"/modules/penscope-*.so; do   # the modules the build made (README: Modules)
    [ -e "$m" ] || continue
    [ -e "$libdir/penscope/$(basename "$m")" ] && ok "module $(basename "$m") installed" || fail "no $libdir/penscope/$(basename "$m")"
done

# The pkg-config file names the installed prefix, not the test's: point it there.
export PKG_CONFIG_PATH="$(dirname "$pc")"
sed -i "s|^prefix=.*|prefix=$prefix|; s|^libdir=.*|libdir=$libdir|; s|^includedir=.*|includedir=$prefix/include|" "$pc"
expect_exit 0 "example builds with pkg-config" -- \
    cc -o "$TMP/example" "$PS_SOURCE_DIR/samples/embed/example.c" $(pkg-config --cflags --libs penscope)
img=$(ls "$PS_SOURCE_DIR"/samples/hands/*.jpg | head -1)
expect_exit 0 "example runs" -- env LD_LIBRARY_PATH="$libdir" "$TMP/example" "$img"
expect_grep "^jpeg [0-9]*x[0-9]* (penscope " "$TMP/out" "example prints the decoded size"
expect_exit 1 "example reports a bad file" -- env LD_LIBRARY_PATH="$libdir" "$TMP/example" /dev/null

# Videos go through the video module (README: Modules), loaded on the first
# open: a program linked with the shared library finds it beside the library,
# one linked statically finds it from <prefix>/bin, or through
# $PENSCOPE_MODULE_DIR; elsewhere the error says where it looked.
cat > "$TMP/frames.c" <<'C'
#include <penscope.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    ps_video_t *v;
    if (ps_video_open_file(argv[1], NULL, &v) != PS_OK) {
        fprintf(stderr, "frames: %s\n", ps_last_error());
        return 1;
    }
    ps_image f = {0};
    int n = 0;
    while (ps_video_read(v, &f, NULL) == PS_OK)
        n++;
    printf("%d frames of %dx%d\n", n, f.width, f.height);
    ps_image_release(&f);
    ps_video_free(v);
    return 0;
}
C
make_mjpeg_avi "$PS_SOURCE_DIR/samples/hands/call_0413d5c5.jpg" "$TMP/clip.avi" 512 384 3 5
expect_exit 0 "program with the shared library builds" -- \
    cc -o "$TMP/frames" "$TMP/frames.c" $(pkg-config --cflags --libs penscope)
expect_exit 0 "shared: opens a video (module beside the library)" -- env LD_LIBRARY_PATH="$libdir" "$TMP/frames" "$TMP/clip.avi"
expect_grep "^3 frames of" "$TMP/out" "shared: all frames read"
expect_exit 0 "program with the static library builds" -- \
    cc -static-libgcc -o "$prefix/bin/frames-static" "$TMP/frames.c" $(pkg-config --cflags penscope) \
    "$libdir/libpenscope.a" $(pkg-config --libs-only-l --static penscope | sed 's/-lpenscope//')
expect_exit 0 "static: opens a video (module from <prefix>/bin)" -- "$prefix/bin/frames-static" "$TMP/clip.avi"
expect_grep "^3 frames of" "$TMP/out" "static: all frames read"
cp "$prefix/bin/frames-static" "$TMP/frames-elsewhere"
expect_exit 0 "static elsewhere: \$PENSCOPE_MODULE_DIR" -- env PENSCOPE_MODULE_DIR="$libdir/penscope" "$TMP/frames-elsewhere" "$TMP/clip.avi"
expect_exit 1 "static elsewhere without it: an error" -- env PENSCOPE_MODULE_DIR= "$TMP/frames-elsewhere" "$TMP/clip.avi"
expect_grep "penscope-video.so could not be loaded; looked in: $TMP/penscope (not there)" "$TMP/err" "the error says where it looked"
finish
