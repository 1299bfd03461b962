# Sourced by tests/e2e_lib.sh: the language an end-to-end script runs in.
# Unset E2E_LANG runs everything in the C locale, in English, as cpkit
# always spoke. E2E_LANG=ru runs the whole script (every cpkit command,
# and the tools around them) under ru_RU.UTF-8 with the catalog of the
# build tree, and l10n turns the English text a test looks for into what
# the Russian tools print: a whole message through the compiled catalog,
# a piece of a formatted message through the table below. JSON keys,
# finding ids, exit codes and file bytes are the same in every language.
l10n_lang=${E2E_LANG:-}
# the catalog built beside the binaries (BUILD/bin -> BUILD/locale)
l10n_dir=${E2E_LOCALEDIR:-$(cd "${bin:-build/bin}/.." 2>/dev/null && pwd)/locale}

case $l10n_lang in
'' | en | C)
	l10n_lang=
	export LC_ALL=C
	unset LANGUAGE
	;;
ru)
	if ! locale -a 2>/dev/null | grep -qix 'ru_RU.utf-\{0,1\}8'; then
		echo "E2E_LANG=ru: no ru_RU.UTF-8 locale (run scripts/setup.sh as root)"
		exit 1
	fi
	if [ ! -f "$l10n_dir/ru/LC_MESSAGES/cpkit.mo" ]; then
		echo "E2E_LANG=ru: no catalog in $l10n_dir (make all builds it)"
		exit 1
	fi
	export LANG=ru_RU.UTF-8 LC_ALL=ru_RU.UTF-8 LANGUAGE=ru
	export CPKIT_LOCALEDIR="$l10n_dir"
	;;
*)
	echo "E2E_LANG=$l10n_lang: only ru is translated"
	exit 1
	;;
esac

# yes/no answers of the certificate listing
l10n_yes_no() { case $1 in yes) printf 'да' ;; no) printf 'нет' ;; *) printf '%s' "$1" ;; esac; }

