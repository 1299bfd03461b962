/* Failures the library must not swallow (issue 17 §3), made on purpose:
 * this binary is linked with --wrap for realloc, strdup and
 * cpk_gost_mac4 (Makefile), so a test can make the Nth call fail inside
 * the library and check that the failure reaches the caller instead of
 * passing for a clean result. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../diag/internal.h"
#include "helpers.h"

#define SAMPLE	"samples/flash/5f3a9c1d.000"
#define LATE	2398377600	/* 2046-01-01 */

/* calls to let through before failing; -1: never fail */
static long fail_realloc = -1, fail_strdup = -1, fail_mac = -1;

void	*__real_realloc(void *, size_t);
void	*__wrap_realloc(void *, size_t);
char	*__real_strdup(const char *);
char	*__wrap_strdup(const char *);
cpk_err	 __real_cpk_gost_mac4(enum cpk_sbox, const unsigned char *,
	    const unsigned char *, size_t, unsigned char *);
cpk_err	 __wrap_cpk_gost_mac4(enum cpk_sbox, const unsigned char *,
	    const unsigned char *, size_t, unsigned char *);

void *
__wrap_realloc(void *p, size_t n)
{
	if (fail_realloc >= 0 && fail_realloc-- == 0)
		return NULL;
	return __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	if (fail_strdup >= 0 && fail_strdup-- == 0)
		return NULL;
	return __real_strdup(s);
}

cpk_err
__wrap_cpk_gost_mac4(enum cpk_sbox sbox, const unsigned char *key,
    const unsigned char *in, size_t len, unsigned char *mac)
{
	if (fail_mac >= 0 && fail_mac-- == 0)
		return CPK_E_CRYPTO;
	return __real_cpk_gost_mac4(sbox, key, in, len, mac);
}

/* the error each of these returns on its next call; CPK_OK: none */
static cpk_err err_masks_mac, err_pw_check, err_sign;

cpk_err	 __real_cpk_masks_check_mac(const cpk_masks *, enum cpk_profile);
cpk_err	 __wrap_cpk_masks_check_mac(const cpk_masks *, enum cpk_profile);
cpk_err	 __real_cpk_password_check(const cpk_container *, const char *,
	    enum cpk_pwenc);
cpk_err	 __wrap_cpk_password_check(const cpk_container *, const char *,
	    enum cpk_pwenc);
cpk_err	 __real_cpk_key_sign_verify(const cpk_key *, const unsigned char *,
	    size_t);
cpk_err	 __wrap_cpk_key_sign_verify(const cpk_key *, const unsigned char *,
	    size_t);

cpk_err
__wrap_cpk_masks_check_mac(const cpk_masks *m, enum cpk_profile p)
{
	return err_masks_mac != CPK_OK ? err_masks_mac :
	    __real_cpk_masks_check_mac(m, p);
}

cpk_err
__wrap_cpk_password_check(const cpk_container *c, const char *pw,
    enum cpk_pwenc e)
{
	return err_pw_check != CPK_OK ? err_pw_check :
	    __real_cpk_password_check(c, pw, e);
}

cpk_err
__wrap_cpk_key_sign_verify(const cpk_key *k, const unsigned char *pub,
    size_t n)
{
	return err_sign != CPK_OK ? err_sign :
	    __real_cpk_key_sign_verify(k, pub, n);
}

Test(faults, finding_lost_to_realloc_is_counted)
{
	cpk_findings l = { 0 };

	cr_assert_not_null(cpk_finding_add(&l, "cert-expired", "one"));
	cr_assert_eq(cpk_findings_state(&l), CPK_OK);
	fail_realloc = 0;		/* the list must grow for the second */
	cr_assert_null(cpk_finding_add(&l, "header-mac", "two"));
	cr_assert_eq(l.n, 1);
	cr_assert_eq(l.lost, 1);
	cr_assert_eq(cpk_findings_state(&l), CPK_E_NOMEM);
	/* the lost one may have been an error: never read as less */
	cr_assert_eq(cpk_findings_worst(&l), CPK_SEV_ERROR);
	cpk_findings_clear(&l);
}

Test(faults, finding_lost_to_strdup_is_counted)
{
	cpk_findings l = { 0 }, copy;

	fail_strdup = 0;
	cr_assert_null(cpk_finding_add(&l, "header-mac", "message"));
	cr_assert_eq(l.n, 0);
	cr_assert_eq(cpk_findings_state(&l), CPK_E_NOMEM);
	cr_assert_eq(cpk_findings_copy(&l, &copy), CPK_OK);
	cr_assert_eq(copy.lost, 1, "a copy keeps the loss");
	cpk_findings_clear(&copy);
	cpk_findings_clear(&l);
}

