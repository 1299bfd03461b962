/* libFuzzer target for what a token answers (TOKENS.md §4-§5): the input
 * is a card. Its first byte picks the model (Lite or Rutoken S), and then
 * every APDU cpkit sends is answered by the next record of the input (a
 * length byte, then that many bytes, the SW last). Whatever comes back,
 * the walk, the reads, the serial and the PIN rules must neither crash
 * nor loop, and no PIN may be sent when the card said few tries are left.
 * FCP parsing is also fed the raw input directly. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokens.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct feed {
	const uint8_t	*p;
	size_t		 left;
	unsigned	 sent;
	int		 verify_data;	/* a VERIFY carrying a PIN was sent */
};

static cpk_err
feed_tx(void *ctx, const unsigned char *cmd, size_t len, unsigned char *resp,
    size_t *resp_len)
{
	struct feed *f = ctx;
	size_t n;

	if (++f->sent > 5000)
		abort();		/* the walk bounds must stop it first */
	if (len > 5 && cmd[1] == 0x20)
		f->verify_data = 1;
	if (f->left == 0)
		return CPK_E_CARD_REMOVED;	/* the card is pulled out */
	n = f->p[0];
	f->p++;
	f->left--;
	if (n > f->left)
		n = f->left;
	if (n > *resp_len)
		n = *resp_len;
	memcpy(resp, f->p, n);
	f->p += n;
	f->left -= n;
	*resp_len = n;
	return CPK_OK;
}

static const unsigned char atr_lite[] = { 0x3b, 0x8b, 0x01, 0x52, 0x75,
	0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x6c, 0x69, 0x74, 0x65, 0xc2 };
static const unsigned char atr_s[] = { 0x3b, 0x6f, 0x00, 0xff, 0x00, 0x56,
	0x72, 0x75, 0x54, 0x6f, 0x6b, 0x6e, 0x73, 0x30, 0x20, 0x00, 0x00,
	0x90, 0x00 };

static void
card(const uint8_t *data, size_t size)
{
	struct feed f = { data + 1, size - 1, 0, 0 };
	cpk_transport tr = { feed_tx, NULL, &f, NULL };
	cpk_token *t = NULL;
	cpk_tok_list l;
	cpk_pin_state st;
	char serial[16];
	unsigned long num;
	cpk_err r;

	if (data[0] & 1)
		r = cpk_token_open(&tr, atr_s, sizeof(atr_s), &t);
	else
		r = cpk_token_open(&tr, atr_lite, sizeof(atr_lite), &t);
	if (r != CPK_OK)
		abort();
	(void)cpk_token_serial(t, serial, sizeof(serial), &num);
	if (cpk_token_enum(t, &l) == CPK_OK) {
		for (size_t i = 0; i < l.n; i++) {
			cpk_files *files = NULL;
			char path[64];

			cpk_tok_path(&l.v[i], path, sizeof(path));
			if (cpk_token_read(t, &l.v[i], &files) == CPK_OK)
				cpk_files_free(&files);
		}
		cpk_tok_list_clear(&l);
	}
	/* the PIN gate: whatever the card says, a PIN goes out only after
	 * it reported more than 3 tries left */
	f.verify_data = 0;
	r = cpk_token_verify(t, CPK_PIN_USER, "12345678", 8, 3, &st);
	if (f.verify_data && (r == CPK_E_PIN_LOW || r == CPK_E_PIN_BLOCKED ||
	    r == CPK_E_PIN_UNKNOWN))
		abort();
	cpk_token_close(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cpk_fcp fcp;

	if (size == 0 || size > 65536)
		return 0;
	(void)cpk_fcp_parse(data, size, 0, &fcp);
	(void)cpk_fcp_parse(data, size, 1, &fcp);
	(void)cpk_atr_model(data, size);
	card(data, size);
	return 0;
}
