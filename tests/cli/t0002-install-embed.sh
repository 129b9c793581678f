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
finish
