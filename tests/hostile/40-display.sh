# 40-display (issue 14, point 4): names that are terminal escapes, C1
# controls and bidi overrides, from a folder name, name.key, a hive key
# name and a FAT long name, reach no human-facing output raw (text,
# messages, report.txt, report.html, the carve listing): they show as
# \x1b, \u009b, \u202e. JSON keeps the exact value, escaped (jq -r gives
# the bytes back); plain --csv is machine output (RFC 4180): exact bytes,
# every field quoted.
mkdir "$tmp/display" && cd "$tmp/display" || exit 1
B=$bin
# shows NAME FILE TEXT: TEXT (a display form, backslashes literal) is
# in FILE byte for byte; no l10n, these are names, not messages
shows() {
	if grep -qF -- "$3" "$2"; then ok
	else bad "$1: no '$3' in $2"; fi
}

# The attack: an OSC title and a clear-screen as a folder name,
# name.key removed so that the folder name is the container's name.
osc=$(printf '\033]2;PWNED\007\033[2JX.000')
mkdir -p f && cp -r "$flash/good2012.000" "f/$osc" && rm f/*/name.key
# U+009B (a C1 CSI) and U+202E (right-to-left override) in a folder name
c1=$(printf 'a\302\233[2Jb\342\200\256gpj.000')
mkdir -p g && cp -r "$flash/good2012.000" "g/$c1" && rm g/*/name.key
# name.key holding them: SEQUENCE { UTF8String "n<9B>m<202E>z<2066>" }
mkdir -p n && cp -r "$flash/good2001.000" n/nk.000
printf '\060\015\014\013n\302\233m\342\200\256z\342\201\246' >n/nk.000/name.key
nk_name=$(printf 'n\302\233m\342\200\256z\342\201\246')

run "display: list the OSC folder" 1 "$B/cpkit-list" f
raw_ctl "display: list f stdout" "$tmp/out"
raw_ctl "display: list f stderr" "$tmp/err"
shows "display: list f" "$tmp/out" '\x1b]2;PWNED\x07\x1b[2JX.000'
run "display: list C1/bidi folder" 1 "$B/cpkit-list" g
raw_ctl "display: list g" "$tmp/out"
shows "display: list g" "$tmp/out" 'a\u009b[2Jb\u202egpj.000'
run "display: list name.key C1/bidi" 0 "$B/cpkit-list" n
raw_ctl "display: list n" "$tmp/out"
shows "display: list n" "$tmp/out" '\\.\FLASH\n\u009bm\u202ez\u2066'

# JSON: the exact name back through jq -r, and no raw control in it
run "display: list --json" 1 "$B/cpkit-list" --json f g n
raw_ctl "display: json" "$tmp/out"
jq -r '.[].name' "$tmp/out" >names.got 2>/dev/null
printf '%s\n%s\n%s\n' "$osc" "$c1" "$nk_name" | sort >names.want
sort names.got | cmp -s - names.want && ok ||
    bad "display: jq -r does not give the exact names back"
grep -qF '\u001b]2;PWNED\u0007\u001b[2JX.000' "$tmp/out" &&
    grep -qF 'a\u009b[2Jb\u202egpj.000' "$tmp/out" && ok ||
    bad "display: json does not escape ESC, BEL, C1 or bidi as \\uXXXX"

# plain CSV: machine output, exact bytes inside RFC 4180 quotes
run "display: list --csv" 1 "$B/cpkit-list" --csv f
grep -qaF "\"$osc\"," "$tmp/out" && ok ||
    bad "display: csv does not hold the exact quoted name"

# a hive key name holding ESC and LF (the nk record patched in place:
# the name keeps its length, hivex reads it as Latin-1)
cp "$samples/registry/SOFTWARE" hive && chmod u+w hive
at=$(LC_ALL=C grep -obUa 'good2012-256' hive | head -1 | cut -d: -f1)
printf '\033[2J\nevil-12' |
    dd of=hive bs=1 seek="$at" conv=notrunc status=none
