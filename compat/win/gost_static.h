/* The entry points of gost-engine's static library (libgost.a, built by
 * scripts/win-deps.sh): its headers do not declare them. */
#ifndef CPKIT_COMPAT_GOST_STATIC_H
#define CPKIT_COMPAT_GOST_STATIC_H

#include <openssl/core.h>

void	ENGINE_load_gost(void);
int	GOST_provider_init(const OSSL_CORE_HANDLE *, const OSSL_DISPATCH *,
	    const OSSL_DISPATCH **, void **);

#endif
