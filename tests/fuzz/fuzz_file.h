/* For targets whose parser opens a path (hivex, image readers): the input
 * written to a fresh temporary file. */
#ifndef CPKIT_FUZZ_FILE_H
#define CPKIT_FUZZ_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* tmpl is a mkstemp() template, filled in; 0 on success, else nothing is
 * left behind. The caller unlinks tmpl when done. */
static int
fuzz_to_file(char *tmpl, const void *data, size_t size)
{
	FILE *fp;
	int fd, bad;

	if ((fd = mkstemp(tmpl)) < 0)
		return -1;
	if ((fp = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(tmpl);
		return -1;
	}
	bad = fwrite(data, 1, size, fp) != size;
	if (fclose(fp) != 0 || bad) {
		unlink(tmpl);
		return -1;
	}
	return 0;
}

#endif
