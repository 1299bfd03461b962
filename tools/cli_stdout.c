/* Output that could not be written is a failure, not a success: a report
 * sent to a full disk or a closed pipe must not leave exit status 0
 * behind. The check runs at exit, after the tool's last printf, because
 * stdio only reports a write error when the buffer is flushed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void
stdout_check(void)
{
	int failed = ferror(stdout);
	int err = errno;

	if (fflush(stdout) != 0) {
		failed = 1;
		err = errno;
	}
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		err = errno;
	}
	/* a reader that went away (cpkit-list | head) wanted no more */
	if (!failed || cli_reader_gone(err))
		return;
	cli_error(_("cannot write the output: %s"), strerror(err));
	fflush(stderr);
	_exit(CPK_EXIT_ENV);
}

void
cli_stdout_checked(void)
{
	atexit(stdout_check);
}
