/* Issue 15, points 9-11 in the library: names compared as CSP compares
 * them, one container picked from a scan, a location as cpkit-list
 * prints it opened as that one container, and an imported container's
 * default name taken from the certificate's CN as it is. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "diag.h"
#include "helpers.h"
#include "certissue.h"
#include "recovery.h"

#define REG	"samples/registry/export-5.00.reg"
#define HIVE	"samples/registry/SOFTWARE"
#define USERS	"HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Crypto Pro\\" \
		"Settings\\Users\\S-1-5-21-1111111111-2222222222-3333333333-1001"

Test(address, names_compare_as_csp)
{
	cr_assert(cpk_name_equal("good2001", "GOOD2001"));
	cr_assert(cpk_name_equal("\\\\.\\FLASH\\g2001", "\\\\.\\flash\\G2001"));
	cr_assert(cpk_name_equal("Иванов ИИ 2045", "иВАНОВ ии 2045"));
	cr_assert(cpk_name_equal("Ёлка", "ёЛКА"));
	cr_assert_not(cpk_name_equal("good2001", "good2001 "));
	cr_assert_not(cpk_name_equal("good2001", "good2012"));
	cr_assert_not(cpk_name_equal("Иванов", "Иванова"));
	cr_assert(cpk_name_equal("", ""));
	/* a byte that is not UTF-8 stands for itself */
	cr_assert(cpk_name_equal("a\xff", "A\xff"));
	cr_assert_not(cpk_name_equal("a\xff", "a\xfe"));
}

static size_t
count(const char *path)
{
	cpk_scan s;
	size_t n;

	memset(&s, 0, sizeof(s));
	if (cpk_scan_add(&s, path, 0) != CPK_OK)
		return (size_t)-1;
	n = s.n;
	cpk_scan_clear(&s);
	return n;
}

Test(address, reg_location_is_one_container)
{
	cpk_scan s;

	memset(&s, 0, sizeof(s));
	cr_assert_eq(count(REG), 2);
	cr_assert_eq(cpk_scan_add(&s, REG ":" USERS "\\Keys\\good2012-256", 0),
	    CPK_OK);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].ref.name, "good2012-256");
	cr_assert_str_eq(s.v[0].ref.location, REG ":" USERS
	    "\\Keys\\good2012-256");
	cpk_scan_clear(&s);
	/* key paths compare regardless of case */
	cr_assert_eq(count(REG ":" USERS "\\KEYS\\GOOD2012-256"), 1);
	/* a key the file does not hold, a file that does not exist */
	cr_assert_eq(count(REG ":" USERS "\\Keys\\nope"), (size_t)-1);
	cr_assert_eq(count("samples/registry/none.reg:HKEY_X\\a"),
	    (size_t)-1);
	/* a colon after a folder is no location */
	cr_assert_eq(count("samples/flash:good2001.000"), (size_t)-1);
}

Test(address, hive_location_is_one_container)
{
	cpk_scan s;

	memset(&s, 0, sizeof(s));
	cr_assert_eq(count(HIVE), 3);
	cr_assert_eq(cpk_scan_add(&s, HIVE ":WOW6432Node\\Crypto Pro\\Settings"
	    "\\Keys\\Иванов ИИ 2045", 0), CPK_OK);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].ref.name, "Иванов ИИ 2045");
	cr_assert_eq(s.v[0].ref.scope, CPK_SCOPE_MACHINE);
	cpk_scan_clear(&s);
}

