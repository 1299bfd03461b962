#!/bin/sh
# Checks that each Windows program given imports only the system's DLLs,
# so that the .exe runs alone on a PC: lists them, fails on any other.
#   sh scripts/win-dlls.sh build-win/bin/*.exe
set -eu
# Windows' own DLLs (System32), the CRT included: msvcrt.dll ships with
# every Windows since XP, ucrtbase.dll since 10 (and by update on 7/8.1).
SYSTEM="kernel32.dll advapi32.dll user32.dll gdi32.dll ws2_32.dll
crypt32.dll bcrypt.dll msvcrt.dll ucrtbase.dll ntdll.dll shell32.dll
ole32.dll winscard.dll setupapi.dll"
OBJDUMP=${OBJDUMP:-x86_64-w64-mingw32-objdump}
rc=0
for exe in "$@"; do
	dlls=$("$OBJDUMP" -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p' |
		tr 'A-Z' 'a-z' | sort -u)
	for d in $dlls; do
		case "$d" in api-ms-win-*) continue ;; esac
		case " $(echo $SYSTEM) " in
		*" $d "*) ;;
		*) echo "win-dlls: $exe imports $d, not a system DLL" >&2; rc=1 ;;
		esac
	done
	echo "win-dlls: $exe imports $(echo $dlls)"
done
exit $rc
