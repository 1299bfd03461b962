# bash completion for cpkit and for each cpkit-* tool run directly.
# The options are those of the getopt_long tables in tools/cpkit-*.c
# (CLI_SECRET_OPTIONS and CLI_PIN_OPTIONS from tools/cli.h expanded);
# tests/e2e_install.sh fails when the two drift apart.

_cpkit_commands="list test fix export import passwd carve diag token"
_cpkit_secret="--password-file --password-env --empty-password --ask"
_cpkit_pin="--pin-file --pin-env --ask-pin --min-tries --pin-encoding"
# CLI_PWLIST_OPTION: the tools that read an existing container's password
_cpkit_pwlist="--password-list"

# _cpkit_opts TOOL: the options of cpkit-TOOL, or of one subcommand
# (passwd-recover, token-pin-quality) where it has its own table.
_cpkit_opts()
{
	case $1 in
	list)	echo "--json --csv --csv-excel --sort --no-tokens --cert" \
		    "--container -q -v -h --help $_cpkit_pin" ;;
	test)	echo "--json --cert --container -q -v -h --help" \
		    "$_cpkit_secret $_cpkit_pwlist $_cpkit_pin" ;;
	fix)	echo "--cert --alg --name --out --output -o --in-place --force" \
		    "--container" \
		    "-q -v" \
		    "-h --help $_cpkit_secret $_cpkit_pwlist" ;;
	export)	echo "--to --name --sid --machine --merge-users --rename-duplicates --regedit4 --no-wow64" \
		    "--force --ignore-export-flag --container $_cpkit_secret" \
		    "$_cpkit_pwlist" \
		    "--pfx-password-file --pfx-password-env -q -v -h --help" \
		    "$_cpkit_pin" ;;
	import)	echo "--cert --to --name --sid --machine --exchange" \
		    "--signature $_cpkit_secret --pfx-password-file" \
		    "--pfx-password-env -v -h --help" ;;
	passwd-recover)
		echo "--defaults --wordlist --mask --charset1 --charset2" \
		    "--charset3 --charset4 --min-len --max-len --threads" \
		    "--restore --state --save-every --output -o --force" \
		    "--part --count --json --progress" ;;
	passwd-change)
		echo "--out --output -o --password-file --password-env" \
		    "--empty-password --password-list" \
		    "--new-password-file --new-password-env" \
		    "--new-empty-password --ask --container -v -h --help" ;;
	carve)	echo "-o --output --raw --json -q -v -h --help $_cpkit_secret" \
		    "$_cpkit_pwlist --progress" ;;
	diag)	echo "-o --output --jsonl --redact --redact-key-file" \
		    "--include-containers --admin-tries --no-tokens" \
		    "--fail-on --merge -q -v --progress" \
		    "-h --help $_cpkit_secret $_cpkit_pwlist" ;;
	token)	echo "--reader --json --admin --user --by-admin --pin-file" \
		    "--pin-env --ask --ask-pin --new-pin-file --new-pin-env" \
		    "--accept-untested-format --legacy-tlv" \
		    "--min-tries --pin-encoding -v -h --help" ;;
	token-pin-quality)	# plus one per policy parameter (diag/pinq_policy.c)
		echo "--pin-file --pin-env --ask --ask-pin --current-pin-file" \
		    "--current-pin-env --factory --json -h --help" \
		    "--ppminpinlength --ppdefaultpin --pponesymbolpin" \
		    "--pponlynumerals --pponlyletters --ppcurrentpin" \
		    "--ppbadpinbehavior --ppacceptablepinbehavior" \
		    "--pppinlengthweight --ppbadpinborder --ppgoodpinborder" \
		    "--pinencoding" ;;
	esac
}

# Subcommands: always the first argument of the tools that have them.
_cpkit_subs()
{
	case $1 in
	passwd)	echo "recover change" ;;
	token)	echo "list info pin-status verify change-pin unblock" \
		    "check-defaults pin-quality" ;;
	esac
}

_cpkit_reply()		# words to offer, from a list
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

_cpkit_files()		# -f files and folders, -d folders only
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen "$1" -- "$2")
}

