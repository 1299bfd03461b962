#!/bin/sh
# mkreg.sh OUT KEYS: a regedit 5.00 export (UTF-16LE with BOM, CRLF) of
# the Crypto Pro branch of a terminal server's SOFTWARE hive holding KEYS
# container keys, for the regscale benchmark and tests/hostile/50-bounds.sh.
# The model: 1,000 containers per user SID (Users\<SID>\Keys), each user's
# keys preceded by the parent keys regedit writes; every container key has
# a name.key naming it (c0000000, c0000001, ...), and every 100th is a
# whole container, its other five REG_BINARY values copied from the first
# container of samples/registry/export-5.00.reg. So 100,000 keys are 1,000
# whole containers and 99,000 name-only keys, about 34 MB: the shape of a
# huge export kept under the 128 MiB .reg cap (a whole container is ~6 KB
# of UTF-16; 100,000 of them would not fit). Run from the top folder.
set -eu
out=$1 keys=$2
sample=${3:-samples/registry/export-5.00.reg}

iconv -f UTF-16LE -t UTF-8 "$sample" | tr -d '\r' | awk -v keys="$keys" '
# the first container'"'"'s values but name.key, physical lines as written
/^\[/ { nk++; next }
nk == 1 && /^"/ { keep = ($0 !~ /^"name\.key"/) }
nk == 1 && /^$/ { keep = 0 }
nk == 1 && keep { tmpl = tmpl $0 "\r\n" }
END {
	root = "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Crypto Pro"
	printf "Windows Registry Editor Version 5.00\r\n\r\n"
	printf "[%s]\r\n\r\n[%s\\Settings]\r\n\r\n", root, root
	printf "[%s\\Settings\\Users]\r\n\r\n", root
	for (i = 0; i < keys; i++) {
		if (i % 1000 == 0) {
			sid = sprintf("S-1-5-21-1111111111-2222222222-" \
			    "3333333333-%d", 1001 + i / 1000)
			users = root "\\Settings\\Users\\" sid
			printf "[%s]\r\n\r\n[%s\\Keys]\r\n\r\n", users, users
		}
		name = sprintf("c%07d", i)
		printf "[%s\\Keys\\%s]\r\n", users, name
		if (i % 100 == 0)
			printf "%s", tmpl
		# name.key: SEQUENCE { IA5String name } (FORMATS.md)
		printf "\"name.key\"=hex:30,0a,16,08,63"
		for (j = 2; j <= 8; j++)
			printf ",%02x", 48 + substr(name, j, 1)
		printf "\r\n\r\n"
	}
}' >"$out.tmp"
if [ "$(wc -l <"$out.tmp")" -lt "$keys" ]; then
	echo "mkreg.sh: no container template in $sample" >&2
	exit 1
fi
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$out.tmp"; } >"$out"
rm -f "$out.tmp"
