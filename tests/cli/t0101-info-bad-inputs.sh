#!/bin/bash
# penscope info on every kind of bad input, mixed with good ones: exit 1,
# the good files still reported, each failure a clear message naming the
# file (text and JSON), never a crash.
. "$(dirname "$0")/lib.sh"
GOOD="$PS_SOURCE_DIR/samples/hands/call_0413d5c5.jpg"
: > "$TMP/zero.jpg"
head -c 5000 "$GOOD" > "$TMP/truncated.jpg"
echo "a shopping list, not a photo" > "$TMP/notes.jpg"
python3 - "$TMP" <<'PY'
import random, sys
rnd = random.Random(2)  # fixed bytes: the same input every run
noise = bytes(rnd.randrange(256) for _ in range(3000))
open(sys.argv[1] + "/random.jpg", "wb").write(b"\xff\xd8\xff" + noise)
open(sys.argv[1] + "/random.png", "wb").write(b"\x89PNG\r\n\x1a\n" + noise)
PY
printf '\0\0\0\x18ftypheic\0\0\0\0mif1heic' > "$TMP/phone.jpg"
mkdir "$TMP/folder.jpg"
BAD="zero.jpg truncated.jpg notes.jpg random.jpg random.png phone.jpg folder.jpg missing.jpg"

args=("$GOOD")
for b in $BAD; do args+=("$TMP/$b"); done
expect_exit 1 "info on good and bad files" -- "$PENSCOPE" info "${args[@]}"
expect_grep "call_0413d5c5.jpg: jpeg 512x384" "$TMP/out" "the good file is still reported"
for b in $BAD; do expect_grep "$TMP/$b" "$TMP/err" "message names $b"; done
expect_grep "is empty" "$TMP/err" "zero-byte file called empty"
expect_grep "truncated.jpg'*: corrupt JPEG" "$TMP/err" "truncated JPEG called corrupt"
expect_grep "notes.jpg'*: not a JPEG or PNG" "$TMP/err" "text file called not an image"
expect_grep "HEIF" "$TMP/err" "HEIC photo named as such"
expect_grep "missing.jpg.*No such file" "$TMP/err" "missing file"

expect_exit 1 "info --json on good and bad files" -- "$PENSCOPE" info --json "${args[@]}"
expect_json "$TMP/out" "JSON lines for good and bad files"
python3 - "$TMP/out" "$TMP" <<'PY' && ok "JSON: one record per input, errors with code and named file" || fail "JSON error records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(recs) == 9, len(recs)
assert recs[0]["ok"] is True
for r in recs[1:]:
    assert r["ok"] is False, r
    assert r["error"]["code"] and r["file"] in r["error"]["message"], r
codes = {r["file"].rsplit("/", 1)[1]: r["error"]["code"] for r in recs[1:]}
assert codes["missing.jpg"] == "not_found", codes
PY

expect_exit 1 "info on one missing file" -- "$PENSCOPE" info "$TMP/nothing-here.png"
expect_exit 2 "info without files is a usage error" -- "$PENSCOPE" info
finish
