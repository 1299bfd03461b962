#!/bin/sh
# The main job on the bundled samples: list them all, test each with its
# password (samples/README.md), then repair every broken one into a
# temporary folder and test the result. Passwords go through the
# environment, never the command line; samples/ is never written.
set -u
bin=${1:-build/bin}
out=$(mktemp -d /tmp/cpkit-demo.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM

echo "== cpkit-list samples/"
"$bin/cpkit-list" samples/
for d in samples/flash/*.000; do
	case $d in
	*/5f3a9c1d.000) PW='пароль' ;;
	# locked.000 (87654321) gets the others' password on purpose: it
	# shows status locked, not damaged
	*) PW=12345678 ;;
	esac
	export PW
	echo
	echo "== cpkit-test --password-env PW $d"
	"$bin/cpkit-test" --password-env PW "$d"
	echo "(exit status $?)"
done

# a list of passwords: each line tried in order, the line named
printf '12345678\n87654321\n' >"$out/passwords"
chmod 600 "$out/passwords"
echo
echo "== cpkit-test --password-list \$tmp/passwords samples/flash/locked.000"
"$bin/cpkit-test" --password-list "$out/passwords" samples/flash/locked.000
echo "(exit status $?)"

export PW=12345678
repair() {	# repair FOLDER [cpkit-fix options]
	d=$1
	shift
	echo
	echo "== cpkit-fix --password-env PW $* --out \$tmp/$d samples/flash/$d"
	"$bin/cpkit-fix" --password-env PW "$@" --out "$out/$d" "samples/flash/$d"
	echo "(exit status $?)"
}
repair nocert.000 --cert samples/flash/nocert.cer
repair noprimar.000
repair badmasks.000
repair badhead.000
repair badoids.000
repair noname.000
repair nohead.000 --cert samples/flash/nohead.cer
repair wrongcrt.000 --cert samples/flash
# a renewal: the old and the renewed certificate of the key side by side
repair renewal.000 --cert samples/flash
echo
echo "== cpkit-list --cert samples/flash/renewal-2045.cer samples/"
"$bin/cpkit-list" --cert samples/flash/renewal-2045.cer samples/

echo
echo "== registry media: cpkit-list samples/registry"
"$bin/cpkit-list" samples/registry
echo
echo "== cpkit-export --to reg \$tmp/good2001.reg --sid S-1-5-21-...-1001 samples/flash/good2001.000"
"$bin/cpkit-export" --to reg "$out/good2001.reg" \
    --sid S-1-5-21-1111111111-2222222222-3333333333-1001 \
    samples/flash/good2001.000
"$bin/cpkit-list" "$out/good2001.reg"

export NEW=new-password PFX=pfx-password
echo
echo "== cpkit-export --to pfx and back with cpkit-import"
"$bin/cpkit-export" --to pfx "$out/good512.pfx" --password-env PW \
    --pfx-password-env PFX samples/flash/good512.000
"$bin/cpkit-import" "$out/good512.pfx" --pfx-password-env PFX \
    --password-env NEW --to folder "$out/imported"
"$bin/cpkit-test" --password-env NEW "$out/imported"
echo
echo "== cpkit-passwd change samples/flash/good2001.000 --out \$tmp/newpw.000"
"$bin/cpkit-passwd" change samples/flash/good2001.000 --out "$out/newpw.000" \
    --password-env PW --new-password-env NEW

echo
echo "== cpkit-carve samples/images/flash-deleted.img (FAT12, two containers deleted)"
"$bin/cpkit-carve" -q -o "$out/carved" --password-env PW \
    samples/images/flash-deleted.img

# the bundle a colleague gets: everything above in one zip
mkdir -p build
bundle=build/demo-diag.zip
rm -f "$bundle"
echo
echo "== cpkit-diag -o $bundle samples/"
"$bin/cpkit-diag" -q -o "$bundle" --password-env PW samples/
echo "Open report.html from $bundle in a browser (unzip $bundle report.html)."
exit 0
