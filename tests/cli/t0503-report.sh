#!/usr/bin/env bash
# penscope report: PDF and HTML from the store. The PDF must render with
# poppler's pdftoppm to a page that is not blank; the HTML must be one file
# with no external resources, with the latest overlay embedded.
. "$(dirname "$0")/lib.sh"
export PENSCOPE_DB="$TMP/p.db"
P="$PENSCOPE"
$P child add R1 --birth-year 2019 --hand right >/dev/null || fail "child add"
v=(4 7 9 12 14 15)
for i in 0 1 2 3 4 5; do
    printf 'grip_distance_mm %s\ngrasp %s\nlegibility_pct %s\n' "${v[$i]}" \
        "$([ $i -lt 3 ] && echo lateral_tripod || echo dynamic_tripod)" "$((60 + 3 * i))" > "$TMP/s$i.txt"
    $P record -q --child R1 --kind selftest --date "2026-02-1$i" "$TMP/s$i.txt" || fail "record $i"
done
$P goal set --child R1 --metric grip_distance_mm --target 15:25 --by 2026-06-30 --gas 4,8,15,20,25 >/dev/null || fail "goal"

expect_exit 0 "report pdf" -- $P report --child R1 --out "$TMP/r.pdf"
[ "$(stat -c %a "$TMP/r.pdf")" = 600 ] && ok "report is 0600" || fail "report mode"
if command -v pdftoppm >/dev/null; then
    pdftoppm -r 50 -gray "$TMP/r.pdf" "$TMP/page" && ok "pdftoppm renders the PDF" || fail "pdftoppm failed"
    python3 - "$TMP"/page-1.pgm <<'PY' && ok "page 1 is not blank" || fail "page 1 blank"
import sys
data = open(sys.argv[1], 'rb').read()
# binary PGM: P5 <w> <h> <max> then bytes
parts = data.split(maxsplit=4)
assert parts[0] == b'P5'
w, h = int(parts[1]), int(parts[2])
px = parts[4][:w * h]
ink = sum(1 for b in px if b < 128)
assert ink > 0.01 * w * h, ink   # text and charts
assert ink < 0.5 * w * h, ink
PY
    pdftotext "$TMP/r.pdf" "$TMP/r.txt" && ok "pdftotext reads the PDF" || fail "pdftotext"
    expect_grep "a reliable improvement" "$TMP/r.txt" "the PDF carries the sentences"
    expect_grep "penscope .* R1 .* page 1" "$TMP/r.txt" "pages are numbered with the child's code"
else
    fail "pdftoppm is missing (apt-get install poppler-utils)"
fi
expect_exit 0 "report html" -- $P report --child R1 --out "$TMP/r.html"
expect_grep "<svg" "$TMP/r.html" "charts are inline SVG"
expect_grep "Grip distance moved from 4 mm to 15 mm, a reliable improvement" "$TMP/r.html" "plain-language sentence"
expect_grep "Grasp changed from lateral tripod to dynamic tripod" "$TMP/r.html" "category change told"
expect_grep "No published norms are used" "$TMP/r.html" "norms disclaimer"
if grep -Eq '(src|href)="(https?:)?//|url\((https?:)?//|<link |<script' "$TMP/r.html"; then fail "HTML refers to outside resources"; else ok "HTML is self-contained"; fi

# an overlay written by an analyser is kept in the store and shown in the report
pdftoppm -r 20 -png -f 1 -l 1 "$TMP/r.pdf" "$TMP/ov" 2>/dev/null
printf 'grip_distance_mm 16\n!detail {"overlay":"%s"}\n' "$TMP/ov-1.png" > "$TMP/s6.txt"
$P record -q --child R1 --kind selftest --date 2026-02-21 "$TMP/s6.txt" || fail "record with overlay"
n=$(sqlite3 "$PENSCOPE_DB" "select count(*) from attachments")
[ "$n" = 1 ] && ok "overlay stored in the database" || fail "attachments: $n"
# the selftest session stands in for a grip session (no grip analyser needed)
sqlite3 "$PENSCOPE_DB" "update sessions set kind='grip' where date='2026-02-21'"
expect_exit 0 "report html with the overlay" -- $P report --child R1 --out "$TMP/r3.html"
expect_grep 'src="data:image/png;base64,iVBORw0KGgo' "$TMP/r3.html" "latest grip overlay embedded"
expect_exit 0 "report pdf with the overlay" -- $P report --child R1 --out "$TMP/r3.pdf"
pages=$(pdftoppm -r 20 -gray "$TMP/r3.pdf" "$TMP/p3" && ls "$TMP"/p3-*.pgm | wc -l)
[ "$pages" -ge 1 ] && ok "report with overlay renders ($pages pages)" || fail "overlay report render"
# overlays the analysers leave in --overlay DIR under their own names are found too
mkdir -p "$TMP/ovdir" && cp "$TMP/ov-1.png" "$TMP/ovdir/s7.txt.page.png"
printf 'x_height_mm 4\n' > "$TMP/s7.txt"
$P record -q --child R1 --kind selftest --overlay "$TMP/ovdir" --date 2026-02-22 "$TMP/s7.txt" || fail "record s7"
[ "$(sqlite3 "$PENSCOPE_DB" "select name from attachments a join sessions s on s.id=a.session_id where s.date='2026-02-22'")" = s7.txt.page.png ] \
    && ok "overlay found by the page analyser's name" || fail "page overlay not attached"
expect_exit 0 "report html --metric" -- $P report --child R1 --metric grip_distance_mm --out "$TMP/r2.html"
printf 'lines 3\nwords 12\nlegibility_pct 80\n' > "$TMP/s8.txt"
$P record -q --child R1 --kind selftest --date 2026-02-23 "$TMP/s8.txt" || fail "record s8"
expect_exit 0 "report leaves descriptive counts out" -- $P report --child R1 --out "$TMP/r4.html"
if grep -q "Lines on the page" "$TMP/r4.html"; then fail "descriptive metric shown"; else ok "descriptive metric left out by default"; fi
expect_exit 0 "report --all" -- $P report --child R1 --all --out "$TMP/r5.html"
expect_grep "Lines on the page" "$TMP/r5.html" "--all shows it"
expect_exit 2 "report needs .pdf or .html" -- $P report --child R1 --out "$TMP/r.doc"
expect_exit 1 "report for an unknown child" -- $P report --child nobody --out "$TMP/x.pdf"
echo "# manual check: open $TMP/r.html in a browser (chromium --headless --screenshot) -- see README"
finish
