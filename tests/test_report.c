/* The list renderers of diag/report.c, byte for byte (issue 17 §4: they
 * were covered only end to end): the text table, the CSV for programs,
 * the CSV for a spreadsheet and the JSON list, on two rows made by hand,
 * one of them with every hostile thing a medium can put in a name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../diag/internal.h"

static cpk_cert_info cert;

/* a plain row, and one whose name is a formula with a quote, a comma, a
 * newline and an escape sequence in it */
static void
rows(cpk_summary *s)
{
	memset(s, 0, 2 * sizeof(*s));
	memset(&cert, 0, sizeof(cert));
	snprintf(cert.subject, sizeof(cert.subject), "CN=\"Ivanov\", O=Roga");
	snprintf(cert.issuer, sizeof(cert.issuer), "CN=Test CA");
	snprintf(cert.serial, sizeof(cert.serial), "01ab");
	cert.not_before = 1700000000;	/* 2023-11-14 */
	cert.not_after = 1767225600;	/* 2026-01-01 */

	s[0].fqcn = "\\\\.\\FLASH\\good";
	s[0].location = "/media/usb/good.000";
	s[0].name = "good";
	s[0].media = "FLASH";
	s[0].algorithm = "gost2012-256";
	s[0].kind = "exchange";
	s[0].exportable = 1;
	s[0].has_cert = 1;
	s[0].cert = &cert;
	s[0].key_not_after = 1767225600;
	s[0].key_usage_end = 1767225600;
	s[0].key_usage_src = CPK_KEY_SRC_HEADER;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		s[0].present[i] = 1;
		s[0].size[i] = (uint64_t)(100 + i);
	}
	s[0].status = "ok";

	s[1].fqcn = "\\\\.\\REGISTRY\\=HYPERLINK(\"x\",1)\n\x1b[2J";
	s[1].location = "keys.reg:S-1-5-21-1-2-3-1001\\Keys\\a,b";
	s[1].name = "=HYPERLINK(\"x\",1)\n\x1b[2J";
	s[1].media = "REGISTRY";
	s[1].sid = "S-1-5-21-1-2-3-1001";
	s[1].user = "petrov";
	s[1].algorithm = NULL;
	s[1].kind = NULL;
	s[1].exportable = -1;
	s[1].present[CPK_F_HEADER] = 1;
	s[1].size[CPK_F_HEADER] = 7;
	s[1].status = "damaged";
	cr_assert_not_null(cpk_finding_add(&s[1].findings, "header-mac",
	    "header.key: hmacKeyContainerContent does not match"));
	cr_assert_not_null(cpk_finding_add(&s[1].findings, "file-missing",
	    "masks.key: missing"));
	cr_assert_not_null(cpk_finding_add(&s[1].findings, "file-missing",
	    "primary.key: missing"));
}

typedef void render_fn(FILE *, const cpk_summary *const *, size_t);

static char *
render(render_fn *fn)
{
	static cpk_summary s[2];
	const cpk_summary *v[2] = { &s[0], &s[1] };
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);

	cr_assert_not_null(o);
	rows(s);
	fn(o, v, 2);
	cr_assert_eq(fclose(o), 0);
	cpk_findings_clear(&s[1].findings);
	return buf;
}

static void
json_list(FILE *o, const cpk_summary *const *v, size_t n)
{
	cpk_render_list_head(o, CPK_LIST_JSON);
	for (size_t i = 0; i < n; i++)
		cpk_render_list_row(o, CPK_LIST_JSON, v[i], i);
	cpk_render_list_tail(o, CPK_LIST_JSON, n);
}

static void
assert_text(char *got, const char *want)
{
	cr_assert_str_eq(got, want);
	free(got);
}

/* names in their display form: the newline and the escape sequence of the
 * second FQCN shown as \x0a\x1b, never written raw to a terminal */
Test(report, text_table)
{
	assert_text(render(cpk_render_list_text),
	    "FQCN                             ALGORITHM     KIND      EXPORT "
	    "CERT UNTIL KEY UNTIL  FILES STATUS\n"
	    "\\\\.\\FLASH\\good                   gost2012-256  exchange  yes  "
	    "  2026-01-01 2026-01-01 6/6   ok\n"
	    "    /media/usb/good.000\n"
	    "    CN=\"Ivanov\", O=Roga (serial 01ab)\n"
	    "\\\\.\\REGISTRY\\=HYPERLINK(\"x\",1)\\x0a\\x1b[2J ?             ?  "
	    "       ?      -          -          1/6   damaged\n"
	    "    keys.reg:S-1-5-21-1-2-3-1001\\Keys\\a,b\n"
	    "    user petrov\n");
}

static const char csv_head[] = "fqcn,location,name,algorithm,kind,"
    "exportable,certificate_subject,certificate_serial,"
    "certificate_not_after,key_not_after,files,status,finding_ids,"
    "certificate_issuer,user,sid";

/* for programs: the bytes as they are, RFC 4180 quoting (a newline inside
 * a quoted field), each finding id once */
Test(report, csv_exact_bytes)
{
	char want[2048];

	snprintf(want, sizeof(want), "%s\n%s", csv_head,
	    "\"\\\\.\\FLASH\\good\",\"/media/usb/good.000\",\"good\","
	    "\"gost2012-256\",\"exchange\",\"yes\",\"CN=\"\"Ivanov\"\", O=Roga\","
	    "\"01ab\",\"2026-01-01T00:00:00Z\",\"2026-01-01T00:00:00Z\",\"6\","
	    "\"ok\",\"\",\"CN=Test CA\",\"\",\"\"\n"
	    "\"\\\\.\\REGISTRY\\=HYPERLINK(\"\"x\"\",1)\n\x1b[2J\","
	    "\"keys.reg:S-1-5-21-1-2-3-1001\\Keys\\a,b\","
	    "\"=HYPERLINK(\"\"x\"\",1)\n\x1b[2J\",\"\",\"\",\"?\",\"\",\"\",\"\","
	    "\"\",\"1\",\"damaged\",\"header-mac file-missing\",\"\",\"petrov\","
	    "\"S-1-5-21-1-2-3-1001\"\n");
	assert_text(render(cpk_render_list_csv), want);
}

