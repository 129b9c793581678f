#!/bin/bash
# penscope ink on malformed and hostile files mixed with a good one: exit 1,
# the good file still reported, each failure with the line at fault and an
# error code, usage errors exit 2, never a crash; no file name in messages
# of the JSON record.
. "$(dirname "$0")/lib.sh"
GOOD="$PS_SOURCE_DIR/samples/ink/signal.svc"
printf '3\n1 2 100 1 0 0 5\n2 3 oops 1 0 0 6\n' > "$TMP/Jane_Doe_2017-03-04.svc"
printf 'x,y,t\n1,2,3\n4,5\n' > "$TMP/short.csv"
printf '<?xml version="1.0"?>\n<!DOCTYPE ink [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<ink><trace>&x;</trace></ink>\n' > "$TMP/xxe.inkml"
printf '<ink><trace>1 2, 3' > "$TMP/cut.inkml"
: > "$TMP/empty.svc"
expect_exit 1 "good and bad recordings" -- "$PENSCOPE" ink --json "$GOOD" "$TMP/Jane_Doe_2017-03-04.svc" "$TMP/short.csv" "$TMP/xxe.inkml" "$TMP/cut.inkml" "$TMP/empty.svc" "$TMP/missing.svc"
expect_json "$TMP/out" "JSON lines"
python3 - "$TMP/out" <<'PY' && ok "error records: code, line, no file name" || fail "error records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(recs) == 7 and recs[0]["ok"] is True
e = {r["file"].rsplit("/", 1)[1]: r["error"] for r in recs[1:]}
assert e["Jane_Doe_2017-03-04.svc"]["code"] == "corrupt" and "line 3" in e["Jane_Doe_2017-03-04.svc"]["message"], e
assert "line 3" in e["short.csv"]["message"]
assert e["xxe.inkml"]["code"] == "unsupported" and "DOCTYPE" in e["xxe.inkml"]["message"]
assert "line 1" in e["cut.inkml"]["message"]
assert e["empty.svc"]["code"] == "corrupt" and e["missing.svc"]["code"] == "not_found"
for r in recs[1:]:
    assert "Doe" not in r["error"]["message"] and "missing.svc" not in r["error"]["message"], r
PY
expect_exit 2 "bad --columns" -- "$PENSCOPE" ink --columns x,y,time "$GOOD"
expect_grep "needs all 7 columns" "$TMP/err" "columns message"
expect_exit 2 "no file" -- "$PENSCOPE" ink
expect_exit 2 "bad --lpi" -- "$PENSCOPE" ink --lpi -3 "$GOOD"
expect_exit 0 "--help" -- "$PENSCOPE" ink --help
expect_grep "usage: penscope ink" "$TMP/out" "usage text"
finish
