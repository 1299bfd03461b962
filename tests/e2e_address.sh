#!/bin/sh
# End-to-end tests of issue 15 points 9-11: duplicate-name, one container
# addressed by the location cpkit-list prints or by --container, names of
# imported containers, incomplete exports, cpkit-fix's default output and
# the file-missing remedies. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-address.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. tests/e2e_lib.sh
SID=S-1-5-21-1111111111-2222222222-3333333333-1001
printf '12345678\n' > "$tmp/pw"
printf 'new-pass\n' > "$tmp/npw"
printf 'пароль\n' > "$tmp/pwru"
chmod 600 "$tmp/pw" "$tmp/npw" "$tmp/pwru"
R=samples/registry

# jq over the last output: how many findings of an id, at a location
nfind() {	# nfind ID LOCATION-SUFFIX
	jq -s --arg id "$1" --arg loc "$2" '[.[] | (if type == "array" then
	    .[] else . end) | select(.location | endswith($loc)) |
	    .findings[] | select(.id == $id)] | length' "$tmp/out"
}
eq() {	# eq NAME GOT WANT
	[ "$2" = "$3" ] && ok || bad "$1: got '$2', want '$3'"
}

# --- duplicate-name: the sample ------------------------------------------
run "duplicate sample" 1 "$bin/cpkit-test" --json samples/duplicate
eq "duplicate sample dup.000" "$(nfind duplicate-name dup.000)" 1
eq "duplicate sample dup.001" "$(nfind duplicate-name dup.001)" 1
eq "duplicate sample status" "$(jq -r -s '[.[].status] | join(",")' "$tmp/out")" "warning,warning"
jq -r '.[] | .findings[] | select(.id == "duplicate-name") | .evidence' "$tmp/out" > "$tmp/ev" 2>/dev/null ||
	jq -r -s '.[] | .findings[] | select(.id == "duplicate-name") | .evidence' "$tmp/out" > "$tmp/ev"
has "duplicate evidence names the other" "$tmp/ev" "samples/duplicate/dup.001"
has "duplicate evidence names the other" "$tmp/ev" "samples/duplicate/dup.000"
has "duplicate remedy" "$tmp/out" "CSP lists one container of a name in one place, and which one is not defined. Keep the copy that works (cpkit-test says which): give the other a new name (cpkit-export --to folder DIR --name NEW writes a renamed copy, name.key too), or remove the stale copy."
run "duplicate sample list" 1 "$bin/cpkit-list" samples/duplicate
run "duplicate sample text" 1 "$bin/cpkit-test" samples/duplicate
has "duplicate sample text" "$tmp/out" "duplicate-name"

# --- duplicate-name: hand-made folders ----------------------------------
m=$tmp/m
mkdir -p "$m/sub"
cp -r samples/flash/good2001.000 "$m/a.000"
run "renamed copy" 0 "$bin/cpkit-export" --to folder "$m" --name GOOD2001 samples/flash/good2001.000
[ -d "$m/GOOD2001.000" ] && ok || bad "renamed copy: no GOOD2001.000"
cp -r samples/flash/good2001.000 "$m/a.000-fixed"	# cpkit-fix's output
cp -r samples/flash/good2001.000 "$m/a.000.orig"	# a hand-made backup
cp -r samples/flash/good2001.000 "$m/sub/good2001.000"	# another place
cp -r samples/flash/good2012.000 "$m/good2012.000"
run "case differs" 1 "$bin/cpkit-list" --json "$m"
eq "case differs a.000" "$(nfind duplicate-name /a.000)" 1
eq "case differs GOOD2001.000" "$(nfind duplicate-name /GOOD2001.000)" 1
eq "not a CSP folder: -fixed" "$(nfind duplicate-name /a.000-fixed)" 0
eq "not a CSP folder: .orig" "$(nfind duplicate-name /a.000.orig)" 0
eq "another place" "$(nfind duplicate-name /sub/good2001.000)" 0
eq "another name" "$(nfind duplicate-name /good2012.000)" 0
# two paths on the command line are two media
run "two media" 0 "$bin/cpkit-list" --json "$m/a.000" "$m/GOOD2001.000"
eq "two media" "$(nfind duplicate-name .000)" 0
# Cyrillic names compare regardless of case as well
run "cyrillic copy" 0 "$bin/cpkit-export" --to folder "$tmp/cy" --name "ИВАНОВ ии 2045" samples/flash/5f3a9c1d.000
run "cyrillic copy 2" 0 "$bin/cpkit-export" --to folder "$tmp/cy" samples/flash/5f3a9c1d.000
run "cyrillic case" 1 "$bin/cpkit-list" --json "$tmp/cy"
eq "cyrillic case" "$(nfind duplicate-name .000)" 2

