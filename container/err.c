/* Names and texts of cpk_err, generated from the one list (STYLE.md §3). */
#include "container.h"

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

const char *
cpk_err_text(cpk_err e)
{
	switch (e) {
#define X(name, val, text) case name: return text;
	CPK_ERRORS(X)
#undef X
	}
	return "unknown error";
}
