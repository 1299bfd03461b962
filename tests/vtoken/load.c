/* Container folders into container DFs: folder k (0-based) becomes DF
 * NN00 with NN = 0x0A + k, and each of the six files that exists becomes
 * EF NN01 ... NN06 (TOKENS.md §2.2), padded as a Rutoken pads them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vtoken.h"

static const char *const file_names[VT_KINDS] = {
	"masks.key", "primary.key", "header.key", "masks2.key",
	"primary2.key", "name.key"
};

/* The smallest EF for each kind (§2.2: 60-byte masks, 70-byte primary);
 * header.key gets 16 bytes of padding after any content. */
static const size_t min_size[VT_KINDS] = { 60, 70, 0, 60, 70, 64 };

/* Reads path into a fresh buffer of at most cap bytes: 1 read, 0 absent,
 * -1 error (reported). */
static int
slurp(const char *path, size_t cap, unsigned char **out, size_t *len)
{
	unsigned char *buf = NULL;
	size_t n = 0;
	ssize_t got;
	int fd, rc = -1;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY)) < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "vtoken: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(cap + 1)) == NULL)
		goto out;
	for (;;) {	/* a byte past cap tells "too big" from "just cap" */
		got = read(fd, buf + n, cap + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			fprintf(stderr, "vtoken: %s: %s\n", path,
			    strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > cap) {
			fprintf(stderr, "vtoken: %s: more than %zu bytes\n",
			    path, cap);
			goto out;
		}
	}
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 1;
out:
	if (buf != NULL) {
		explicit_bzero(buf, n);
		free(buf);
	}
	close(fd);
	return rc;
}

static int
load_file(vt_card *c, vt_node *df, uint16_t fid, enum vt_kind k,
    const char *dir, const vt_config *cfg)
{
	char path[PATH_MAX];
	unsigned char *buf = NULL;
	size_t len = 0, size;
	vt_node *ef;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file_names[k])
	    >= sizeof(path)) {
		fprintf(stderr, "vtoken: %s: path too long\n", dir);
		return -1;
	}
	if ((rc = slurp(path, VT_MAX_EF - 16, &buf, &len)) <= 0)
		return rc;
	size = k == VT_HEADER ? len + 16 : len > min_size[k] ? len :
	    min_size[k];
	rc = -1;
	if ((ef = vt_fs_add(c, df, fid, 0)) == NULL ||
	    (ef->data = malloc(size)) == NULL) {
		fprintf(stderr, "vtoken: %s: out of nodes or memory\n", path);
		goto out;
	}
	memcpy(ef->data, buf, len);
	memset(ef->data + len, cfg->pad, size - len);
	ef->size = size;
	ef->read_cond = cfg->cond[k];
	rc = 0;
out:
	explicit_bzero(buf, len);	/* primary.key is a secret */
	free(buf);
	return rc;
}

int
vt_load_container(vt_card *c, vt_node *parent, unsigned index,
    const char *dir, const vt_config *cfg)
{
	uint16_t nn = (uint16_t)((0x0Au + (index & 0x0F)) << 8);
	struct stat st;
	vt_node *df;
	int k;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "vtoken: %s: not a folder\n", dir);
		return -1;
	}
	if (parent == NULL || index >= VT_MAX_CONTAINERS ||
	    (df = vt_fs_add(c, parent, nn, 1)) == NULL) {
		fprintf(stderr, "vtoken: %s: nowhere to put it\n", dir);
		return -1;
	}
	/* A folder without any of the six files still makes an empty DF. */
	for (k = 0; k < VT_KINDS; k++)
		if (load_file(c, df, (uint16_t)(nn | (k + 1)), (enum vt_kind)k,
		    dir, cfg) != 0)
			return -1;
	return 0;
}