# l10n TEXT: TEXT as the tools print it in this run's language. Pieces
# of formatted messages are matched first (the Russian by hand, the
# variable part kept); any other text is looked up whole in the catalog,
# and what is not a message (a path, an id, a name) comes back as is.
l10n() {
	if [ -z "$l10n_lang" ]; then
		printf '%s' "$1"
		return
	fi
	case $1 in
	'usage: '*) printf 'Использование: %s' "${1#usage: }" ;;
	*': no such file or directory')
		printf '%s: нет такого файла или каталога' \
		    "${1%: no such file or directory}" ;;
	'--ask needs a terminal') printf 'для --ask нужен терминал' ;;
	*' is not set') printf '%s не задана' "${1% is not set}" ;;
	'checks without the password') printf 'проверки без пароля' ;;
	*': cannot be parsed: input ends early')
		printf '%s: не разбирается: данные обрываются раньше времени' \
		    "${1%%: *}" ;;
	*': cannot be parsed') printf '%s: не разбирается' "${1%%: *}" ;;
	'cannot be parsed') printf 'не разбирается' ;;
	*': cannot be read (empty file)')
		printf '%s: не читается (пустой файл)' "${1%%: *}" ;;
	*': cannot be read (file too large)')
		printf '%s: не читается (файл слишком большой)' "${1%%: *}" ;;
	*': cannot be read') printf '%s: не читается' "${1%%: *}" ;;
	'too deep') printf 'слишком глубоко' ;;
	'Nothing to repair') printf 'нечего исправлять' ;;
	'header.key key validity '*)
		printf 'срок действия ключа в header.key %s' \
		    "${1#header.key key validity }" ;;
	'ended on '*) printf 'истёк %s' "${1#ended on }" ;;
	'installed "'*) printf 'установлен "%s' "${1#installed \"}" ;;
	'header.key was missing: rebuilt from the certificate')
		printf 'header.key отсутствовал: восстановлен по сертификату' ;;
	'rebuilt as '*' on '*)
		l10n_a=${1#rebuilt as }
		printf 'восстановлены как %s на кривой %s' "${l10n_a%% on *}" \
		    "${l10n_a#* on }" ;;
	*' rebuilt from '*)
		printf '%s восстановлен из %s' "${1%% rebuilt from *}" \
		    "${1#* rebuilt from }" ;;
	'the stored header MAC') printf 'записанная имитовставка заголовка' ;;
	'was wrong: recomputed') printf 'была неверной: пересчитана' ;;
	'written with the name '*)
		printf 'записан с именем %s' "${1#written with the name }" ;;
	*' (the original is unchanged)')
		printf '%s (исходный не изменён)' \
		    "${1% (the original is unchanged)}" ;;
	'the original is kept in '*)
		printf 'исходный контейнер сохранён в %s' \
		    "${1#the original is kept in }" ;;
	'belongs to another key') printf 'принадлежит другому ключу' ;;
	"needs the container's password") printf 'нужен пароль контейнера' ;;
	'does NOT match') printf 'НЕ соответствует' ;;
	'    user '*) printf '    пользователь %s' "${1#    user }" ;;
	'2 key paths moved') printf '2 раздела реестра перенесены' ;;
	*': line '*': '*)	# FILE: line N: TEXT, TEXT from the table
		l10n_a=${1#*: line }
		printf '%s: строка %s: %s' "${1%%: line *}" "${l10n_a%%: *}" \
		    "$(l10n "${l10n_a#*: }")" ;;
	'[a]: value "header.key": bad hex digits')
		printf '[a]: значение "header.key": неверные шестнадцатеричные цифры' ;;
	'invalid UTF-16') printf 'недопустимый UTF-16' ;;
	'longer than 1 MiB: skipped') printf 'длиннее 1 МиБ: пропущено' ;;
	'is not REG_BINARY') printf 'не типа REG_BINARY' ;;
	*': not a readable registry hive')
		printf '%s: это не куст реестра, или он не читается' \
		    "${1%: not a readable registry hive}" ;;
	'does not unlock') printf 'не расшифровывает' ;;
	'not a GOST R 34.10 private key') printf 'не закрытый ключ ГОСТ Р 34.10' ;;
	'does not belong to this key') printf 'не принадлежит этому ключу' ;;
	'marked non-exportable') printf 'помечен как неэкспортируемый' ;;
	'exported incomplete, without '*)
		printf 'экспортирован неполным, без %s' \
		    "${1#exported incomplete, without }" ;;
	'exported although marked non-exportable')
		printf 'экспортирован, хотя помечен как неэкспортируемый' ;;
	'proven by the password MAC and a full unlock')
		printf 'подтверждён имитовставкой пароля и полной расшифровкой ключа' ;;
	'not shown because standard output is not a terminal')
		printf 'не показан, так как стандартный вывод — не терминал' ;;
	'Not found: all '*' candidates tried')
		l10n_a=${1#Not found: all }
		printf 'Не найден: проверены все варианты (%s)' \
		    "${l10n_a% candidates tried}" ;;
	'resume with --restore '*)
		printf 'продолжить: --restore %s' "${1#resume with --restore }" ;;
	'file system '*) printf 'файловая система %s' "${1#file system }" ;;
	'(deleted)') printf '(удалён)' ;;
	'missing: ') printf 'отсутствуют: ' ;;
	'certainty: MAC-proven')
		printf 'достоверность: подтверждён имитовставкой' ;;
	'certainty: password-proven')
		printf 'достоверность: подтверждён паролем' ;;
	'carving by structure alone') printf 'поиск только по структуре данных' ;;
	'a FAT cluster chain loops')
		printf 'цепочка кластеров FAT зациклена' ;;
	'the FAT file-system pass failed')
		printf 'проход по файловой системе FAT не удался' ;;
	'No key container found') printf 'Ключевые контейнеры не найдены' ;;
	*' of '*' bytes scanned')
		l10n_a=${1% bytes scanned}
		printf 'просмотрено %s из %s байт' "${l10n_a%% of *}" \
		    "${l10n_a#* of }" ;;
	'the image is empty') printf 'образ пуст' ;;
	'read error at byte '*)
		printf 'ошибка чтения на байте %s' "${1#read error at byte }" ;;
	'Bundle: '*) printf 'Архив: %s' "${1#Bundle: }" ;;
	'are written anew and the rest is left out')
		printf 'контейнеры записаны заново, остальное опущено' ;;
	# tokens (tests/e2e_token.sh)
	'tries left') printf 'осталось попыток' ;;
	*' tries left') printf 'осталось попыток: %s' "${1% tries left}" ;;
	'container '*) printf 'контейнер %s' "${1#container }" ;;
	'read: user-pin') printf 'чтение: PIN-код пользователя' ;;
	'files '*' of 6, exportable')
		l10n_a=${1#files }
		printf 'файлов %s из 6, экспортируемый' "${l10n_a%% of *}" ;;
	'user PIN is correct') printf 'PIN-код пользователя верен' ;;
	'user PIN unblocked, '*' tries')
		l10n_a=${1#user PIN unblocked, }
		printf 'PIN-код пользователя разблокирован, попыток: %s' \
		    "${l10n_a% tries}" ;;
	'factory user PIN is still set')
		printf 'заводской PIN-код пользователя всё ещё установлен' ;;
	'forbids') printf 'запрещает' ;;
	'user PIN changed') printf 'PIN-код пользователя изменён' ;;
	'the check cost one try: '*' left')
		l10n_a=${1#the check cost one try: }
		printf 'проверка израсходовала одну попытку, осталось: %s' \
		    "${l10n_a% left}" ;;
	'removed') printf 'извлечён' ;;
	'no CryptoPro containers') printf 'контейнеров КриптоПро нет' ;;
	'no safe way') printf 'нет безопасного способа' ;;
	'nobody can type') printf 'никто не сможет ввести' ;;
	'lost for good') printf 'потерян навсегда' ;;
	'does not read containers') printf 'не читает контейнеры' ;;
	# in-place repair (tests/e2e_fix.sh, tests/hostile/20-inplace.sh)
	'left by an interrupted cpkit run')
		printf 'оставшаяся от прерванного запуска cpkit' ;;
	'The backup holds a copy of the key')
		printf 'В резервной копии лежит копия ключа' ;;

	# issue 14: redaction and found passwords
	'the redaction key must be at least')
		printf 'ключ обезличивания должен занимать не меньше' ;;
	'cannot open the redaction key file')
		printf 'не удаётся открыть файл ключа обезличивания' ;;
	'warning: '*' is readable by other users')
		l10n_a=${1#warning: }
		printf 'предупреждение: %s доступен для чтения другим пользователям' \
		    "${l10n_a% is readable by other users}" ;;
	*': the --output file cannot be the state file')
		printf '%s: файл --output не может быть файлом состояния' \
		    "${1%: the --output file cannot be the state file}" ;;
	*': already exists; give a new --output file, or --force to replace it')
		printf '%s: уже существует; укажите новый файл --output или --force, чтобы заменить его' \
		    "${1%: already exists; give a new --output file, or --force to replace it}" ;;
	*': a file cannot be created there')
		printf '%s: там не удаётся создать файл' \
		    "${1%: a file cannot be created there}" ;;
	'the password was found but not stored; the search state is kept in '*)
		printf 'пароль найден, но не сохранён; состояние поиска сохранено в %s' \
		    "${1#the password was found but not stored; the search state is kept in }" ;;
	# issue 15: status locked, password lists
	'1 locked.') printf '1 заперт.' ;;
	'--password-list FILE') printf '%s' '--password-list ФАЙЛ' ;;
	'line '*' of the password list unlocks the container ('*' of '*' tried)')
		l10n_a=${1#line }
		l10n_b=${1#*container (}
		printf 'строка %s списка паролей открывает контейнер (проверено %s из %s)' \
		    "${l10n_a%% *}" "${l10n_b%% *}" "$(printf '%s' "${l10n_b#* of }" | cut -d' ' -f1)" ;;
	'more than 1000 passwords; split the list')
		printf 'больше 1000 паролей; разделите список' ;;
	'line '*' is too long for a password')
		l10n_a=${1#line }
		printf 'строка %s слишком длинна для пароля' "${l10n_a%% *}" ;;
	'the password list is empty') printf 'список паролей пуст' ;;
	'is readable by other users') printf 'доступен для чтения другим пользователям' ;;

	# issue 15: certificates (tests/e2e_certs.sh)
	'held an expired certificate of this key')
		printf 'прежде — истёкший сертификат этого ключа' ;;
	'held a newer certificate of this key')
		printf 'прежде — более новый сертификат этого ключа' ;;
	'(--force: it is older than the one it replaces)')
		printf '(--force: он старше заменённого)' ;;
	'valid now, unlike '*)
		printf 'действует сейчас, в отличие от %s' "${1#valid now, unlike }" ;;
	'holds the key: '*)
		printf 'ключ этого контейнера: %s' "$(l10n_yes_no "${1#holds the key: }")" ;;
	'holds the key') printf 'ключ этого контейнера' ;;
	'(primaryFP ') printf '(primaryFP ' ;;
	'matched by d*G') printf 'сверка по d*G' ;;
	'no certificate given is newer (--force installs '*')')
		l10n_a=${1#no certificate given is newer (--force installs }
		printf 'ни один данный сертификат не новее (--force установит %s)' \
		    "${l10n_a%)}" ;;
	'none of the '*' certificates given matches the key')
		l10n_a=${1#none of the }
		printf 'ни один из указанных сертификатов (%s) не соответствует ключу' \
		    "${l10n_a% certificates given matches the key}" ;;
	'no container found holds this key')
		printf 'ни в одном найденном контейнере нет этого ключа' ;;
	'd*G equals its public key') printf 'd*G равно его открытому ключу' ;;
	'--cert FILE|DIR') printf '%s' '--cert ФАЙЛ|КАТАЛОГ' ;;
	'--cert FILE') printf '%s' '--cert ФАЙЛ' ;;

	# issue 15: addressing one container (tests/e2e_address.sh)
	'is not repaired in place: give --out DIR for a new folder')
		printf 'не исправляется на месте: укажите --out КАТАЛОГ для новой папки' ;;

	# issue 15: carve pairing and fix beyond repair (tests/e2e_pairs.sh)
	'certainty: pairing unproven')
		printf 'достоверность: пары не подтверждены' ;;
	'status: warning') printf 'состояние: предупреждение' ;;
	'pairing: by the directory entries')
		printf 'пары: по записям каталога' ;;
	'paired by their distance from the header')
		printf 'составлены в пары по расстоянию от заголовка' ;;
	'(cpkit-fix --password-file F tries every pairing)')
		printf '(cpkit-fix --password-file F переберёт все сочетания)' ;;
	'point at clusters a later file has taken')
		printf 'указывают на кластеры, занятые позже другим файлом' ;;
	'paired anew from '*' and '*', the pairing that unlocks with the password')
		l10n_a=${1#paired anew from }
		l10n_a=${l10n_a%, the pairing that unlocks with the password}
		printf 'пара составлена заново из %s и %s — это сочетание открывается паролем' \
		    "${l10n_a%% and *}" "${l10n_a#* and }" ;;
	'give the password to try every pairing')
		printf 'укажите пароль, чтобы перебрать все сочетания' ;;
	'lay beyond the 8 nearest of each kind')
		printf 'дальше 8 ближайших каждого вида' ;;
	'no complete masks/primary pair is left')
		printf 'не осталось ни одной полной пары masks/primary' ;;
	'the key is kept only in these files')
		printf 'ключ хранится только в этих файлах' ;;
	'neither masks/primary pair can be used')
		printf 'ни одна пара masks/primary не годится' ;;
	'cannot be rebuilt') printf 'восстановить его' ;;


	# issue 15: header fields and times; .reg forms (tests/e2e_parse.sh)
	'the rest of the header was read') printf 'остальной заголовок прочитан' ;;
	'is local time without a time zone: read as UTC')
		printf 'записан местным временем без часового пояса: прочитан как UTC' ;;
	'is local time with an offset: read with its offset')
		printf 'записан местным временем со смещением: прочитан с учётом смещения' ;;
	'UTF-16BE without a byte order mark')
		printf 'UTF-16BE без метки порядка байтов' ;;
	'UTF-16BE (regedit writes UTF-16LE): read')
		printf 'UTF-16BE (regedit пишет UTF-16LE): прочитан' ;;
	'UTF-16LE without a byte order mark')
		printf 'UTF-16LE без метки порядка байтов' ;;
	'CR CR LF (an editor doubled the CR)')
		printf 'CR CR LF (редактор удвоил CR)' ;;

	# issue 16: non-ASCII PINs (tests/e2e_token.sh)
	'Rutoken ECP only') printf 'только на Рутокен ЭЦП' ;;
	'CP1251 does not have') printf 'которого нет в CP1251' ;;
	'too-long') printf 'слишком длинный' ;;

	# issue 17: failures that are not swallowed (tests/e2e.sh)
	'cannot write the output') printf 'не удалось записать вывод' ;;
	*' at byte '*) printf '%s, байт %s' "${1%% at byte *}" "${1##* at byte }" ;;

	# issue 16: finding containers as real Rutokens allow (e2e_token.sh)
	'the token refused listing (SW 6A86)')
		printf 'токен отказал в просмотре каталога (SW 6A86)' ;;
	'folder 1000/1001: the token would not list it without a PIN (SW 6982)')
		printf 'каталог 1000/1001: без PIN-кода токен не даёт его просмотреть (SW 6982)' ;;
	'folder 1000/1001 skipped: the token would not list it without a PIN (SW 6982)')
		printf 'каталог 1000/1001 пропущен: без PIN-кода токен не даёт его просмотреть (SW 6982)' ;;

	# issue 18: no PATH, --no-tokens, --progress (tests/e2e_list.sh)
	'looked in') printf 'просмотрено:' ;;
	'(absent)') printf '(отсутствует)' ;;
	'--no-tokens conflicts with the token path')
		printf -- '--no-tokens противоречит пути к токену' ;;
	'use auto, always or never') printf 'укажите auto, always или never' ;;
	# issue 18: the first command (tests/e2e_first.sh)
	'cannot be used together') printf 'нельзя указывать вместе' ;;
	# issue 17: token errors that say where (tests/e2e_token.sh)
	*'SW 6A86 (incorrect parameters P1-P2)'*)
		l10n_w=$(printf '%s' "$1" | sed \
		    -e 's/(incorrect parameters P1-P2)/(неверные параметры P1-P2)/' \
		    -e 's/the containers could not be read: the token answered with an unexpected status/не удалось прочитать контейнеры: токен вернул неожиданный код состояния/' \
		    -e 's/the token stopped at /токен не выполнил /' \
		    -e 's/containers could not be listed: /не удалось получить список контейнеров: /')
		printf '%s' "$l10n_w" ;;

	# issue 19: cpkit-diag --merge (tests/e2e_merge.sh)
	'not a folder') printf 'не каталог' ;;
	'Fleet report: '*) printf 'Отчёт по машинам: %s' "${1#Fleet report: }" ;;
	# issue 20: the split search, resume per part, piped word lists
	# (tests/e2e_part.sh)
	'1 word of 128 bytes or more skipped')
		printf 'пропущено 1 слово длиной от 128 байт' ;;
	'2 words of 128 bytes or more skipped')
		printf 'пропущено 2 слова длиной от 128 байт' ;;
	'give K/N, whole numbers with 1 <= K <= N <= 100000')
		printf 'укажите K/N, целые числа, 1 <= K <= N <= 100000' ;;
	'Not found in part') printf 'Не найден в части' ;;
	'Not found in part '*': all 25 of its candidates tried')
		l10n_w=${1#Not found in part }
		printf 'Не найден в части %s: проверены все её варианты (25)' \
		    "${l10n_w%%:*}" ;;
	'part 3/4: 25 of the 100 candidates (every 4-th of the whole search, from number 3)')
		printf 'часть 3/4: 25 из 100 вариантов (каждый 4-й вариант всего перебора, начиная с номера 3)' ;;
	'this search state is of part 3/4, not of part '*': a part resumes only itself')
		l10n_w=${1#this search state is of part 3/4, not of part }
		printf 'состояние перебора сохранено для: часть 3/4, а запрошено: часть %s; часть продолжается только сама' \
		    "${l10n_w%%:*}" ;;
	'this search state is of the whole space (no --part), not of part 3/4')
		printf 'состояние перебора сохранено для: всё пространство (без --part), а запрошено: часть 3/4' ;;
	'this search cannot be resumed (no state is saved)')
		printf 'этот перебор нельзя будет продолжить (состояние не сохраняется)' ;;
	'--part needs the word list in a regular file')
		printf 'для --part словарь должен быть обычным файлом' ;;
	*) TEXTDOMAINDIR=$l10n_dir gettext -d cpkit -- "$1" ;;
	esac
}