run "display: hive key name" 0 "$B/cpkit-list" hive
raw_ctl "display: hive" "$tmp/out"
shows "display: hive" "$tmp/out" 'Keys\\\x1b[2J\x0aevil-12'
grep -q "^evil-12" "$tmp/out" && bad "display: hive: a raw LF split the key name" || ok
run "display: hive --json" 0 "$B/cpkit-list" --json hive
loc=$(jq -r '.[] | select(.location | test("evil")) | .location' "$tmp/out")
hloc=$(printf 'hive:WOW6432Node\\Crypto Pro\\Settings\\Users\\S-1-5-21-1111111111-2222222222-3333333333-1001\\Keys\\\033[2J\nevil-12')
[ "$loc" = "$hloc" ] && ok || bad "display: hive json location is not exact"
# RFC 4180: the field with LF is quoted, bytes exact
run "display: hive --csv" 0 "$B/cpkit-list" --csv hive
exp=$(printf '"%s",' "$hloc" | tr '\n' '\001')
tr '\n' '\001' <"$tmp/out" | grep -qaF -- "$exp" && ok ||
    bad "display: hive csv field not quoted exactly"
run "display: test hive" 0 "$B/cpkit-test" hive
raw_ctl "display: test hive" "$tmp/out"

# cpkit-test: text and messages
run "display: test f" 1 "$B/cpkit-test" f
raw_ctl "display: test f stdout" "$tmp/out"
shows "display: test f" "$tmp/out" '\x1b]2;PWNED\x07\x1b[2JX.000'
run "display: test g" 1 "$B/cpkit-test" g
raw_ctl "display: test g" "$tmp/out"
# an error naming the path, and a path that is not there
run "display: test missing path" 2 "$B/cpkit-test" "f/$osc/nothing"
raw_ctl "display: test missing path" "$tmp/err"
shows "display: test missing path" "$tmp/err" 'PWNED\x07'

# cpkit-export: its listing and an error naming the container
# g's container has no name.key: said, exit 1 (issue 15)
run "display: export folder" 1 "$B/cpkit-export" --to folder exp g
raw_ctl "display: export folder" "$tmp/out"
raw_ctl "display: export folder" "$tmp/err"
shows "display: export folder" "$tmp/out" '\u202egpj.000 -> '
printf 'wrong\n' >wrong.pw
run "display: export pem, wrong password" 4 "$B/cpkit-export" --to pem \
    out.pem --password-file wrong.pw f
raw_ctl "display: export error" "$tmp/err"
shows "display: export error" "$tmp/err" '\x1b]2;PWNED\x07'

# cpkit-carve: a deleted container whose FAT long name holds ESC, BEL and
# C1/bidi (UTF-16LE patched in the directory entry: mtools refuses them)
if command -v mkfs.vfat >/dev/null && command -v mcopy >/dev/null; then
	mkfs.vfat -C -F 12 fat.img 2048 >/dev/null
	mkdir src && cp -r "$flash/good2012.000" src/kQQQQwxyz.000
	mcopy -i fat.img -s src/kQQQQwxyz.000 ::/
	mdeltree -i fat.img ::/kQQQQwxyz.000
	at=$(LC_ALL=C grep -obUaP 'k\x00Q\x00Q\x00Q\x00Q\x00' fat.img |
	    head -1 | cut -d: -f1)
	printf '\033\000\007\000\233\000.\040' |
	    dd of=fat.img bs=1 seek=$((at + 2)) conv=notrunc status=none
	run "display: carve" 0 "$B/cpkit-carve" -q -o carved fat.img
	raw_ctl "display: carve" "$tmp/out"
	shows "display: carve" "$tmp/out" '/k\x1b\x07'
else
	bad "display: carve: mkfs.vfat or mtools missing"
fi

# cpkit-diag: report.txt and report.html carry the display form, HTML
# escaped; report.json the exact value
run "display: diag" 1 "$B/cpkit-diag" -q -o d.zip f g n hive
mkdir unz && (cd unz && unzip -qq ../d.zip)
raw_ctl "display: report.txt" unz/report.txt
raw_ctl "display: report.html" unz/report.html
raw_ctl "display: report.json" unz/report.json
raw_ctl "display: diag stdout" "$tmp/out"
grep -qF '\x1b]2;PWNED\x07\x1b[2JX.000' unz/report.txt && ok ||
    bad "display: report.txt lacks the escaped name"
grep -qF '\x1b[2J\x0aevil-12' unz/report.html && ok ||
    bad "display: report.html lacks the escaped hive name"
grep -qF 'n\u009bm\u202ez\u2066' unz/report.html && ok ||
    bad "display: report.html lacks the escaped name.key name"
jq -r '.containers[].container.name' unz/report.json | grep -qF "$nk_name" && ok ||
    bad "display: report.json does not hold the exact name"
cd "$tmp" || exit 1
