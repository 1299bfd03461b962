# Issue 14, point 1: symbolic links on a medium are never followed. A
# container whose key files are links to the engineer's own file is
# listed, tested, exported and bundled, and the file's bytes reach no
# output: each link is the finding file-not-regular, naming the file and
# where it points. Sourced by tests/e2e_hostile.sh from $tmp.
mkdir -p links && cd links || exit 1
mkdir -p usb
# the issue's attack: the reserve masks.key of a good container is a link
cp -r "$flash/good2012.000" usb/m2.000
ln -sf "$secret" usb/m2.000/masks2.key
# links on header.key and name.key too, and a dangling one
cp -r "$flash/good2001.000" usb/hdr.000
ln -sf "$secret" usb/hdr.000/header.key
ln -sf "$secret" usb/hdr.000/name.key
ln -sf /nonexistent/cpkit-dangling usb/hdr.000/primary2.key

# the reserve masks.key is a link: a finding naming the file and the
# target, and the key still unlocks from the intact main pair
run "links: test" 1 "$bin/cpkit-test" --json --password-env PW usb/m2.000
leaks "links: test output" "$tmp/out" "$tmp/err"
ev=$(jq -r '[.findings[] | select(.id == "file-not-regular")][0].evidence' \
    "$tmp/out")
case $ev in
"masks2.key "*" $secret") ok ;;
*) bad "links: test: evidence '$ev' names not masks2.key and $secret" ;;
esac
jq -r '.findings[] | select(.id == "file-not-regular") | .message' \
    "$tmp/out" >"$tmp/links.msg"
has "links: test message" "$tmp/links.msg" "a symbolic link, not followed"
has "links: test names the file" "$tmp/links.msg" "masks2.key"
[ "$(jq -r '.files["masks2.key"]' "$tmp/out")" = null ] && ok ||
    bad "links: masks2.key counted as present"
[ "$(jq -r '[.findings[].id] | index("key-ok") != null' "$tmp/out")" = true ] &&
    ok || bad "links: the main pair no longer unlocks"

# header.key, name.key and a dangling primary2.key: three findings
run "links: test hdr" 1 "$bin/cpkit-test" --json usb/hdr.000
leaks "links: test hdr output" "$tmp/out" "$tmp/err"
[ "$(jq '[.findings[] | select(.id == "file-not-regular")] | length' \
    "$tmp/out")" = 3 ] && ok || bad "links: hdr: not 3 file-not-regular"
has "links: dangling target named" "$tmp/out" "/nonexistent/cpkit-dangling"
has "links: header target named" "$tmp/out" "header.key"
# the folder's name stands in for the unread name.key
[ "$(jq -r .name "$tmp/out")" = hdr.000 ] && ok ||
    bad "links: name.key read through its link"

run "links: list" 1 "$bin/cpkit-list" usb
leaks "links: list output" "$tmp/out" "$tmp/err"
run "links: list json" 1 "$bin/cpkit-list" --json usb
leaks "links: list json output" "$tmp/out"

# export --to folder: the links are not copied, each one said; partial
run "links: export folder" 1 "$bin/cpkit-export" --to folder out usb
leaks "links: export folder" out "$tmp/out" "$tmp/err"
has "links: export names the file" "$tmp/err" "masks2.key"
has "links: export says why" "$tmp/err" "a symbolic link, not followed"
n=$(find out -type l | wc -l)
[ "$n" -eq 0 ] && ok || bad "links: export folder made $n links"
[ ! -e out/good2012.000/masks2.key ] && [ -f out/good2012.000/masks.key ] &&
    ok || bad "links: export folder: masks2.key copied or masks.key lost"

# export --to reg: no hex of the secret in the .reg
secret_hex=$(od -An -tx1 "$secret" | tr -d ' \n')
run "links: export reg" 1 "$bin/cpkit-export" --to reg o.reg --machine usb
leaks "links: export reg" o.reg
if iconv -f UTF-16LE -t UTF-8 o.reg | tr -d ' ,\\\r\n' | grep -qF "$secret_hex"
then bad "links: the secret's bytes are in o.reg as hex"
else ok; fi
grep -qa . o.reg && ok || bad "links: export reg wrote nothing"

# pem from the container whose reserve is a link: the main pair serves
run "links: export pem" 0 "$bin/cpkit-export" --to pem k.pem \
    --password-env PW usb/m2.000
leaks "links: export pem" k.pem
# header.key is a link: nothing to export, no output
run "links: export pem hdr" 4 "$bin/cpkit-export" --to pem h.pem \
    --password-env PW usb/hdr.000
[ ! -e h.pem ] && ok || bad "links: h.pem written"
run "links: export pfx" 0 env PFX=pfxpass "$bin/cpkit-export" --to pfx k.pfx \
    --password-env PW --pfx-password-env PFX usb/m2.000
leaks "links: export pfx" k.pfx

# the bundle with the secret container files: no secret, the finding in
run "links: diag" 1 "$bin/cpkit-diag" --include-containers -o b.zip usb
leaks "links: diag bundle" b.zip "$tmp/out" "$tmp/err"
unzip -p b.zip report.json >rep.json
has "links: diag finding" rep.json '"id":"file-not-regular"'
has "links: diag target" rep.json "$secret"
[ "$(unzip -l b.zip | grep -c 'containers/.*masks2.key')" -eq 1 ] && ok ||
    bad "links: the bundle holds not one masks2.key (of hdr.000 only)"

# cpkit-fix rebuilds the reserve pair from the main one, never from the link
run "links: fix" 0 "$bin/cpkit-fix" --out fixed --password-env PW usb/m2.000
leaks "links: fix output" fixed "$tmp/out" "$tmp/err"
[ -f fixed/masks2.key ] && [ ! -L fixed/masks2.key ] && ok ||
    bad "links: fix did not rebuild masks2.key as a file"

# a FIFO is the same finding (and never blocks)
cp -r "$flash/good2012.000" fifo.000
rm fifo.000/masks2.key && mkfifo fifo.000/masks2.key
run "links: fifo" 1 "$bin/cpkit-test" --json fifo.000
[ "$(jq -r '[.findings[].id] | index("file-not-regular") != null' \
    "$tmp/out")" = true ] && ok || bad "links: a FIFO is not file-not-regular"

# .reg exports and hives met on a walk are not read through a link
mkdir -p walk
cp "$samples/registry/export-5.00.reg" mine.reg
ln -s "$PWD/mine.reg" walk/keys.reg
ln -s "$samples/registry/SOFTWARE" walk/SOFTWARE
run "links: walk" 1 "$bin/cpkit-list" --json walk
[ "$(jq length "$tmp/out")" = 0 ] && ok ||
    bad "links: a .reg or hive was read through a link: $(head -c 200 "$tmp/out")"
has "links: walk" "$tmp/err" "no key containers found"
# named on the command line, a link is followed, and said
run "links: named reg" 0 "$bin/cpkit-list" walk/keys.reg
has "links: named reg warned" "$tmp/err" "$PWD/mine.reg"
# a certificate folder for cpkit-fix --cert: a link in it is not read
mkdir -p certs nc
cp -r "$flash/nocert.000" nc/
ln -s "$flash/nocert.cer" certs/nocert.cer
run "links: cert folder" 2 "$bin/cpkit-fix" --out ncfix --cert certs \
    --password-env PW nc/nocert.000
[ ! -e ncfix ] && ok || bad "links: fix used a certificate through a link"
cd "$tmp" || exit 1
