/* libFuzzer target for certificates from outside: the DER/PEM/PKCS#7
 * reader of --cert and the X.509 parser used on header [5]/[6]. */
#include <stddef.h>
#include <stdint.h>

#include "container.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cpk_cert_list l = { NULL, 0, NULL };
	cpk_cert_info ci;

	(void)cpk_cert_parse(data, size, &ci);
	if (cpk_certs_from_bytes(data, size, &l) == CPK_OK)
		for (size_t i = 0; i < l.n; i++)
			(void)cpk_cert_parse(l.v[i]->ptr, l.v[i]->len, &ci);
	cpk_certs_clear(&l);
	return 0;
}
