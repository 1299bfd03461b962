#!/bin/sh
# End-to-end tests of the private key usage period (FORMATS.md §6.5): the
# 15-month rule CryptoPro applies to GOST 2012 keys, the certificate's
# PrivateKeyUsagePeriod, the header's own validity, 2001 keys as info,
# CPKIT_NOW, and the period cpkit-import and cpkit-fix write. Containers
# come from build/tests/gen_expiry. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
gen=${GEN_EXPIRY:-$(dirname "$bin")/tests/gen_expiry}
tmp=$(mktemp -d /tmp/cpkit-e2e-expiry.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. tests/e2e_lib.sh
export PW=12345678
samples=$(pwd)/samples/flash

if [ ! -x "$gen" ]; then
	bad "no generator $gen (make $gen)"
	e2e_done e2e_expiry
	exit 1
fi
"$gen" "$tmp/g" || bad "gen_expiry failed"
cd "$tmp/g"

# json ID FILE: the one finding id, its severity, in cpkit's JSON
sev() {	# sev NAME FILE ID SEVERITY
	has "$1" "$2" "\"id\":\"$3\",\"severity\":\"$4\""
}

# --- CPKIT_NOW -----------------------------------------------------------
for v in 2025-13-01 15.01.2026 2026-01-15T25:00:00Z yesterday 2026-02-30; do
	run "CPKIT_NOW=$v" 2 env CPKIT_NOW="$v" "$bin/cpkit-test" plain.000
	has "CPKIT_NOW=$v" "$tmp/err" "CPKIT_NOW: not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC)"
	[ ! -s "$tmp/out" ] && ok || bad "CPKIT_NOW=$v: output written"
done
for t in cpkit-list cpkit-diag cpkit-fix cpkit-export cpkit-passwd cpkit-carve; do
	run "$t with a bad CPKIT_NOW" 2 env CPKIT_NOW=2026-1-1 "$bin/$t" plain.000
	has "$t with a bad CPKIT_NOW" "$tmp/err" "CPKIT_NOW"
done
run "CPKIT_NOW with a time" 1 env CPKIT_NOW=2026-04-01T00:00:01Z "$bin/cpkit-test" --json plain.000
sev "CPKIT_NOW with a time" "$tmp/out" key-expired warning
run "CPKIT_NOW a second before" 0 env CPKIT_NOW=2026-03-31T23:59:59 "$bin/cpkit-test" --json plain.000
sev "CPKIT_NOW a second before" "$tmp/out" key-expires-soon info
hasnt "CPKIT_NOW a second before" "$tmp/out" '"key-expired"'

# --- GOST 2012, no PrivateKeyUsagePeriod: notBefore + 15 months -----------
# the header says 2045: it does not extend the period
run "2012 before the period ends" 0 "$bin/cpkit-test" --json plain.000
has "2012 before the period ends" "$tmp/out" '"status":"ok","findings":[]'
has "2012 before the period ends" "$tmp/out" '"key_not_after":"2045-01-01T00:00:00Z"'
run "2012 period over" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" plain.000
has "2012 period over" "$tmp/out" "key-expired"
has "2012 period over" "$tmp/out" "2026-04-01 00:00:00 UTC"
has "2012 period over" "$tmp/out" "certificate notBefore + 15 months"
has "2012 period over" "$tmp/out" "ControlKeyTimeValidity"
has "2012 period over" "$tmp/out" "2045-01-01 00:00:00 UTC"
run "2012 period over, json" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json plain.000
sev "2012 period over, json" "$tmp/out" key-expired warning
has "2012 period over, json" "$tmp/out" '"status":"warning"'
# the same with the password: still expired, and the key proven
run "2012 period over, password" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json --password-env PW plain.000
sev "2012 period over, password" "$tmp/out" key-expired warning
has "2012 period over, password" "$tmp/out" '"id":"key-ok"'
# a month-end notBefore: 2025-01-31 + 15 months = 2026-04-30
run "month end, soon" 0 env CPKIT_NOW=2026-04-15 "$bin/cpkit-test" monthend.000
has "month end, soon" "$tmp/out" "key-expires-soon"
has "month end, soon" "$tmp/out" "2026-04-30 00:00:00 UTC"
run "month end, over" 1 env CPKIT_NOW=2026-05-01 "$bin/cpkit-test" --json monthend.000
sev "month end, over" "$tmp/out" key-expired warning
has "month end, over" "$tmp/out" "2026-04-30 00:00:00 UTC"

# --- the certificate's PrivateKeyUsagePeriod ------------------------------
run "PKUP ends later" 0 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json late.000
has "PKUP ends later" "$tmp/out" '"status":"ok","findings":[]'
run "PKUP over" 1 env CPKIT_NOW=2027-02-01 "$bin/cpkit-test" late.000
has "PKUP over" "$tmp/out" "key-expired"
has "PKUP over" "$tmp/out" "2027-01-01 00:00:00 UTC"
has "PKUP over" "$tmp/out" "certificate PrivateKeyUsagePeriod"
run "PKUP already ended" 1 "$bin/cpkit-test" --json ended.000
sev "PKUP already ended" "$tmp/out" key-expired warning
has "PKUP already ended" "$tmp/out" "2025-03-01 00:00:00 UTC"
has "PKUP already ended" "$tmp/out" "certificate PrivateKeyUsagePeriod"
hasnt "PKUP already ended" "$tmp/out" "certificate notBefore + 15 months"

# --- GOST 2001: the same computation, info only ---------------------------
run "2001 period" 0 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json g2001.000
sev "2001 period" "$tmp/out" key-period-2001 info
has "2001 period" "$tmp/out" "2026-04-01 00:00:00 UTC"
has "2001 period" "$tmp/out" "certificate notBefore + 15 months"
hasnt "2001 period" "$tmp/out" '"key-expired"'
has "2001 period" "$tmp/out" '"status":"ok"'
run "2001 before" 0 "$bin/cpkit-test" --json g2001.000
hasnt "2001 before" "$tmp/out" "key-period-2001"
# the samples: good2001 the same way, good2012 expired
run "sample good2001" 0 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json "$samples/good2001.000"
sev "sample good2001" "$tmp/out" key-period-2001 info
run "sample good2012" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json "$samples/good2012.000"
sev "sample good2012" "$tmp/out" key-expired warning
has "sample good2012" "$tmp/out" '"key_not_after":"2045-01-01T00:00:00Z"'
# the header's own earlier end still expires a sample (2024-06-30)
run "sample expired" 1 "$bin/cpkit-test" "$samples/expired.000"
has "sample expired" "$tmp/out" "2024-06-30 00:00:00 UTC"
hasnt "sample expired" "$tmp/out" "certificate notBefore + 15 months"
hasnt "sample expired" "$tmp/out" "certificate PrivateKeyUsagePeriod"

# --- list and diag share the checks ---------------------------------------
run "list, period over" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-list" --json plain.000 g2001.000 late.000
has "list, period over" "$tmp/out" '"id":"key-expired"'
has "list, period over" "$tmp/out" '"id":"key-period-2001"'
[ "$(grep -o '"status":"warning"' "$tmp/out" | wc -l)" -eq 1 ] && ok ||
    bad "list, period over: one container (plain) should be a warning"
# the end CSP applies is a field of its own, and the table's KEY UNTIL
run "list, usage end" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-list" --json plain.000 g2001.000
has "list, usage end" "$tmp/out" '"key_not_after":"2045-01-01T00:00:00Z","key_usage_end":"2026-04-01T00:00:00Z","key_usage_end_source":"certificate-not-before-plus-15-months"'
has "list, usage end 2001" "$tmp/out" '"key_usage_end":"2045-01-01T00:00:00Z","key_usage_end_source":"header"'
run "list text, usage end" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-list" plain.000
grep -q '2045-01-01 2026-04-01' "$tmp/out" && ok ||
    bad "list text, usage end: KEY UNTIL is not 2026-04-01"
run "diag, period over" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-diag" --json plain.000
has "diag, period over" "$tmp/out" "key-expired"
run "diag, before" 0 "$bin/cpkit-diag" --json plain.000
hasnt "diag, before" "$tmp/out" "key-expired"

# --- cpkit-import writes the period ----------------------------------------
imp() {	# imp BASE EXPECTED-key_not_after EXIT-of-list (1: expired)
	run "import $1" 0 "$bin/cpkit-import" "$1.p8" --cert "$1.cer" --to folder "$tmp/imp-$1" --password-env PW
	run "import $1: list" "$3" "$bin/cpkit-list" --json "$tmp/imp-$1"
	has "import $1: list" "$tmp/out" "\"key_not_after\":\"$2\""
}
imp plain 2026-04-01T00:00:00Z 0
imp monthend 2026-04-30T00:00:00Z 0
imp late 2027-01-01T00:00:00Z 0
imp ended 2025-03-01T00:00:00Z 1
imp short 2025-12-31T00:00:00Z 0	# 15 months capped at notAfter
run "imported, expired" 1 "$bin/cpkit-test" --json --password-env PW "$tmp/imp-ended"
sev "imported, expired" "$tmp/out" key-expired warning
has "imported, expired" "$tmp/out" '"id":"key-ok"'

# --- cpkit-fix: a period the container has is kept ------------------------
run "fix keeps the period" 0 "$bin/cpkit-fix" --password-env PW --cert nocert.cer --out "$tmp/fixed-nocert" nocert.000
run "fix keeps the period: list" 0 "$bin/cpkit-list" --json "$tmp/fixed-nocert"
has "fix keeps the period: list" "$tmp/out" '"key_not_after":"2030-01-01T00:00:00Z"'
run "fix keeps the period: test" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json --password-env PW "$tmp/fixed-nocert"
sev "fix keeps the period: test" "$tmp/out" key-expired warning
has "fix keeps the period: test" "$tmp/out" "certificate notBefore + 15 months"

# --- cpkit-fix rebuilding a lost header writes the period -----------------
rebuild() {	# rebuild BASE EXPECTED-key_not_after EXIT (1: expired)
	cp -r "$1.000" "$tmp/lost-$1"
	rm "$tmp/lost-$1/header.key"
	run "rebuild $1" "$3" "$bin/cpkit-fix" --password-env PW --cert "$1.cer" --out "$tmp/rebuilt-$1" "$tmp/lost-$1"
	has "rebuild $1" "$tmp/out" "header.key was missing: rebuilt from the certificate"
	run "rebuild $1: list" "$3" "$bin/cpkit-list" --json "$tmp/rebuilt-$1"
	has "rebuild $1: list" "$tmp/out" "\"key_not_after\":\"$2\""
}
rebuild plain 2026-04-01T00:00:00Z 0
rebuild ended 2025-03-01T00:00:00Z 1
rebuild short 2025-12-31T00:00:00Z 0
run "rebuilt, still expired" 1 env CPKIT_NOW=2026-06-01 "$bin/cpkit-test" --json --password-env PW "$tmp/rebuilt-plain"
sev "rebuilt, still expired" "$tmp/out" key-expired warning
has "rebuilt, still expired" "$tmp/out" '"id":"key-ok"'
has "rebuilt, still expired" "$tmp/out" "header.key key validity 2026-04-01 00:00:00 UTC"
run "rebuilt PKUP, expired" 1 "$bin/cpkit-test" --json --password-env PW "$tmp/rebuilt-ended"
sev "rebuilt PKUP, expired" "$tmp/out" key-expired warning
# the short certificate: the header ends with it, so the header's date
# is the earliest and named as the source (2026-04-01 is later)
run "rebuilt short" 1 env CPKIT_NOW=2026-01-15 "$bin/cpkit-test" --json --password-env PW "$tmp/rebuilt-short"
sev "rebuilt short" "$tmp/out" key-expired warning
has "rebuilt short" "$tmp/out" "ended on 2025-12-31 00:00:00 UTC"
hasnt "rebuilt short" "$tmp/out" "certificate notBefore + 15 months"
sev "rebuilt short" "$tmp/out" cert-expired warning

e2e_done e2e_expiry
