/* The class column of container.h's error list (issue 18 point 3): each
 * code's class, so its exit status in every tool (STYLE.md §11), is what
 * the list says, and the codes that used to be told apart by numeric
 * ranges keep the status they had. */
#include <stdlib.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "container.h"
#include "media.h"

Test(errclass, usage)
{
	cr_assert_eq(cpk_err_class(CPK_E_ARG), CPK_ERRCLASS_USAGE);
	cr_assert_eq(cpk_err_class(CPK_E_NO_PASSWORD), CPK_ERRCLASS_USAGE);
	cr_assert_eq(cpk_err_class(CPK_E_NO_PIN), CPK_ERRCLASS_USAGE);
}

Test(errclass, environment)
{
	static const cpk_err env[] = {
		CPK_E_NOMEM, CPK_E_IO, CPK_E_INTERNAL, CPK_E_CRYPTO,
		CPK_E_NO_GOST, CPK_E_NO_SPACE, CPK_E_NO_PCSCD,
		CPK_E_NO_READER, CPK_E_NO_CARD, CPK_E_CARD_REMOVED,
		CPK_E_CARD_BUSY, CPK_E_PCSC
	};

	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++)
		cr_assert_eq(cpk_err_class(env[i]), CPK_ERRCLASS_ENV, "%s",
		    cpk_err_name(env[i]));
}

Test(errclass, data)
{
	static const cpk_err data[] = {
		CPK_E_NOT_FOUND, CPK_E_TRUNCATED, CPK_E_FORMAT, CPK_E_MAC,
		CPK_E_MISSING, CPK_E_BAD_PASSWORD, CPK_E_CARD,
		CPK_E_PIN_WRONG, CPK_E_PIN_BLOCKED, CPK_E_DENIED
	};

	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		cr_assert_eq(cpk_err_class(data[i]), CPK_ERRCLASS_DATA, "%s",
		    cpk_err_name(data[i]));
}

Test(errclass, ok_and_unknown)
{
	cr_assert_eq(cpk_err_class(CPK_OK), CPK_ERRCLASS_OK);
	/* a value outside the list is the media's, not the machine's */
	cr_assert_eq(cpk_err_class((cpk_err)-999), CPK_ERRCLASS_DATA);
}

/* issue 17 §3: the specific codes that replaced a tool's reading of a
 * generic one keep the exit status the tools gave them */
Test(errclass, specific_codes)
{
	static const cpk_err usage[] = {
		CPK_E_NO_FOLDER, CPK_E_BAD_SID, CPK_E_BAD_NAME,
		CPK_E_SEVERAL_TOKENS, CPK_E_READER_AMBIGUOUS,
		CPK_E_NOT_CONTAINER, CPK_E_NO_REGISTRY
	};

	for (size_t i = 0; i < sizeof(usage) / sizeof(usage[0]); i++)
		cr_assert_eq(cpk_err_class(usage[i]), CPK_ERRCLASS_USAGE, "%s",
		    cpk_err_name(usage[i]));
	cr_assert_eq(cpk_err_class(CPK_E_NO_SUCH_READER), CPK_ERRCLASS_ENV);
	cr_assert_str_eq(cpk_err_text(CPK_E_SEVERAL_TOKENS), "several "
	    "readers hold a token; name one, e.g. pcsc:\"<reader name>\" "
	    "(cpkit-token list shows them)");
	cr_assert_str_eq(cpk_err_text(CPK_E_BAD_SID),
	    "not a user SID (expected S-1-5-21-...)");
	cr_assert_str_eq(cpk_err_text(CPK_E_NOT_CONTAINER),
	    "not a key container");
	cr_assert_str_eq(cpk_err_name(CPK_E_READER_AMBIGUOUS),
	    "CPK_E_READER_AMBIGUOUS");
}

/* a file that is neither a medium nor one of a container folder's six is
 * "not a key container" from the media layer itself, no longer a generic
 * "malformed structure" that each tool had to reword */
Test(errclass, not_a_container_from_media)
{
	char path[] = "/tmp/cpkit-errclass-XXXXXX";
	cpk_media *m = NULL;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "hello, no container here", 24), 24);
	close(fd);
	cr_assert_eq(cpk_media_open(path, &m), CPK_E_NOT_CONTAINER);
	cr_assert_null(m);
	unlink(path);
}

/* registry: outside Windows (media/reg_live_none.c): a refusal naming
 * what to use instead, not an empty media */
Test(errclass, no_live_registry)
{
	cpk_media *m = NULL;

	cr_assert_eq(cpk_media_open("registry:", &m), CPK_E_NO_REGISTRY);
	cr_assert_null(m);
	cr_assert_eq(cpk_media_open("REGISTRY:HKLM\\SOFTWARE", &m),
	    CPK_E_NO_REGISTRY);
	cr_assert_null(m);
	cr_assert_str_eq(cpk_err_text(CPK_E_NO_REGISTRY), "the live registry "
	    "exists on Windows only; use a .reg export (reg export) or an "
	    "offline hive");
}
