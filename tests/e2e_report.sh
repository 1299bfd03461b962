#!/bin/sh
# End-to-end test of the diagnostic report made for triage (issue 18,
# points 8-12): summary counts, blocks worst first with plain headlines
# and each remedy once, the expiry chart, tables that fit 1,280 px in
# headless Chromium (measured by a script in a copy of the page; a
# screenshot kept as build/artifacts/report-1280.png), report.txt in the
# same order, zip members 0600. Usage: e2e_report.sh BIN GEN_WIDE.
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
genw=${2:-build/tests/gen_wide}
art=$(cd "$(dirname "$genw")/.." && pwd)/artifacts	# $(BUILD)/artifacts
tmp=$(mktemp -d /tmp/cpkit-e2e-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
export PW=12345678
NOW=2025-06-01T00:00:00Z SOON=2025-08-30T00:00:00Z LAST=2027-06

# 12: members 0600 in the archive's attributes
run "samples" 1 "$bin/cpkit-diag" -q -o "$tmp/s.zip" --password-env PW \
    samples/flash samples/registry samples/duplicate samples/forms
zipinfo "$tmp/s.zip" | grep '^-' > "$tmp/modes"
[ "$(grep -c . "$tmp/modes")" -eq "$(unzip -Z1 "$tmp/s.zip" | grep -c .)" ] && ok || bad "zipinfo: members missing"
grep -v '^-rw-------  .* unx ' "$tmp/modes" && bad "zip: a member not 0600" || ok
mkdir "$tmp/s" && (cd "$tmp/s" && unzip -q ../s.zip)
[ "$(stat -c %a "$tmp/s/report.html")" = 600 ] && ok || bad "unzip: report.html not 0600"
S=$tmp/s

# 8: the summary's counts, from report.json's containers
J=$S/report.json
for st in ok warning locked damaged incomplete; do
	[ "$(jq --arg s $st '[.containers[] | select(.container.status == $s)] | length' "$J")" = \
	    "$(jq --arg s $st '.summary.by_status[$s]' "$J")" ] && ok || bad "json: count of $st"
done
[ "$(jq -c .summary.by_medium "$J")" = '{"FLASH":23,"REGISTRY":6}' ] && ok || bad "json: by_medium $(jq -c .summary.by_medium "$J")"
[ "$(jq '.summary.urgent_remedies | length' "$J")" = 3 ] && ok || bad "json: not three urgent remedies"
[ "$(jq '.summary.urgent_remedies | unique | length' "$J")" = 3 ] && ok || bad "json: urgent remedies repeat"
# 9: the first urgent remedy is the worst block's first error's
[ "$(jq -r '.containers[.summary.block_order[0]].container.status' "$J")" = damaged ] && ok || bad "json: first block not damaged"
# headlines in words, the ASN.1 field as small evidence
grep -o '<b>[^<]*</b>' "$S/report.html" | grep -q 'hmacKeyContainerContent\|primaryFP' && bad "html: a headline speaks ASN.1" || ok
has "headline" "$S/report.html" "The header's checksum is wrong: the header is damaged or was edited"
grep -q 'hmacKeyContainerContent[^<]*<code>header-mac</code></small>' "$S/report.html" && ok || bad "html: field name not kept as evidence"
# 10: report.txt: the histogram (exact lines of the samples at 2025-06-01)
# and the containers in the blocks' order, then the sound ones
has "txt histogram" "$S/report.txt" "Expiry by month (C certificates, K private keys; ! expired, ~ within 90 days, # later):"
grep -qx '  2024-06 C    1 ! K    1 !' "$S/report.txt" && ok || bad "txt: histogram line for 2024-06"
grep -qx '  2026-04 K   21 #####################' "$S/report.txt" && ok || bad "txt: histogram line for 2026-04"
grep -qxE "  $(l10n later) *C   26 #{26} K    5 #{5}" "$S/report.txt" && ok || bad "txt: histogram's later line"
jq -r '.containers as $c | (.summary.block_order[] | $c[.].container.fqcn), ($c[] | select(.container.status == "ok") | .container.fqcn)' "$J" > "$tmp/want-order"
awk '/^[^ ]+ \\\\\.\\/ { sub(/^[^ ]+ /, ""); print }' "$S/report.txt" > "$tmp/got-order"
cmp -s "$tmp/want-order" "$tmp/got-order" && ok || bad "txt: containers not in the blocks' order"

# the wide bundle: every sample, and 200 containers with 300-character
# subjects
"$genw" "$tmp/wide" 200 || bad "gen_wide"
run "wide" 1 "$bin/cpkit-diag" -q -o "$tmp/w.zip" --password-env PW \
    samples/flash samples/registry samples/duplicate samples/forms \
    "$tmp/wide"
mkdir "$tmp/w" && (cd "$tmp/w" && unzip -q ../w.zip)
W=$tmp/w/report.json
[ "$(jq '.containers | length' "$W")" = 229 ] && ok || bad "wide: not 229 containers"
[ "$(jq '[.containers[].container.certificate.subject | select(. != null and length >= 300)] | length' "$W")" = 200 ] && ok || bad "wide: subjects not 300 characters"

# without Chromium the page cannot be measured: 77 (skipped; the Makefile
# accepts it), but CI must measure it
if ! command -v chromium >/dev/null 2>&1; then
	[ -n "${CI:-}" ] && { echo "e2e-report: no chromium in CI"; exit 1; }
	echo "e2e-report: chromium missing, the page checks skipped"
	e2e_done e2e-report || exit 1
	exit 77
fi
sed 's|</body>|<script src="check.js"></script></body>|' "$tmp/w/report.html" > "$tmp/w/check.html"
cp "$top/tests/report_check.js" "$tmp/w/check.js"
chrome() {
	timeout 180 chromium --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --hide-scrollbars \
	    --user-data-dir="$tmp/ud" --window-size=1280,900 \
	    --allow-file-access-from-files "$@" 2>/dev/null
}
chrome --dump-dom "file://$tmp/w/check.html" > "$tmp/dom.html"
sed -n 's|.*<pre id="measure">\([^<]*\)</pre>.*|\1|p' "$tmp/dom.html" | sed 's/&quot;/"/g' > "$tmp/m.json"
M=$tmp/m.json
jq -e . "$M" >/dev/null 2>&1 && ok || bad "chromium: no measurement"
# 11: no horizontal scroll, dates and statuses on one line, status on screen
[ "$(jq .scrollWidth "$M")" -le 1280 ] && ok || bad "1,280 px: scrollWidth $(jq .scrollWidth "$M")"
[ "$(jq .wrappedDates "$M")" = 0 ] && ok || bad "1,280 px: $(jq .wrappedDates "$M") dates or statuses wrap"
[ "$(jq .statusOff "$M")" = 0 ] && ok || bad "1,280 px: a status off-screen"
[ "$(jq .clipped "$M")" = 0 ] && ok || bad "1,280 px: $(jq .clipped "$M") dates or statuses wider than their column"
# the headers of the narrow columns wrap between words, never inside one
[ "$(jq -c .headerWordBreaks "$M")" = "[]" ] && ok || bad "1,280 px: header words broken: $(jq -c .headerWordBreaks "$M")"
[ "$(jq -c .headerOverflow "$M")" = "[]" ] && ok || bad "1,280 px: headers wider than their column: $(jq -c .headerOverflow "$M")"
# 8: the page's counts are the containers'
for st in ok warning locked damaged incomplete; do
	[ "$(jq .counts.$st "$M")" = "$(jq --arg s $st '[.containers[] | select(.container.status == $s)] | length' "$W")" ] && ok || bad "page: count of $st"
done
# expiring: the nearest of the certificate's and the key's end
jq --arg now $NOW '[.containers[].container | [.certificate.not_after, .key_usage_end] | map(select(. != null)) | min | select(. != null and . >= $now)]' "$W" > "$tmp/ends"
d30=$(date -u -d '2025-07-01' +%Y-%m-%dT%H:%M:%SZ)
[ "$(jq .counts.exp30 "$M")" = "$(jq --arg e "$d30" '[.[] | select(. < $e)] | length' "$tmp/ends")" ] && ok || bad "page: expiring within 30 days"
[ "$(jq .counts.exp90 "$M")" = "$(jq --arg e $SOON '[.[] | select(. < $e)] | length' "$tmp/ends")" ] && ok || bad "page: expiring within 90 days"
[ "$(jq .counts.exp90 "$M")" -gt 0 ] && ok || bad "page: nothing within 90 days"
# 9: blocks: every container not ok, damaged, incomplete, locked,
# warning, then the nearest expiry first
[ "$(jq '.blocks | length' "$M")" = "$(jq '[.containers[] | select(.container.status != "ok")] | length' "$W")" ] && ok || bad "page: a block per container not ok"
jq -r '.blocks[]' "$M" | uniq | tr '\n' ' ' > "$tmp/runs"
[ "$(cat "$tmp/runs")" = "damaged incomplete locked warning " ] && ok || bad "page: blocks in order '$(cat "$tmp/runs")'"
jq -e --arg now $NOW '[.summary.block_order[] as $i | .containers[$i].container | [({"damaged":0,"incomplete":1,"locked":2,"warning":3}[.status]), ([.certificate.not_after, .key_usage_end] | map(select(. != null)) | min // "9999")]] | . == sort' "$W" >/dev/null && ok || bad "json: block order not by status, then expiry"
[ "$(jq .dupRemedies "$M")" = 0 ] && ok || bad "page: a remedy twice in a block"
[ "$(jq .remedies "$M")" = "$(jq '[.containers[].container | select(.status != "ok") | [.findings[] | select(.severity != "info") | .remedy] | unique | length] | add' "$W")" ] && ok || bad "page: remedies not each once"
# 10: one bar a month, kind and class; every date in one
jq -r --arg now $NOW --arg soon $SOON --arg last $LAST '.containers[].container | ([.certificate.not_after | select(. != null) | ["c", .]] + [.key_usage_end | select(. != null) | ["k", .]])[] | (.[1][0:7]) as $m | [.[0], (if $m > $last then "later" else $m end), (if .[1] < $now then "x" elif .[1] < $soon then "s" else "l" end)] | join(" ")' "$W" > "$tmp/dates"
[ "$(jq .items "$M")" = "$(grep -c . "$tmp/dates")" ] && ok || bad "chart: $(jq .items "$M") dates, want $(grep -c . "$tmp/dates")"
[ "$(jq .bars "$M")" = "$(sort -u "$tmp/dates" | grep -c .)" ] && ok || bad "chart: $(jq .bars "$M") bars, want $(sort -u "$tmp/dates" | grep -c .)"
[ "$(jq .titles "$M")" = "$(jq .bars "$M")" ] && ok || bad "chart: a bar without a hover title"
grep -q 'fill="#c62828"' "$tmp/w/report.html" && ok || bad "chart: no red"
grep -q 'fill="#f0a30a"' "$tmp/w/report.html" && ok || bad "chart: no amber"
# registry: a user column
tr -d '\n' < "$tmp/w/report.html" | grep -qF "<h3>REGISTRY</h3><table class=\"media\"><colgroup><col class=\"c-name\"><col class=\"c-loc\"><col class=\"c-user\"><col class=\"c-alg\"><col class=\"c-subj\"><col class=\"c-day\"><col class=\"c-day\"><col class=\"c-files\"><col class=\"c-st\"></colgroup><tr><th>FQCN</th><th>$(l10n 'Location / Расположение')</th><th>$(l10n 'User / Пользователь')</th>" && ok || bad "registry table: no user column"
grep -q '<td>ivanov</td>' "$tmp/w/report.html" && ok || bad "registry table: the user's name not shown"
# the real page: no script, and its screenshot kept in the build tree
grep -qiE 'https?://|<script|src=' "$tmp/w/report.html" && bad "report.html has a script" || ok
mkdir -p "$art"
chrome --screenshot="$art/report-1280.png" "file://$tmp/w/report.html"
[ -s "$art/report-1280.png" ] && ok || bad "no screenshot"

e2e_done e2e-report