/* for a spreadsheet: BOM, ';' and CR LF, the display form, and a cell
 * that would start a formula guarded by a quote mark */
Test(report, csv_for_a_spreadsheet)
{
	char head[512], want[2048];
	size_t k = 0;

	for (const char *c = csv_head; *c != '\0'; c++)
		head[k++] = *c == ',' ? ';' : *c;
	head[k] = '\0';
	snprintf(want, sizeof(want), "\xef\xbb\xbf%s\r\n%s", head,
	    "\"\\\\.\\FLASH\\good\";\"/media/usb/good.000\";\"good\";"
	    "\"gost2012-256\";\"exchange\";\"yes\";\"CN=\"\"Ivanov\"\", O=Roga\";"
	    "\"01ab\";\"2026-01-01T00:00:00Z\";\"2026-01-01T00:00:00Z\";\"6\";"
	    "\"ok\";\"\";\"CN=Test CA\";\"\";\"\"\r\n"
	    "\"\\\\.\\REGISTRY\\=HYPERLINK(\"\"x\"\",1)\\x0a\\x1b[2J\";"
	    "\"keys.reg:S-1-5-21-1-2-3-1001\\Keys\\a,b\";"
	    "\"'=HYPERLINK(\"\"x\"\",1)\\x0a\\x1b[2J\";\"\";\"\";\"?\";\"\";"
	    "\"\";\"\";\"\";\"1\";\"damaged\";\"header-mac file-missing\";\"\";"
	    "\"petrov\";\"S-1-5-21-1-2-3-1001\"\r\n");
	assert_text(render(cpk_render_list_csv_excel), want);
}

/* JSON (schema cpkit.list/1): control characters escaped, absent values
 * null; the findings' remedies are the catalogue's, so only their ids and
 * messages are pinned here */
Test(report, json_list)
{
	char *got = render(json_list);
	const char *row2 = "{\"schema\":\"cpkit.list/1\",\"fqcn\":"
	    "\"\\\\\\\\.\\\\REGISTRY\\\\=HYPERLINK(\\\"x\\\",1)\\u000a\\u001b[2J\","
	    "\"location\":\"keys.reg:S-1-5-21-1-2-3-1001\\\\Keys\\\\a,b\","
	    "\"name\":\"=HYPERLINK(\\\"x\\\",1)\\u000a\\u001b[2J\","
	    "\"media\":\"REGISTRY\",\"sid\":\"S-1-5-21-1-2-3-1001\","
	    "\"user\":\"petrov\",\"algorithm\":null,\"key_kind\":null,"
	    "\"exportable\":null,\"certificate\":null,\"secondary_key\":null,"
	    "\"key_not_after\":null,\"key_usage_end\":null,"
	    "\"key_usage_end_source\":null,\"files\":{\"header.key\":"
	    "{\"size\":7},\"name.key\":null,\"masks.key\":null,"
	    "\"primary.key\":null,\"masks2.key\":null,\"primary2.key\":null},"
	    "\"status\":\"damaged\",\"findings\":[{\"id\":\"header-mac\","
	    "\"severity\":\"error\",\"message\":\"header.key: "
	    "hmacKeyContainerContent does not match\",\"remedy\":";
	const char *row1 = "[\n{\"schema\":\"cpkit.list/1\",\"fqcn\":"
	    "\"\\\\\\\\.\\\\FLASH\\\\good\",\"location\":\"/media/usb/good.000\","
	    "\"name\":\"good\",\"media\":\"FLASH\",\"sid\":null,\"user\":null,"
	    "\"algorithm\":\"gost2012-256\",\"key_kind\":\"exchange\","
	    "\"exportable\":true,\"certificate\":{\"subject\":"
	    "\"CN=\\\"Ivanov\\\", O=Roga\",\"issuer\":\"CN=Test CA\","
	    "\"serial\":\"01ab\",\"not_before\":\"2023-11-14T22:13:20Z\","
	    "\"not_after\":\"2026-01-01T00:00:00Z\"},\"secondary_key\":null,"
	    "\"key_not_after\":\"2026-01-01T00:00:00Z\",\"key_usage_end\":"
	    "\"2026-01-01T00:00:00Z\",\"key_usage_end_source\":\"header\","
	    "\"files\":{\"header.key\":{\"size\":100},\"name.key\":{\"size\":101},"
	    "\"masks.key\":{\"size\":102},\"primary.key\":{\"size\":103},"
	    "\"masks2.key\":{\"size\":104},\"primary2.key\":{\"size\":105}},"
	    "\"status\":\"ok\",\"findings\":[]},\n";
	const char *end = "\"evidence\":null}]}\n]\n", *at;

	cr_assert_eq(strncmp(got, row1, strlen(row1)), 0, "%s", got);
	at = got + strlen(row1);
	cr_assert_eq(strncmp(at, row2, strlen(row2)), 0, "%s", at);
	cr_assert_not_null(strstr(at, "{\"id\":\"file-missing\",\"severity\":"
	    "\"error\",\"message\":\"masks.key: missing\",\"remedy\":"));
	cr_assert_not_null(strstr(at, "{\"id\":\"file-missing\",\"severity\":"
	    "\"error\",\"message\":\"primary.key: missing\",\"remedy\":"));
	cr_assert_str_eq(got + strlen(got) - strlen(end), end);
	free(got);
}
