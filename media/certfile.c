/* Certificates from the file system (issue 17 §1: the codec reads no
 * file): a certificate file for cpkit-fix --cert, and every certificate
 * in a file or a folder (a user's exported personal store), read in name
 * order so that what is found never depends on the directory order. The
 * bytes are decoded by container/cert.c and certs.c. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "media_int.h"

#define CERTS_DEPTH	4
#define CERTS_NAMES	100000	/* entries read from one folder */

cpk_err
cpk_cert_read_file(const char *path, cpk_blob **out)
{
	cpk_blob *raw = NULL;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_file_read_given(path, CPK_FILE_MAX, &raw)) != CPK_OK)
		return r;
	return cpk_cert_to_der(raw, out);
}

/* given: the path the user typed (a link there is followed); a file met
 * in a folder is read only if it is not a link */
static cpk_err
add_file(cpk_cert_list *l, const char *path, int given)
{
	cpk_blob *b = NULL;
	cpk_err r;

	if ((r = given ? cpk_file_read_given(path, 1024 * 1024, &b) :
	    cpk_file_read(path, 1024 * 1024, &b)) != CPK_OK)
		return r == CPK_E_NOMEM ? r : CPK_OK;	/* not for us */
	r = cpk_certs_add(l, b, path);
	cpk_blob_free(&b);
	return r;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir, sorted; *out NULL when it cannot be opened. */
static cpk_err
read_names(const char *dir, char ***out, size_t *n)
{
	struct dirent *de;
	char **v = NULL, **nv;
	DIR *d;
	cpk_err r = CPK_OK;

	*out = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return CPK_OK;
	while (*n < CERTS_NAMES && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((nv = realloc(v, (*n + 1) * sizeof(*v))) == NULL ||
		    (nv[*n] = strdup(de->d_name)) == NULL) {
			v = nv != NULL ? nv : v;
			r = CPK_E_NOMEM;
			break;
		}
		v = nv;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), by_name);
	*out = v;
	return r;
}

static cpk_err
add_dir(cpk_cert_list *l, const char *dir, unsigned depth)
{
	char path[PATH_MAX], **names = NULL;
	struct stat st;
	size_t n = 0;
	cpk_err r;

	if (depth > CERTS_DEPTH)
		return CPK_OK;
	r = read_names(dir, &names, &n);
	for (size_t i = 0; r == CPK_OK && i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >=
		    (int)sizeof(path) || lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			r = add_dir(l, path, depth + 1);
		else if (S_ISREG(st.st_mode))
			r = add_file(l, path, 0);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

cpk_err
cpk_certs_load(const char *path, cpk_cert_list *l)
{
	struct stat st;

	memset(l, 0, sizeof(*l));
	if (stat(path, &st) != 0)
		return CPK_E_NOT_FOUND;
	return S_ISDIR(st.st_mode) ? add_dir(l, path, 0) : add_file(l, path, 1);
}
