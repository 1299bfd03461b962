/* Names and texts of cpk_err, generated from the one list (STYLE.md §3). */
#include "container.h"
#include "i18n.h"

const char *
cpk_err_name(cpk_err e)
{
	switch (e) {
#define X(name, val, class, text) case name: return #name;
	CPK_ERRORS(X)
#undef X
	}
	return "CPK_E_UNKNOWN";
}

/* In the user's language: the texts of container.h's list are in
 * po/cpkit.pot (xgettext reads X's fourth argument); cpk_err_name() is the
 * stable name for programs. */
const char *
cpk_err_text(cpk_err e)
{
	switch (e) {
#define X(name, val, class, text) case name: return _(text);
	CPK_ERRORS(X)
#undef X
	}
	return _("unknown error");
}

/* Generated from the class column, so that a new code gets its exit
 * status where it is declared, not from a numeric range elsewhere. */
enum cpk_err_class
cpk_err_class(cpk_err e)
{
	switch (e) {
#define X(name, val, class, text) case name: return CPK_ERRCLASS_##class;
	CPK_ERRORS(X)
#undef X
	}
	return CPK_ERRCLASS_DATA;
}
