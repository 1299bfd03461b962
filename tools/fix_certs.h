/* cpkit-fix: printing the certificate choice (fix_certs.c). */
#ifndef CPKIT_FIX_CERTS_H
#define CPKIT_FIX_CERTS_H

#include <time.h>

#include "recovery.h"

/* Every candidate of pk (NULL: none considered) with the file it came
 * from in l, the chosen one marked, and the rule that decided. */
void	fix_print_pick(const cpk_cert_list *l, const cpk_cert_pick *pk,
	    int sec, time_t now);

#endif
