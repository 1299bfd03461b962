/*
 * Message translation (gettext) for the library and the tools alike: a
 * build-time header, not installed with the public ones. Every lookup
 * names the "cpkit" domain (dgettext), so the library translates its
 * messages inside any program, whatever that program's textdomain().
 * The tools bind the domain and set the locale in cli_init(); without a
 * catalog, or in the C locale, every message is its English msgid.
 * po/cpkit.pot is made from these markers by `make pot`.
 */
#ifndef CPKIT_I18N_H
#define CPKIT_I18N_H

#include <libintl.h>

#define CPK_TEXTDOMAIN	"cpkit"

/* The archetype of __attribute__((format)) for cpkit's printf-like
 * functions, whose formats (%zu...) go to a C99 printf: glibc's, or on
 * Windows libintl's or mingw-w64's. There GCC takes plain "printf" for
 * msvcrt's, which has no %zu, so compat/win/proc.h names gnu_printf;
 * clang (the fuzzers) knows no gnu_printf, hence a macro. */
#ifndef CPK_PRINTF
#define CPK_PRINTF	printf
#endif

/* _("text"): the translation now. N_("text"): only marked for xgettext,
 * for tables translated where they are shown. P_(one, many, n): the
 * plural form for n (Russian has three). C_("context", "text"): a short
 * word whose translation depends on where it stands ("ok" as a status,
 * "main" as a copy). */
#define _(s)		dgettext(CPK_TEXTDOMAIN, s)
#define N_(s)		s
#define P_(s, p, n)	dngettext(CPK_TEXTDOMAIN, s, p, (unsigned long)(n))
#define C_(ctx, s)	cpk_pgettext(ctx "\004" s, s)

/* The catalog keys a msgctxt entry as "context\004text"; gettext hands
 * back its argument when there is no translation, and then the bare
 * English text is the answer. */
__attribute__((format_arg(2))) static inline const char *
cpk_pgettext(const char *ctx_msgid, const char *msgid)
{
	const char *t = dgettext(CPK_TEXTDOMAIN, ctx_msgid);

	return t == ctx_msgid ? msgid : t;
}

#endif