# _cpkit_tool TOOL FIRST: completes COMP_WORDS[COMP_CWORD] for cpkit-TOOL,
# whose arguments start at COMP_WORDS[FIRST].
_cpkit_tool()
{
	local tool=$1 first=$2 cword=$COMP_CWORD sub="" opts
	local cur=${COMP_WORDS[COMP_CWORD]} prev="" prev2=""

	# --opt=value: bash splits at '=' (COMP_WORDBREAKS)
	if [ "$cur" = "=" ]; then
		cur=""
		prev=${COMP_WORDS[cword - 1]}
	elif [ "$cword" -gt "$first" ]; then
		prev=${COMP_WORDS[cword - 1]}
		if [ "$prev" = "=" ] && [ "$cword" -gt $((first + 1)) ]; then
			prev=${COMP_WORDS[cword - 2]}
		fi
	fi
	[ "$cword" -gt $((first + 1)) ] && prev2=${COMP_WORDS[cword - 2]}
	[ "$cword" -gt "$first" ] && [ -n "$(_cpkit_subs "$tool")" ] &&
		sub=${COMP_WORDS[first]}

	# the value of an option
	case $prev in
	--password-file|--password-list|--pfx-password-file|--new-password-file|--pin-file|\
	--new-pin-file|--current-pin-file|--cert|--wordlist|--restore|\
	--state|--redact-key-file)
		_cpkit_files -f "$cur"; return ;;
	--password-env|--pfx-password-env|--new-password-env|--pin-env|\
	--new-pin-env|--current-pin-env)
		mapfile -t COMPREPLY < <(compgen -e -- "$cur"); return ;;
	--out)
		_cpkit_files -d "$cur"; return ;;
	-o|--output)	# a folder for fix, carve and passwd change, else a file
		case $tool:$sub in
		fix:*|carve:*|passwd:change) _cpkit_files -d "$cur" ;;
		*) _cpkit_files -f "$cur" ;;
		esac
		return ;;
	--alg)	_cpkit_reply "gost2001 gost2012-256 gost2012-512" "$cur"
		return ;;
	--to)	if [ "$tool" = import ]; then
			_cpkit_reply "folder reg" "$cur"
		else
			_cpkit_reply "folder reg pem pfx" "$cur"
		fi
		return ;;
	--fail-on)
		_cpkit_reply "any expired expiring:30d damaged locked" "$cur"; return ;;
	--sort)	_cpkit_reply "status expiry name" "$cur"; return ;;
	--progress)
		_cpkit_reply "auto always never" "$cur"; return ;;
	--factory)
		_cpkit_reply "rutoken etoken jacarta jacarta-gost esmart" "$cur"
		return ;;
	--pin-encoding)
		_cpkit_reply "cp1251 utf8" "$cur"; return ;;
	--pinencoding)
		_cpkit_reply "ANSI UTF8" "$cur"; return ;;
	--name|--container|--sid|--mask|--charset[1-4]|--min-len|--max-len|--threads|\
	--save-every|--reader|--min-tries|--pp*)
		COMPREPLY=(); return ;;	# free text: nothing to offer
	esac
	if [ "$prev2" = --to ]; then	# --to KIND PATH
		if [ "$prev" = folder ]; then
			_cpkit_files -d "$cur"
		else
			_cpkit_files -f "$cur"
		fi
		return
	fi

	if [ -n "$(_cpkit_subs "$tool")" ] && [ -z "$sub" ]; then
		if [ "${cur#-}" = "$cur" ]; then
			_cpkit_reply "$(_cpkit_subs "$tool")" "$cur"
		else
			_cpkit_reply "-h --help" "$cur"	# only help before it
		fi
		return
	fi
	if [ "${cur#-}" != "$cur" ]; then
		opts=$(_cpkit_opts "$tool-$sub")
		[ -z "$opts" ] && [ "$tool" != passwd ] &&
			opts=$(_cpkit_opts "$tool")
		_cpkit_reply "$opts" "$cur"
		return
	fi
	case $tool in
	token) COMPREPLY=() ;;		# readers and PINs: nothing on disk
	*) _cpkit_files -f "$cur" ;;	# containers, images, keys, .reg
	esac
}

_cpkit()
{
	local cur=${COMP_WORDS[COMP_CWORD]} i=1 w cmd=""

	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case $w in
		-*) ;;
		*) cmd=$w; break ;;
		esac
		i=$((i + 1))
	done
	case $cmd in
	"")	if [ "${cur#-}" != "$cur" ]; then
			_cpkit_reply "--help --version --json -h" "$cur"
		else
			_cpkit_reply "$_cpkit_commands help version" "$cur"
		fi ;;
	help)	if [ "$COMP_CWORD" -eq $((i + 1)) ]; then
			_cpkit_reply "$_cpkit_commands" "$cur"
		else
			COMPREPLY=()
		fi ;;
	version)
		_cpkit_reply "--json" "$cur" ;;
	*)	_cpkit_tool "$cmd" $((i + 1)) ;;
	esac
}

_cpkit_direct()
{
	local tool=${COMP_WORDS[0]##*/}

	_cpkit_tool "${tool#cpkit-}" 1
}

complete -F _cpkit cpkit
complete -F _cpkit_direct cpkit-list cpkit-test cpkit-fix cpkit-export \
	cpkit-import cpkit-passwd cpkit-carve cpkit-diag cpkit-token
