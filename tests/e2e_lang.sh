#!/bin/sh
# The translations themselves: po/ru.po covers every message in the
# sources and compiles clean; a handful of real Russian outputs, checked
# word for word (a usage line, an error naming a file, a finding with its
# remedy, a plural, a report.html heading); the C locale prints exactly
# what cpkit printed before it was translated (tests/data/lang, made by
# the untranslated binaries); JSON and CSV are the same in both languages
# but for a finding's message, remedy and evidence.
# Usage: tests/e2e_lang.sh BUILD_DIR. Prints "N passed, N failed".
set -u
build=${1:-build}
top=$(pwd)
bin=$(cd "$build/bin" && pwd)
loc=$(cd "$build/locale" && pwd)
gold=$top/tests/data/lang
tmp=$(mktemp -d /tmp/cpkit-e2e-lang.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"	# the C locale: E2E_LANG is not set here
export PW=12345678
# cpkit-diag lists the tokens when pcscd runs; this test reads none
export PCSCLITE_CSOCK_NAME="$tmp/no-pcscd"
# ru CMD...: CMD in Russian (a script, so that run's timeout can start it)
ru=$tmp/ru
cat >"$ru" <<EOF
#!/bin/sh
export LANG=ru_RU.UTF-8 LC_ALL=ru_RU.UTF-8 LANGUAGE=ru
export CPKIT_LOCALEDIR='$loc'
exec "\$@"
EOF
chmod +x "$ru"
# same NAME FILE TEXT: FILE is exactly TEXT (one line or several)
same() {
	printf '%s\n' "$3" >"$tmp/want"
	if cmp -s "$tmp/want" "$2"; then ok; else
		bad "$1"
		diff "$tmp/want" "$2" | head -6
	fi
}

# ---- the catalog: every message of the sources translated, no fuzzy ----
run "make pot" 0 ${MAKE:-make} --no-print-directory -s pot POT="$tmp/cpkit.pot"
run "msgcmp" 0 msgcmp po/ru.po "$tmp/cpkit.pot"
[ -s "$tmp/err" ] && bad "msgcmp: $(head -3 "$tmp/err")" || ok
run "msgfmt" 0 msgfmt --check --statistics -o /dev/null po/ru.po
grep -q 'fuzzy\|untranslated' "$tmp/err" && bad "msgfmt: $(cat "$tmp/err")" || ok

# ---- Russian, word for word ----
run "ru usage" 0 "$ru" "$bin/cpkit-list" --help
head -1 "$tmp/out" >"$tmp/line"
same "ru usage line" "$tmp/line" \
    'Использование: cpkit-list [--json | --csv | --csv-excel] [--sort ПО]'
run "ru missing path" 2 "$ru" "$bin/cpkit-list" "$tmp/nowhere"
same "ru error naming a file" "$tmp/err" \
    "cpkit-list: $tmp/nowhere: нет такого файла или каталога"
run "ru finding" 1 "$ru" "$bin/cpkit-test" samples/flash/badhead.000
grep '^  \[' "$tmp/out" >"$tmp/line"
same "ru finding message" "$tmp/line" \
    '  [ошибка] header-mac: header.key: hmacKeyContainerContent не соответствует заголовку'
grep '^      что делать' "$tmp/out" >"$tmp/line"
same "ru finding remedy" "$tmp/line" \
    '      что делать: header.key повреждён или изменён сторонней программой; CSP, скорее всего, не примет контейнер. Восстановите header.key из резервной копии или пересоберите его по сертификату (cpkit-fix).'
tail -1 "$tmp/out" >"$tmp/line"
same "ru result" "$tmp/line" \
    'Итог: найдены проблемы (проверки без пароля; чтобы расшифровать ключ, укажите пароль через --password-file, --password-env, --empty-password или --ask)'
# three plural forms: 1, 2 and 5 key paths
run "ru plural" 0 "$ru" "$bin/cpkit-export" --to reg "$tmp/m.reg" \
    --sid S-1-5-21-5-6-7-1002 samples/registry/export-5.00.reg
same "ru plural 2" "$tmp/out" \
    "$tmp/m.reg: 2 раздела реестра перенесены к S-1-5-21-5-6-7-1002"
run "ru plural 1" 0 "$ru" "$bin/cpkit-export" --to reg "$tmp/one.reg" \
    --machine samples/flash/good2001.000
same "ru plural 1" "$tmp/out" "$tmp/one.reg: 1 контейнер для компьютера"
set -- samples/flash/good2001.000 samples/flash/good2012.000 \
    samples/flash/good512.000 samples/flash/expired.000 \
    samples/flash/nocert.000
run "ru plural 5" 0 "$ru" "$bin/cpkit-export" --to reg "$tmp/five.reg" \
    --machine "$@"
same "ru plural 5" "$tmp/out" "$tmp/five.reg: 5 контейнеров для компьютера"
# the language comes from LANG alone too, and LANGUAGE picks it
run "LANG only" 2 env -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8 \
    CPKIT_LOCALEDIR="$loc" "$bin/cpkit-list" "$tmp/nowhere"
has "LANG only" "$tmp/err" "нет такого файла или каталога"
# report.html speaks Russian: its language and its headings
run "ru bundle" 1 "$ru" "$bin/cpkit-diag" -q -o "$tmp/b.zip" samples/flash
unzip -p "$tmp/b.zip" report.html >"$tmp/report.html"
has "ru html lang" "$tmp/report.html" '<html lang="ru">'
has "ru html heading" "$tmp/report.html" '<h2>Сводка</h2>'
unzip -p "$tmp/b.zip" report.txt >"$tmp/report.txt"
has "ru report.txt" "$tmp/report.txt" 'Контейнер \\.\FLASH\bad-header'

# ---- the C locale: what cpkit printed before it had translations ----
cp -r samples/flash/nocert.000 samples/flash/nocert.cer "$tmp/"
run "C badhead" 1 "$bin/cpkit-test" samples/flash/badhead.000
cmp -s "$tmp/out" "$gold/test-badhead.txt" && ok || bad "C badhead differs"
run "C good2001" 0 "$bin/cpkit-test" --password-env PW samples/flash/good2001.000
cmp -s "$tmp/out" "$gold/test-good2001.txt" && ok || bad "C good2001 differs"
run "C list" 1 "$bin/cpkit-list" samples/flash
cmp -s "$tmp/out" "$gold/list-flash.txt" && ok || bad "C list differs"
run "C fix help" 0 "$bin/cpkit-fix" --help
cmp -s "$tmp/out" "$gold/fix-help.txt" && ok || bad "C fix --help differs"
run "C fix" 0 sh -c "cd '$tmp' && '$bin/cpkit-fix' --cert nocert.cer nocert.000"
cmp -s "$tmp/out" "$gold/fix-nocert.txt" && ok || bad "C fix output differs"
(cd "$tmp" && "$bin/cpkit-list" nowhere
    setsid "$bin/cpkit-test" --ask nocert.000 </dev/null
    "$bin/cpkit-fix" --cert nocert.cer --out nocert.000 nocert.000
) >/dev/null 2>"$tmp/errors"
cmp -s "$tmp/errors" "$gold/errors.txt" && ok || bad "C errors differ"

# ---- machine-readable output: one for every language ----
strip='walk(if type == "object" then del(.message, .remedy, .evidence)
    else . end)'
for d in samples/flash/*.000; do
	"$bin/cpkit-test" --json --password-env PW "$d" | jq -S "$strip" \
	    >"$tmp/c.json"
	"$ru" "$bin/cpkit-test" --json --password-env PW "$d" | jq -S "$strip" \
	    >"$tmp/r.json"
	cmp -s "$tmp/c.json" "$tmp/r.json" && ok || bad "JSON differs: $d"
done
"$bin/cpkit-list" --csv samples >"$tmp/c.csv" 2>/dev/null
"$ru" "$bin/cpkit-list" --csv samples >"$tmp/r.csv" 2>/dev/null
cmp -s "$tmp/c.csv" "$tmp/r.csv" && ok || bad "CSV differs"
"$ru" "$bin/cpkit-test" --json samples/flash/badhead.000 >"$tmp/r.json"
[ "$(jq -r '.findings[0].message' "$tmp/r.json")" = \
    'header.key: hmacKeyContainerContent не соответствует заголовку' ] &&
    ok || bad "JSON message not in Russian"

e2e_done e2e-lang
