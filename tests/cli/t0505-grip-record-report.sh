#!/usr/bin/env bash
# End to end with the real grip analyser: record two hand photos with
# --overlay, the grip overlay is kept in the store with the analyser's
# warnings, and the report shows it.
. "$(dirname "$0")/lib.sh"
export PENSCOPE_DB="$TMP/p.db"
P="$PENSCOPE"
S="$PS_SOURCE_DIR/samples/hands"
$P child add G1 --hand right >/dev/null || fail "child add"
expect_exit 0 "record a grip photo" -- $P record --child G1 --date 2026-03-01 --overlay "$TMP/ov" "$S/call_0413d5c5.jpg"
expect_exit 0 "record another" -- $P record --child G1 --date 2026-03-08 --overlay "$TMP/ov" "$S/call_143f8b21.jpg"
[ "$(sqlite3 "$PENSCOPE_DB" "select group_concat(distinct kind) from sessions")" = grip ] && ok "kind grip from the file type" || fail "kind"
$P grip --json "$S/call_143f8b21.jpg" > "$TMP/rec.json" 2>/dev/null
python3 - "$TMP/rec.json" "$PENSCOPE_DB" <<'PY' && ok "stored metrics and warnings equal the analyser's" || fail "stored grip record differs"
import json, sqlite3, sys
rec = json.loads(open(sys.argv[1]).readline())
db = sqlite3.connect(sys.argv[2])
sid = db.execute("select id from sessions where file='call_143f8b21.jpg'").fetchone()[0]
rows = {m: (v, t) for m, v, t in db.execute("select metric, value, text from measurements where session_id=?", (sid,))}
assert set(rows) == set(rec["metrics"]), set(rows) ^ set(rec["metrics"])
for k, v in rec["metrics"].items():
    sv, st = rows[k]
    if isinstance(v, bool):
        assert st == ("true" if v else "false"), k
    elif isinstance(v, (int, float)):
        assert abs(sv - v) <= 1e-9 * max(1, abs(v)), (k, sv, v)
    elif isinstance(v, str):
        assert st == v, k
w = db.execute("select warnings from sessions where id=?", (sid,)).fetchone()[0]
assert (json.loads(w) if w else []) == rec["warnings"], (w, rec["warnings"])
PY
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from attachments where name like '%.png'")
[ "$n" = 2 ] && ok "both overlays kept in the store" || fail "attachments: $n"
expect_exit 0 "report html" -- $P report --child G1 --out "$TMP/g.html"
expect_grep 'Latest grip photo with the hand skeleton (2026-03-08)' "$TMP/g.html" "report names the latest grip overlay"
expect_grep 'src="data:image/png;base64,iVBORw0KGgo' "$TMP/g.html" "and embeds it"
finish
