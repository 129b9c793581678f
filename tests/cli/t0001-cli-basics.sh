#!/usr/bin/env bash
# The command table: --version, --help, every command's --help, usage errors.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "--version" -- "$PENSCOPE" --version
expect_grep "penscope [0-9]" "$TMP/out" "--version prints the version"
expect_exit 0 "--help" -- "$PENSCOPE" --help
expect_exit 2 "no command is a usage error" -- "$PENSCOPE"
expect_exit 2 "unknown command" -- "$PENSCOPE" frobnicate
expect_grep "'frobnicate' is not a command" "$TMP/err" "unknown command is named"

cmds=$("$PENSCOPE" help | awk '/^commands:/{on=1; next} on && NF {print $1}')
[ -n "$cmds" ] && ok "command list" || fail "command list empty"
for c in $cmds; do
    expect_exit 0 "$c --help" -- "$PENSCOPE" "$c" --help
    if [ "$c" != help ] && [ "$c" != version ]; then
        expect_grep "usage: penscope $c" "$TMP/out" "$c --help shows its usage"
        expect_exit 2 "$c with an unknown option" -- "$PENSCOPE" "$c" --no-such-option
    fi
done

# Options may follow the inputs, as the usage lines write them.
img=$(ls "$PS_SOURCE_DIR"/samples/hands/*.jpg | head -1)
expect_exit 0 "an option after the inputs" -- "$PENSCOPE" info "$img" --json
expect_json "$TMP/out" "an option after the inputs is applied"
expect_exit 1 "after --, an option-like word is an input" -- "$PENSCOPE" info -- "$img" --json
finish
