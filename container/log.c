/* The library's only way to say something: a callback the tool sets. */
#include <stdarg.h>
#include <stdio.h>

#include <openssl/err.h>

#include "internal.h"

static cpk_log_fn log_fn;

void
cpk_log_set(cpk_log_fn fn)
{
	log_fn = fn;
}

void
cpk_log(int level, const char *func, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (log_fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_fn(level, func, msg);
}

cpk_err
cpk_ossl_err(const char *func)
{
	unsigned long e;
	char buf[256];

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		cpk_log(CPK_LOG_ERR, func, "openssl: %s", buf);
	}
	return CPK_E_CRYPTO;
}
