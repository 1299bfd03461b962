/* Names and texts of cpk_err, generated from the one list (STYLE.md §3). */
#include "container.h"
#include "i18n.h"

const char *
cpk_err_name(cpk_err e)
{
	switch (e) {
#define X(name, val, text) case name: return #name;
	CPK_ERRORS(X)
#undef X
	}
	return "CPK_E_UNKNOWN";
}

/* In the user's language: the texts of container.h's list are in
 * po/cpkit.pot (xgettext reads X's third argument); cpk_err_name() is the
 * stable name for programs. */
const char *
cpk_err_text(cpk_err e)
{
	switch (e) {
#define X(name, val, text) case name: return _(text);
	CPK_ERRORS(X)
#undef X
	}
	return _("unknown error");
}