/* The whole offline check: a finding it could not store makes it fail
 * with CPK_E_NOMEM, where it used to return CPK_OK with a short list. */
Test(faults, offline_check_reports_lost_findings)
{
	cpk_files *f = load_files(SAMPLE);
	cpk_container *c = load_container(SAMPLE);
	cpk_findings l = { 0 };

	cr_assert_not_null(f);
	cr_assert_not_null(c);
	/* in 2046 its certificate has expired: one finding at least */
	cr_assert_eq(cpk_check_offline(f, c, LATE, &l), CPK_OK);
	cr_assert_eq(l.lost, 0);
	cr_assert(cpk_findings_has(&l, "cert-expired"));
	cpk_findings_clear(&l);
	fail_realloc = 0;		/* the empty list's first growth */
	cr_assert_eq(cpk_check_offline(f, c, LATE, &l), CPK_E_NOMEM);
	cr_assert_geq(l.lost, 1);
	cpk_findings_clear(&l);
	cpk_container_free(&c);
	cpk_files_free(&f);
}

/* A MAC the engine could not compute is neither "fine" nor "damaged":
 * the check says it could not be done. */
Test(faults, header_mac_engine_failure_is_not_a_good_mac)
{
	cpk_files *f = load_files(SAMPLE);
	cpk_container *c = load_container(SAMPLE);
	cpk_findings l = { 0 };

	cr_assert_not_null(c);
	fail_mac = 0;
	cr_assert_eq(cpk_check_offline(f, c, 1748736000, &l), CPK_OK);
	cr_assert(cpk_findings_has(&l, "header-mac-unchecked"));
	cr_assert_not(cpk_findings_has(&l, "header-mac"));
	cr_assert_str_eq(cpk_status(&l), "warning");
	cpk_findings_clear(&l);
	/* the same container with a working engine: no such finding */
	cr_assert_eq(cpk_check_offline(f, c, 1748736000, &l), CPK_OK);
	cr_assert_not(cpk_findings_has(&l, "header-mac-unchecked"));
	cpk_findings_clear(&l);
	cpk_container_free(&c);
	cpk_files_free(&f);
}

/* The masks MAC: an engine failure is "unchecked", a lack of memory is no
 * verdict at all; neither passes for a good MAC. */
Test(faults, masks_mac_failure_is_not_a_good_mac)
{
	cpk_files *f = load_files(SAMPLE);
	cpk_container *c = load_container(SAMPLE);
	cpk_findings l = { 0 };

	err_masks_mac = CPK_E_CRYPTO;
	cr_assert_eq(cpk_check_offline(f, c, 1748736000, &l), CPK_OK);
	cr_assert(cpk_findings_has(&l, "masks-mac-unchecked"));
	cr_assert_not(cpk_findings_has(&l, "masks-mac"));
	cpk_findings_clear(&l);
	err_masks_mac = CPK_E_NOMEM;
	cr_assert_eq(cpk_check_offline(f, c, 1748736000, &l), CPK_E_NOMEM);
	cr_assert_not(cpk_findings_has(&l, "masks-mac"));
	err_masks_mac = CPK_OK;
	cpk_findings_clear(&l);
	cpk_container_free(&c);
	cpk_files_free(&f);
}

/* A password check or a test signature that ran out of memory says
 * nothing about the password or the key: the check fails instead of
 * calling the password wrong or the key bad. */
Test(faults, password_checks_out_of_memory_are_no_verdict)
{
	cpk_container *c = load_container("samples/flash/good2001.000");
	cpk_findings l = { 0 };

	cr_assert_eq(cpk_check_password(c, "12345678", &l), CPK_OK);
	cr_assert(cpk_findings_has(&l, "key-ok"));
	cpk_findings_clear(&l);
	err_pw_check = CPK_E_NOMEM;
	cr_assert_eq(cpk_check_password(c, "12345678", &l), CPK_E_NOMEM);
	cr_assert_not(cpk_findings_has(&l, "password-wrong"));
	err_pw_check = CPK_OK;
	cpk_findings_clear(&l);
	err_sign = CPK_E_NOMEM;
	cr_assert_eq(cpk_check_password(c, "12345678", &l), CPK_E_NOMEM);
	cr_assert_not(cpk_findings_has(&l, "sign-verify-failed"));
	cr_assert_not(cpk_findings_has(&l, "key-ok"));
	err_sign = CPK_OK;
	cpk_findings_clear(&l);
	cpk_container_free(&c);
}
