/* Writes N containers for the report's layout test (tests/e2e_report.sh,
 * issue 18): each certificate's subject is 300 characters, Cyrillic words
 * and one long unbroken run, and the certificates' and keys' ends are
 * spread over months around 2025-06-01 (CPKIT_NOW of the tests), so the
 * report has expired, soon and later dates (expired ones are warnings:
 * blocks with the long subject). The password of each is 12345678. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include "container.h"
#include "genkey.h"
#include "certissue.h"

#define DAY	86400L

/* The certificate with its subject's CN replaced by cn. OpenSSL's own
 * builder holds a CN to 64 characters (X.520's bound), which real CAs
 * exceed with long organisation names; the raw UTF8String has no bound.
 * The CA signature no longer covers the new subject: cpkit never checks
 * it (only the key match), and the layout is what this is for. */
static cpk_blob *
long_subject(const cpk_blob *der, const char *cn)
{
	const unsigned char *p = der->ptr;
	unsigned char *q = NULL;
	X509 *x = d2i_X509(NULL, &p, (long)der->len);
	X509_NAME *n = X509_NAME_new();
	cpk_blob *out = NULL;
	int len;

	if (x == NULL || n == NULL || !X509_NAME_add_entry_by_txt(n, "O",
	    MBSTRING_UTF8, (const unsigned char *)"cpkit wide", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(n, NID_commonName, V_ASN1_UTF8STRING,
	    (const unsigned char *)cn, (int)strlen(cn), -1, 0) ||
	    !X509_set_subject_name(x, n) ||
	    /* the parsed certificate keeps its encoding: make it anew */
	    i2d_re_X509_tbs(x, NULL) <= 0 || (len = i2d_X509(x, &q)) <= 0 ||
	    cpk_blob_new(q, (size_t)len, &out) != CPK_OK)
		gen_die("long subject", CPK_E_CRYPTO);
	OPENSSL_free(q);
	X509_NAME_free(n);
	X509_free(x);
	return out;
}

int
main(int argc, char **argv)
{
	cpk_key *ca, *k;
	cpk_blob *cert, *wide;
	cpk_files *f;
	char cn[700], dir[1024];
	time_t base, end;
	long n;
	cpk_err r;

	gen_prog = "gen_wide";
	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: gen_wide DIR N\n");
		return 2;
	}
	mkdir(argv[1], 0700);
	if ((r = cpk_time_parse_iso("2024-01-01", &base)) != CPK_OK)
		gen_die("base", r);
	ca = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1");
	for (long i = 0; i < n; i++) {
		/* 300 characters: a long name a CA may well write, and a
		 * run without a space, which only overflow-wrap breaks */
		int chars = 0, len = snprintf(cn, sizeof(cn), "Общество с "
		    "ограниченной ответственностью Очень Длинное Название "
		    "%05ld ", i);
		for (int j = 0; j < len; j++)	/* characters, not bytes */
			chars += ((unsigned char)cn[j] & 0xc0) != 0x80;
		for (; chars < 300 && (size_t)len + 2 < sizeof(cn); chars++)
			cn[len++] = (char)('A' + (chars + i) % 26);
		cn[len] = '\0';
		k = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
		    "1.2.643.7.1.1.1.1");
		/* ends every 11 days from 2024-01-01: about 17 months of
		 * expired ones before 2025-06-01 and the rest after; the
		 * key's (15 months from the start, FORMATS.md §6.5) about
		 * eight months after its certificate's */
		end = base + (time_t)(i * 11 % 1500) * DAY;
		if ((r = cpk_cert_issue_pkup(k, ca, "wide", "cpkit wide CA",
		    end - 200 * DAY, end, 0, 0, i + 1, &cert)) != CPK_OK)
			gen_die("certificate", r);
		wide = long_subject(cert, cn);
		{
			cpk_new_container nc = { "", k, wide, "12345678", 1,
			    0, base + (time_t)(i * 7 % 1200 + 30) * DAY, 1,
			    NULL, NULL };
			snprintf(dir, sizeof(dir), "wide-%05ld", i);
			nc.name = dir;
			if ((r = cpk_container_create(&nc, &f)) != CPK_OK)
				gen_die("container", r);
		}
		snprintf(dir, sizeof(dir), "%s/wide%05ld.000", argv[1], i);
		if ((r = cpk_files_write_dir(f, dir)) != CPK_OK)
			gen_die(dir, r);
		cpk_files_free(&f);
		cpk_blob_free(&cert);
		cpk_blob_free(&wide);
		cpk_key_free(&k);
	}
	cpk_key_free(&ca);
	return 0;
}
