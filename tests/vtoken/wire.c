/* vpcd's wire protocol (TOKENS.md §11.2): the card connects to vpcd on
 * 127.0.0.1, and every message in both directions is a 2-byte big-endian
 * length, then that many bytes. vpcd speaks first; the card only answers. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vtoken.h"

/* One attempt; -1 when vpcd is not listening (yet). */
int
vt_wire_connect(uint16_t port)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	/* Small request/answer pairs: do not wait for Nagle. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* 1 all n bytes, 0 closed before the first, -1 error or closed midway. */
static int
read_full(int fd, unsigned char *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

/* vpcd writes the length and the body with two send()s: with Nagle on its
 * side, the body waits for our ACK of the length, which Linux delays by
 * 40 ms unless asked not to. The flag does not stick, so set it each time. */
static void
quick_ack(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

/* buf holds VT_MAX_MSG bytes, which any 2-byte length fits. */
int
vt_wire_recv(int fd, unsigned char *buf, size_t *len)
{
	unsigned char hdr[2];
	size_t n;
	int r;

	*len = 0;
	if ((r = read_full(fd, hdr, 2)) <= 0)
		return r;
	quick_ack(fd);
	n = (size_t)hdr[0] << 8 | hdr[1];
	if (n > 0 && read_full(fd, buf, n) != 1)
		return -1;
	*len = n;
	return 1;
}

int
vt_wire_send(int fd, const unsigned char *buf, size_t len)
{
	static unsigned char frame[2 + VT_MAX_MSG];
	size_t off = 0, total = len + 2;
	ssize_t r = 0;

	if (len > VT_MAX_MSG)
		return -1;
	frame[0] = (unsigned char)(len >> 8);
	frame[1] = (unsigned char)(len & 0xFF);
	memcpy(frame + 2, buf, len);
	while (off < total) {	/* MSG_NOSIGNAL: a closed peer is no SIGPIPE */
		r = send(fd, frame + off, total - off, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		off += (size_t)r;
	}
	explicit_bzero(frame, total);	/* it may have carried key bytes */
	return r < 0 ? -1 : 0;
}