Test(address, pick_by_name_fqcn_location)
{
	cpk_scan s;
	size_t n;

	memset(&s, 0, sizeof(s));
	cr_assert_eq(cpk_scan_add(&s, "samples/registry", 0), CPK_OK);
	cr_assert_eq(s.n, 6);
	/* nothing of that name: the scan is left as it was */
	cr_assert_eq(cpk_scan_pick(&s, "nope", &n), CPK_E_NOT_FOUND);
	cr_assert_eq(n, 0);
	cr_assert_eq(s.n, 6);
	/* two of that name (the hive's and the .reg's): both kept */
	cr_assert_eq(cpk_scan_pick(&s, "GOOD2012-256", &n), CPK_E_EXISTS);
	cr_assert_eq(n, 2);
	cr_assert_eq(s.n, 2);
	/* then one by its location */
	cr_assert_eq(cpk_scan_pick(&s, s.v[1].ref.location, &n), CPK_OK);
	cr_assert_eq(s.n, 1);
	cpk_scan_clear(&s);

	memset(&s, 0, sizeof(s));
	cr_assert_eq(cpk_scan_add(&s, REG, 0), CPK_OK);
	cr_assert_eq(cpk_scan_pick(&s, "\\\\.\\registry\\иванов ии 2045", &n),
	    CPK_OK);
	cr_assert_str_eq(s.v[0].ref.name, "Иванов ИИ 2045");
	cpk_scan_clear(&s);
}

Test(address, duplicate_sample)
{
	cpk_scan s;

	memset(&s, 0, sizeof(s));
	cr_assert_eq(cpk_scan_add(&s, "samples/duplicate", 0), CPK_OK);
	cr_assert_eq(s.n, 2);
	for (size_t i = 0; i < 2; i++) {
		cr_assert(cpk_findings_has(&s.v[i].summary.findings,
		    "duplicate-name"));
		cr_assert_str_eq(s.v[i].summary.status, "warning");
	}
	cpk_scan_clear(&s);
	/* one container alone is no duplicate */
	memset(&s, 0, sizeof(s));
	cr_assert_eq(cpk_scan_add(&s, "samples/duplicate/dup.000", 0), CPK_OK);
	cr_assert_not(cpk_findings_has(&s.v[0].summary.findings,
	    "duplicate-name"));
	cpk_scan_clear(&s);
}

static void
name_of(const char *cn, const char *want)
{
	const cpk_curve *c = cpk_curve_by_oid("1.2.643.2.2.36.0");
	unsigned char d[32];
	cpk_key *k = NULL;
	cpk_blob *der = NULL;
	char name[512];

	for (size_t i = 0; i < 32; i++)
		d[i] = (unsigned char)(i * 5 + 1);
	cr_assert_eq(cpk_key_from_scalar(CPK_P_2012_256, c,
	    "1.2.643.7.1.1.1.1", d, 32, &k), CPK_OK);
	cr_assert_eq(cpk_cert_issue(k, k, cn, "CA", 0, 2000000000, 1, &der),
	    CPK_OK);
	cr_assert_eq(cpk_import_name(der, name, sizeof(name)), CPK_OK);
	cr_assert_str_eq(name, want, "CN \"%s\": got \"%s\"", cn, name);
	cr_assert(cpk_reg_name_ok(name));
	cpk_blob_free(&der);
	cpk_key_free(&k);
}

Test(address, import_name)
{
	char name[512], longcn[80];

	cr_assert_eq(cpk_gost_init(), CPK_OK);
	name_of("ООО \"Ромашка\"", "ООО \"Ромашка\"");
	name_of("a, b + c; <d>", "a, b + c; <d>");
	name_of("x\\y]z", "x_y_z");
	name_of("  blanks  ", "blanks");
	name_of("tab\there", "tab_here");
	name_of("日本", "__");			/* no CP1251 form */
	/* OpenSSL writes no CN over 64 characters (ub-common-name), so
	 * name.key's 127 is not reached here */
	memset(longcn, 'n', 64);
	longcn[64] = '\0';
	name_of(longcn, longcn);
	/* no certificate: the fallback */
	cr_assert_eq(cpk_import_name(NULL, name, sizeof(name)), CPK_OK);
	cr_assert_str_eq(name, "imported");
	cr_assert_eq(cpk_import_name(NULL, name, 16), CPK_E_ARG);
}
