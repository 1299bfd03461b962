/*
 * gost-engine linked in (Windows): no engines or modules folder and no
 * openssl.cnf on the PC, so both of its front ends are registered by the
 * program itself, before container/ asks for them by name.
 *
 * - The engine: ENGINE_load_gost() adds "gost" to OpenSSL's engine list
 *   at startup (a constructor), where cpk_engine_init()'s ENGINE_by_id
 *   finds it.
 * - The provider: container/gost.c loads "gostprov" into a library
 *   context of its own, and builtin providers are per context. The link
 *   wraps OSSL_LIB_CTX_new (-Wl,--wrap, mk/windows.mk) so that every new
 *   context knows gostprov as a builtin. docs/WINDOWS.md proposes a
 *   platform hook in container/ to replace the wrap.
 */
#include <openssl/crypto.h>
#include <openssl/core.h>
#include <openssl/provider.h>

#include "gost_static.h"

OSSL_LIB_CTX	*__real_OSSL_LIB_CTX_new(void);
OSSL_LIB_CTX	*__wrap_OSSL_LIB_CTX_new(void);

OSSL_LIB_CTX *
__wrap_OSSL_LIB_CTX_new(void)
{
	OSSL_LIB_CTX *ctx = __real_OSSL_LIB_CTX_new();

	if (ctx != NULL &&
	    !OSSL_PROVIDER_add_builtin(ctx, "gostprov", GOST_provider_init)) {
		OSSL_LIB_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static void __attribute__((constructor))
register_engine(void)
{
	ENGINE_load_gost();
}