# --- locations as cpkit-list prints them: a .reg file -------------------
run "list reg" 0 "$bin/cpkit-list" --json $R/export-5.00.reg
loc=$(jq -r '.[] | select(.name == "good2012-256") | .location' "$tmp/out")
case $loc in
"$R/export-5.00.reg:HKEY_LOCAL_MACHINE\\"*'\Keys\good2012-256') ok ;;
*) bad "reg location: $loc" ;;
esac
run "test reg location" 0 "$bin/cpkit-test" --json --password-file "$tmp/pw" "$loc"
eq "test reg location: one" "$(jq -s 'length' "$tmp/out")" 1
has "test reg location" "$tmp/out" '"key-ok"'
run "export reg location" 0 "$bin/cpkit-export" --to folder "$tmp/e1" "$loc"
set -- "$tmp/e1"/*
eq "export reg location: one folder" "$#" 1
run "pem reg location" 0 "$bin/cpkit-export" --to pem "$tmp/e1.pem" --password-file "$tmp/pw" "$loc"
run "passwd reg location" 0 "$bin/cpkit-passwd" change "$loc" --out "$tmp/p1" --password-file "$tmp/pw" --new-password-file "$tmp/npw"
run "passwd reg location: new password" 0 "$bin/cpkit-test" --json --password-file "$tmp/npw" "$tmp/p1"
has "passwd reg location: new password" "$tmp/out" '"key-ok"'
run "fix reg location, sound" 0 "$bin/cpkit-fix" --out "$tmp/f0" --password-file "$tmp/pw" "$loc"
has "fix reg location, sound" "$tmp/out" "Nothing to repair"
# the key path compares regardless of case, as the registry does
up=$(printf '%s' "$loc" | sed 's/Keys\\good2012-256$/KEYS\\GOOD2012-256/')
run "key path case" 0 "$bin/cpkit-test" --json "$up"
eq "key path case: one" "$(jq -s 'length' "$tmp/out")" 1
run "no such key" 2 "$bin/cpkit-test" "$R/export-5.00.reg:HKEY_LOCAL_MACHINE\\SOFTWARE\\Keys\\nope"
has "no such key" "$tmp/err" "no such file or directory"
# a damaged container inside a .reg: repaired into a new folder only
run "damaged to reg" 0 "$bin/cpkit-export" --to reg "$tmp/bad.reg" --sid $SID samples/flash/badhead.000 samples/flash/good2001.000
run "list damaged reg" 1 "$bin/cpkit-list" --json "$tmp/bad.reg"
bloc=$(jq -r '.[] | select(.name == "bad-header") | .location' "$tmp/out")
run "fix reg: no --out" 2 "$bin/cpkit-fix" --password-file "$tmp/pw" "$bloc"
has "fix reg: no --out" "$tmp/err" "is not repaired in place: give --out DIR for a new folder"
run "fix reg: --in-place" 2 "$bin/cpkit-fix" --in-place --password-file "$tmp/pw" "$bloc"
[ ! -e "$tmp/f1" ] && ok || bad "fix reg: something written"
run "fix reg --out" 0 "$bin/cpkit-fix" --out "$tmp/f1" --password-file "$tmp/pw" "$bloc"
has "fix reg --out" "$tmp/out" "the stored header MAC"
run "fixed from reg" 0 "$bin/cpkit-test" --json --password-file "$tmp/pw" "$tmp/f1"
has "fixed from reg" "$tmp/out" '"key-ok"'
# the .reg itself to cpkit-fix: two containers, name one
run "fix reg file" 2 "$bin/cpkit-fix" --out "$tmp/f2" "$tmp/bad.reg"
has "fix reg file" "$tmp/err" "bad-header"
has "fix reg file" "$tmp/err" "good2001"
run "fix reg --container" 0 "$bin/cpkit-fix" --container bad-header --out "$tmp/f2" --password-file "$tmp/pw" "$tmp/bad.reg"
[ -f "$tmp/f2/header.key" ] && ok || bad "fix reg --container: nothing written"

# --- locations: a hive --------------------------------------------------
run "list hive" 0 "$bin/cpkit-list" --json $R/SOFTWARE
hloc=$(jq -r '.[] | select(.name == "good2001") | .location' "$tmp/out")
case $hloc in
"$R/SOFTWARE:"*'\Keys\good2001') ok ;;
*) bad "hive location: $hloc" ;;
esac
run "test hive location" 0 "$bin/cpkit-test" --json --password-file "$tmp/pw" "$hloc"
eq "test hive location: one" "$(jq -s 'length' "$tmp/out")" 1
has "test hive location" "$tmp/out" '"key-ok"'
run "export hive location" 0 "$bin/cpkit-export" --to folder "$tmp/h1" "$hloc"
[ -d "$tmp/h1/good2001.000" ] && ok || bad "export hive location: no good2001.000"
run "passwd hive location" 0 "$bin/cpkit-passwd" change "$hloc" --out "$tmp/hp" --password-file "$tmp/pw" --new-password-file "$tmp/npw"
run "fix hive location" 0 "$bin/cpkit-fix" --out "$tmp/hf" --password-file "$tmp/pw" "$hloc"
has "fix hive location" "$tmp/out" "Nothing to repair"
run "fix hive in place" 2 "$bin/cpkit-fix" --in-place "$hloc"
run "diag hive location" 0 "$bin/cpkit-diag" -o "$tmp/d.zip" "$hloc"
eq "diag hive location: one" "$(unzip -p "$tmp/d.zip" report.json | jq '.containers | length')" 1
printf '12345678\n' > "$tmp/wl"
run "recover hive location" 0 "$bin/cpkit-passwd" recover "$hloc" --wordlist "$tmp/wl" --state "$tmp/st" --output "$tmp/found"
eq "recover hive location" "$(cat "$tmp/found")" 12345678
# export --to reg --name from a location rewrites name.key too
run "reg --name" 0 "$bin/cpkit-export" --to reg "$tmp/n.reg" --sid $SID --name "Новое имя" "$hloc"
run "reg --name listed" 0 "$bin/cpkit-list" --json "$tmp/n.reg"
eq "reg --name listed" "$(jq -r '.[0].name' "$tmp/out")" "Новое имя"
[ ! -s "$tmp/err" ] && ok || bad "reg --name: warnings: $(cat "$tmp/err")"

# --- --container: by name, by FQCN, ambiguous, unknown -------------------
run "container by name" 0 "$bin/cpkit-export" --to pem "$tmp/c1.pem" --password-file "$tmp/pwru" --container "Иванов ИИ 2045" $R/export-5.00.reg
run "container by FQCN" 0 "$bin/cpkit-export" --to pem "$tmp/c2.pem" --password-file "$tmp/pw" --container '\\.\REGISTRY\GOOD2012-256' $R/export-5.00.reg
run "container passwd" 0 "$bin/cpkit-passwd" change --container good2012-256 $R/export-5.00.reg --out "$tmp/c3" --password-file "$tmp/pw" --new-password-file "$tmp/npw"
run "container test" 0 "$bin/cpkit-test" --json --container good2001 $R/export-regedit4.reg
run "container list" 0 "$bin/cpkit-list" --json --container good2001 $R/SOFTWARE
eq "container list: one" "$(jq 'length' "$tmp/out")" 1
run "ambiguous name" 2 "$bin/cpkit-test" --container good2012-256 $R
has "ambiguous name" "$tmp/err" "$R/SOFTWARE:"
has "ambiguous name" "$tmp/err" "$R/export-5.00.reg:"
run "ambiguous duplicate" 2 "$bin/cpkit-export" --to folder "$tmp/x" --container duplicate samples/duplicate
has "ambiguous duplicate" "$tmp/err" "samples/duplicate/dup.000"
has "ambiguous duplicate" "$tmp/err" "samples/duplicate/dup.001"
[ ! -e "$tmp/x" ] && ok || bad "ambiguous duplicate: something written"
run "unknown name" 2 "$bin/cpkit-test" --container nope $R/export-5.00.reg
has "unknown name" "$tmp/err" "good2012-256"
run "many, none named" 2 "$bin/cpkit-passwd" change $R/export-5.00.reg --out "$tmp/x" --password-file "$tmp/pw" --new-password-file "$tmp/npw"
has "many, none named" "$tmp/err" "Иванов ИИ 2045"
run "many, pem" 2 "$bin/cpkit-export" --to pem "$tmp/x.pem" --password-file "$tmp/pw" $R/export-5.00.reg

# --- a colon in real names: an existing path wins -----------------------
mkdir "$tmp/a:b"
cp -r samples/flash/good2001.000 "$tmp/a:b/"
run "colon folder" 0 "$bin/cpkit-test" --json "$tmp/a:b/good2001.000"
cp $R/export-regedit4.reg "$tmp/x:y.reg"
run "colon reg" 0 "$bin/cpkit-list" --json "$tmp/x:y.reg"
cloc=$(jq -r '.[0].location' "$tmp/out")
run "colon reg location" 0 "$bin/cpkit-test" --json "$cloc"
eq "colon reg location: one" "$(jq -s 'length' "$tmp/out")" 1

# --- import: the CN as it is, safe for each target ----------------------
if openssl engine gost >/dev/null 2>&1; then
	run "key for import" 0 "$bin/cpkit-export" --to pem "$tmp/k.pem" --password-file "$tmp/pw" samples/flash/good2012.000
	openssl req -engine gost -new -x509 -key "$tmp/k.pem" -utf8 \
	    -subj '/O=Test/CN=ООО "Ромашка" \, филиал] 1' -days 30 \
	    -out "$tmp/q.crt" >/dev/null 2>&1 && ok || bad "openssl req"
	run "import quotes folder" 0 "$bin/cpkit-import" "$tmp/k.pem" --cert "$tmp/q.crt" --to folder "$tmp/iq" --password-file "$tmp/npw"
	has "import quotes folder" "$tmp/out" 'ООО "Ромашка" , филиал_ 1'
	run "import quotes reg" 0 "$bin/cpkit-import" "$tmp/k.pem" --cert "$tmp/q.crt" --to reg "$tmp/iq.reg" --sid $SID --password-file "$tmp/npw"
	# the certificate starts now, so the judge is the clock, not the
	# pinned CPKIT_NOW of the other tests
	run "imported listed" 0 env -u CPKIT_NOW "$bin/cpkit-list" --json "$tmp/iq" "$tmp/iq.reg"
	eq "imported names" "$(jq -r '[.[].name] | unique | join("|")' "$tmp/out")" 'ООО "Ромашка" , филиал_ 1'
else
	echo "skipped: openssl has no gost engine"
fi

# --- an incomplete container exported: said, exit 1 ---------------------
run "export incomplete" 1 "$bin/cpkit-export" --to folder "$tmp/inc" samples/flash/nohead.000
has "export incomplete" "$tmp/err" "header.key"
[ -f "$tmp/inc/no-heade.000/name.key" ] && ok || bad "export incomplete: not written"
run "export incomplete reg" 1 "$bin/cpkit-export" --to reg "$tmp/inc.reg" --sid $SID samples/flash/noname.000
has "export incomplete reg" "$tmp/err" "name.key"
run "export complete" 0 "$bin/cpkit-export" --to folder "$tmp/inc2" samples/flash/good2001.000
[ ! -s "$tmp/err" ] && ok || bad "export complete: warnings"
# --name writes name.key: the copy is complete
run "export noname --name" 0 "$bin/cpkit-export" --to folder "$tmp/inc3" --name noname samples/flash/noname.000
[ ! -s "$tmp/err" ] && ok || bad "export noname --name: warnings"
# no reserve pair at all is no gap (some CSP versions write none)
mkdir "$tmp/norsv.000"
cp samples/flash/good2001.000/header.key samples/flash/good2001.000/name.key samples/flash/good2001.000/masks.key samples/flash/good2001.000/primary.key "$tmp/norsv.000/"
run "export without reserve" 0 "$bin/cpkit-export" --to folder "$tmp/inc4" "$tmp/norsv.000"
[ ! -s "$tmp/err" ] && ok || bad "export without reserve: warnings"
rm "$tmp/norsv.000/primary.key"
cp samples/flash/good2001.000/masks2.key "$tmp/norsv.000/"
run "export half pairs" 1 "$bin/cpkit-export" --to folder "$tmp/inc5" "$tmp/norsv.000"
has "export half pairs" "$tmp/err" "primary.key, primary2.key"

# --- cpkit-fix's default output -----------------------------------------
cp -r samples/flash/noname.000 "$tmp/noname.000"
cd "$tmp"
run "fix default output" 0 "$bin/cpkit-fix" noname.000
has "fix default output" "$tmp/out" "noname.000-fixed (the original is unchanged)"
has "fix default output" "$tmp/out" "  cpkit-fix --in-place noname.000"
has "fix default output" "$tmp/out" "  mv noname.000 noname.000.orig && mv noname.000-fixed noname.000"
# the printed command does what it says
cmd=$(grep '^  cpkit-fix --in-place' "$tmp/out" | sed 's/^  cpkit-fix //')
run "printed command" 0 "$bin/cpkit-fix" $cmd
run "repaired in place" 0 "$bin/cpkit-test" --json noname.000
# -fixed is no duplicate of the repaired container
eq "-fixed not a duplicate" "$(nfind duplicate-name noname.000)" 0
cd "$top"

# --- file-missing: the remedy by what is missing -------------------------
remedy() {	# remedy FOLDER: the remedy of file-missing
	"$bin/cpkit-test" --json "$1" 2>/dev/null |
	    jq -r '.findings[] | select(.id == "file-missing") | .remedy'
}
remedy samples/flash/noname.000 > "$tmp/r"
has "remedy name.key" "$tmp/r" "cpkit-fix writes name.key anew, with --name NAME or from the folder's name. Or copy the whole container again from the original medium."
remedy samples/flash/nohead.000 > "$tmp/r"
has "remedy header.key" "$tmp/r" "cpkit-fix rebuilds header.key from the container's certificate and the password (cpkit-fix --cert CERT --password-file FILE). Or copy the whole container again from the original medium."
mkdir "$tmp/nohn.000" "$tmp/nopair.000"
cp samples/flash/nohead.000/masks.key samples/flash/nohead.000/primary.key "$tmp/nohn.000/"
remedy "$tmp/nohn.000" > "$tmp/r"
has "remedy both" "$tmp/r" "cpkit-fix rebuilds both: header.key from the container's certificate and the password (cpkit-fix --cert CERT --password-file FILE), name.key with --name NAME or from the folder's name. Or copy the whole container again from the original medium."
cp samples/flash/good2001.000/header.key samples/flash/good2001.000/name.key samples/flash/good2001.000/masks.key samples/flash/good2001.000/primary2.key "$tmp/nopair.000/"
remedy "$tmp/nopair.000" > "$tmp/r"
has "remedy pair" "$tmp/r" "Copy the whole container folder again from the original medium: no complete masks/primary pair is left, and nothing can rebuild one. A container needs name.key, header.key and one complete masks/primary pair."

e2e_done e2e-address
