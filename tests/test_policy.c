/* Rules that used to sit in the tools' mains (issue 17 §1), now in the
 * library where every front end gets the same answer: whether a key may
 * be exported, whether a certificate holds a key, whether two paths are
 * one file. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "container.h"
#include "recovery.h"
#include "helpers.h"

Test(policy, export_allowed_follows_the_header_flag)
{
	cpk_container *good = load_container("samples/flash/good2012.000");
	cpk_container *noexp = load_container("samples/flash/noexport.000");
	cpk_container *nohead = load_container("samples/flash/nohead.000");

	cr_assert_eq(cpk_export_allowed(good, 0), CPK_OK);
	cr_assert_eq(cpk_export_allowed(noexp, 0), CPK_E_NOT_EXPORTABLE);
	cr_assert_eq(cpk_export_allowed(noexp, 1), CPK_OK, "the owner's override");
	cr_assert_eq(cpk_export_allowed(nohead, 1), CPK_E_MISSING);
	cpk_container_free(&good);
	cpk_container_free(&noexp);
	cpk_container_free(&nohead);
}

Test(policy, certificate_must_hold_the_key)
{
	cpk_container *c = load_container("samples/flash/good2001.000");
	cpk_container *w = load_container("samples/flash/wrongcrt.000");
	unsigned char text[] = "not a certificate";
	cpk_blob junk = { text, sizeof(text) - 1, sizeof(text) - 1 };
	cpk_blob *own, *other;
	cpk_key *k = NULL;

	cr_assert_eq(cpk_container_unlock(c, "12345678", &k), CPK_OK);
	cr_assert_eq(cpk_blob_new(cpk_header_cert(cpk_container_header(c), 0)->ptr,
	    cpk_header_cert(cpk_container_header(c), 0)->len, &own), CPK_OK);
	/* wrongcrt.000 holds the certificate of another key */
	cr_assert_eq(cpk_blob_new(cpk_header_cert(cpk_container_header(w), 0)->ptr,
	    cpk_header_cert(cpk_container_header(w), 0)->len, &other), CPK_OK);
	cr_assert_eq(cpk_key_cert_match(k, own), CPK_OK);
	cr_assert_eq(cpk_key_cert_match(k, other), CPK_E_CERT_OTHER_KEY);
	cr_assert_eq(cpk_key_cert_match(k, &junk), CPK_E_CERT);
	cpk_blob_free(&own);
	cpk_blob_free(&other);
	cpk_key_free(&k);
	cpk_container_free(&c);
	cpk_container_free(&w);
}

Test(policy, same_file_by_device_and_inode)
{
	char a[512], b[512], l[512];
	FILE *f;

	snprintf(a, sizeof(a), "%s/a", temp_dir());
	snprintf(b, sizeof(b), "%s/b", temp_dir());
	snprintf(l, sizeof(l), "%s/hard", temp_dir());
	cr_assert_not_null(f = fopen(a, "w"));
	fclose(f);
	cr_assert_not_null(f = fopen(b, "w"));
	fclose(f);
	cr_assert_eq(link(a, l), 0);
	cr_assert_eq(cpk_path_same_file(a, a), 1);
	cr_assert_eq(cpk_path_same_file(a, l), 1, "a hard link is the file");
	cr_assert_eq(cpk_path_same_file(a, b), 0);
	cr_assert_eq(cpk_path_same_file(a, "/nonexistent/x"), 0);
	unlink(a);
	unlink(b);
	unlink(l);
}
