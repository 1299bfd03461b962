/* vtoken: a virtual Rutoken (Lite, ECP or S) for vsmartcard's vpcd, so
 * that the token tests run through a real pcscd without hardware
 * (TOKENS.md §11, §12). It connects to vpcd, answers until killed, and
 * reconnects whenever the connection drops, unless the test pulled it.
 * Signals only write a byte into a pipe; the loop below does the work. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vtoken.h"

static volatile sig_atomic_t wake_fd = -1;
static vt_card card;
static vt_config cfg;
static unsigned char msg[VT_MAX_MSG], out[VT_MAX_MSG];

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(wake_fd, &b, 1) < 0) {
		/* pipe full: enough wake-ups are queued already */
	}
	errno = saved;
}

static int
signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	int p[2];
	size_t i;

	if (pipe(p) != 0 || fcntl(p[0], F_SETFL, O_NONBLOCK) != 0 ||
	    fcntl(p[1], F_SETFL, O_NONBLOCK) != 0)
		return -1;
	wake_fd = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
	signal(SIGPIPE, SIG_IGN);
	return p[0];
}

static void
drop(int *fd, const char *why)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	vt_card_reset(&card);		/* a removed card loses its session */
	vt_journal_line("event", why);
	vt_journal_state(&card);
}

/* vpcd's 1-byte control messages: 00 power off, 01 on, 02 reset, 04 ATR.
 * A 1-byte APDU looks the same; any other byte is answered as one. */
static int
control(int fd, unsigned char op)
{
	static const char *const names[] = { "00 power-off", "01 power-on",
	    "02 reset", "", "04 get-atr" };

	if (op > 4 || op == 3)
		return 0;
	vt_journal_line("ctrl", names[op]);
	if (op == 0x00 || op == 0x02) {
		vt_card_reset(&card);
		vt_journal_state(&card);
	} else if (op == 0x04) {
		(void)vt_wire_send(fd, card.atr, card.atr_len);
	}
	return 1;
}

/* One message from vpcd; -1 when the connection is gone. */
static int
serve(int fd)
{
	const char *note = NULL;
	size_t len, rlen;
	int r;

	if ((r = vt_wire_recv(fd, msg, &len)) <= 0)
		return -1;
	if (len == 1 && control(fd, msg[0]))
		return 0;
	rlen = vt_card_apdu(&card, msg, len, out, &note);
	vt_journal_apdu(msg, len, out, rlen, note);
	vt_journal_state(&card);
	r = vt_wire_send(fd, out, rlen);
	explicit_bzero(msg, len);	/* VERIFY data, UPDATE data */
	explicit_bzero(out, rlen);
	return r;
}

/* 1 to keep going, 0 to exit. */
static int
on_wake(int pfd, int *fd, int *pulled)
{
	unsigned char b;

	while (read(pfd, &b, 1) == 1) {
		if (b == SIGTERM || b == SIGINT)
			return 0;
		if (b == SIGUSR1 && !*pulled) {
			*pulled = 1;
			drop(fd, "pulled");
		} else if (b == SIGUSR2 && *pulled) {
			*pulled = 0;
			vt_journal_line("event", "inserted");
		}
	}
	return 1;
}

static void
run(int pfd)
{
	struct pollfd p[2];
	int fd = -1, pulled = 0;

	for (;;) {
		if (fd < 0 && !pulled && (fd = vt_wire_connect(cfg.port)) >= 0)
			vt_journal_line("event", "connected");
		p[0].fd = pfd;
		p[0].events = POLLIN;
		p[1].fd = fd;
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		/* Not connected: retry every 100 ms (a pulled card waits). */
		if (poll(p, fd >= 0 ? 2 : 1, fd < 0 && !pulled ? 100 : -1) <
		    0 && errno != EINTR)
			break;
		if ((p[0].revents & POLLIN) && !on_wake(pfd, &fd, &pulled))
			break;
		if (fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    serve(fd) != 0)
			drop(&fd, "disconnected");
		if (card.pull_now) {
			drop(&fd, "pulled after reads");
			break;
		}
	}
	if (fd >= 0)
		drop(&fd, "stopped");
}

int
main(int argc, char **argv)
{
	struct rlimit rl = { 0, 0 };
	int pfd, code = 3;

	umask(077);
	setrlimit(RLIMIT_CORE, &rl);	/* the card holds keys and PINs */
	vt_opts_parse(argc, argv, &cfg);
	if (vt_fs_build(&card, &cfg) != 0 ||
	    vt_journal_open(cfg.state, cfg.log) != 0)
		goto out;
	if ((pfd = signals()) < 0) {
		perror("vtoken: signals");
		goto out;
	}
	vt_journal_state(&card);
	run(pfd);
	code = 0;
out:
	vt_journal_close();
	vt_pin_wipe(&card.pin[0]);
	vt_pin_wipe(&card.pin[1]);
	vt_pin_wipe(&cfg.pin[0]);
	vt_pin_wipe(&cfg.pin[1]);
	vt_fs_free(&card);
	return code;
}
