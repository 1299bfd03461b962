/* The virtual Rutoken behind vsmartcard's vpcd (TOKENS.md §11, §12): the
 * card's types and the functions the small files share. The card is one
 * vt_card; every command handler reads the parsed APDU and fills a vt_resp.
 * Nothing here touches the network but wire.c and main.c. */
#ifndef CPKIT_VTOKEN_H
#define CPKIT_VTOKEN_H

#include <stddef.h>
#include <stdint.h>

#define VT_MAX_CONTAINERS 8
#define VT_MAX_NODES	128
#define VT_MAX_PIN	16
#define VT_MAX_ATR	33
#define VT_MAX_EF	0xFFFFu		/* FCP tag 80 holds two bytes */
#define VT_MAX_MSG	0xFFFFu		/* vpcd frames carry a 2-byte length */
#define VT_MAX_DATA	(VT_MAX_MSG - 2)	/* response data before SW */
#define VT_FCP_MAX	64
#define VT_DEFAULT_PORT	35963		/* 0x8C7B, vpcd slot 0 */

enum vt_model { VT_LITE, VT_ECP, VT_S };

/* Access conditions, as the byte that encodes them in FCP tag 86. */
enum { VT_FREE = 0x00, VT_ADMIN = 0x01, VT_USER = 0x02, VT_NEVER = 0xFF };

/* Roles are the PIN references: admin (SO) 01, user 02. */
enum { VT_NOBODY = 0, VT_ROLE_ADMIN = 1, VT_ROLE_USER = 2 };

/* The six container files in EF-suffix order: EF NNk holds kind k - 1. */
enum vt_kind {
	VT_MASKS, VT_PRIMARY, VT_HEADER, VT_MASKS2, VT_PRIMARY2, VT_NAME,
	VT_KINDS
};

typedef struct vt_node {
	uint16_t	 fid;
	int		 is_df;
	unsigned char	 read_cond;	/* EF: READ; DF: CREATE */
	unsigned char	*data;		/* EF: content, then padding */
	size_t		 size;		/* tag 80 and 81 */
	struct vt_node	*parent;
	struct vt_node	*child;		/* first child */
	struct vt_node	*next;		/* next sibling, in listing order */
	int		 no_list;	/* --protect-sys: 6982 to listing */
} vt_node;

typedef struct vt_pin {
	unsigned char	 val[VT_MAX_PIN];
	size_t		 len;
	unsigned	 tries;
	unsigned	 max;
} vt_pin;

/* The command line, checked by vt_opts_parse(). */
typedef struct vt_config {
	uint16_t	 port;
	enum vt_model	 model;
	unsigned char	 atr[VT_MAX_ATR];
	size_t		 atr_len;	/* 0: the model's ATR */
	uint32_t	 serial;
	unsigned char	 pad;
	unsigned char	 cond[VT_KINDS];
	vt_pin		 pin[2];	/* [0] admin (ref 01), [1] user (02) */
	int		 count_empty;
	int		 no_1003;
	int		 decoy;
	int		 refuse_0c;	/* 6A 86 to SELECT with P2 0C */
	int		 no_listing;	/* 6A 86 to list-first/list-next */
	int		 raw_t0;	/* S: 61xx/6Cxx, no Aktiv driver */

	int		 protect_sys;	/* 6982 to listing 1000/1000, 1001 */
	unsigned long	 busy;
	unsigned long	 pull_after;	/* 0: never */
	const char	*state;
	const char	*log;
	char	       **dirs;
	size_t		 ndirs;
} vt_config;

typedef struct vt_card {
	enum vt_model	 model;
	unsigned char	 atr[VT_MAX_ATR];
	size_t		 atr_len;
	uint32_t	 serial;
	vt_node		 nodes[VT_MAX_NODES];
	size_t		 nnodes;
	vt_node		*mf;
	vt_node		*cur_df;
	vt_node		*cur_ef;	/* NULL: none selected */
	vt_pin		 pin[2];	/* [ref - 1] */
	int		 logged;	/* VT_NOBODY or a role */
	int		 count_empty;
	int		 refuse_0c, no_listing;
	int		 raw_t0;	/* S without Aktiv's driver in front */
	unsigned long	 busy;		/* READ BINARYs still to get 6F 84 */
	unsigned long	 pull_after;
	int		 pull_now;	/* the READ that pulls was answered */
	unsigned long	 reads, verify_data, verify_empty, updates, apdus;
	unsigned char	 pending[256];	/* T=0: data kept for GET RESPONSE */
	size_t		 npending;
} vt_card;

/* One command APDU, ISO 7816-3 short or extended. */
typedef struct vt_apdu {
	unsigned char	 cla, ins, p1, p2;
	const unsigned char *data;	/* lc bytes in the caller's buffer */
	size_t		 lc;
	int		 has_le;
	size_t		 ne;		/* expected length; Le 00 = 256/65536 */
	int		 extended;
} vt_apdu;

typedef struct vt_resp {
	unsigned char	 data[VT_MAX_DATA];
	size_t		 len;
	uint16_t	 sw;
	const char	*note;		/* for the log: why it was refused */
} vt_resp;

/* opts.c: exits 2 on misuse, 0 after --help. */
void	 vt_opts_parse(int, char **, vt_config *);

/* fs.c: the tree; load.c fills the container DFs from their folders. */
int	 vt_fs_build(vt_card *, const vt_config *);
vt_node	*vt_fs_add(vt_card *, vt_node *parent, uint16_t fid, int is_df);
vt_node	*vt_fs_child(const vt_node *df, uint16_t fid);
size_t	 vt_fs_fcp(const vt_card *, const vt_node *, unsigned char *out);
void	 vt_fs_free(vt_card *);
int	 vt_load_container(vt_card *, vt_node *parent, unsigned index,
	    const char *dir, const vt_config *);

/* apdu.c: parsing, dispatch, T=0 framing. Returns the response length. */
int	 vt_apdu_parse(const unsigned char *, size_t, vt_apdu *);
size_t	 vt_card_apdu(vt_card *, const unsigned char *cmd, size_t len,
	    unsigned char *out, const char **note);
void	 vt_card_reset(vt_card *);

/* select.c, binary.c, pin.c: one handler per instruction. */
void	 vt_cmd_select(vt_card *, const vt_apdu *, vt_resp *);
void	 vt_cmd_read(vt_card *, const vt_apdu *, vt_resp *);
void	 vt_cmd_update(vt_card *, const vt_apdu *, vt_resp *);
void	 vt_cmd_verify(vt_card *, const vt_apdu *, vt_resp *);
void	 vt_cmd_change(vt_card *, const vt_apdu *, vt_resp *);
void	 vt_cmd_unblock(vt_card *, const vt_apdu *, vt_resp *);
void	 vt_cmd_logout(vt_card *, const vt_apdu *, vt_resp *);
int	 vt_cond_met(const vt_card *, unsigned char cond);
void	 vt_pin_wipe(vt_pin *);

/* wire.c: vpcd's framing over TCP. recv: 1 message, 0 closed, -1 error. */
int	 vt_wire_connect(uint16_t port);
int	 vt_wire_recv(int fd, unsigned char *buf, size_t *len);
int	 vt_wire_send(int fd, const unsigned char *buf, size_t len);

/* journal.c: the state file and the APDU log (both optional). */
int	 vt_journal_open(const char *state, const char *log);
void	 vt_journal_state(const vt_card *);
void	 vt_journal_apdu(const unsigned char *cmd, size_t len,
	    const unsigned char *resp, size_t rlen, const char *note);
void	 vt_journal_line(const char *kind, const char *text);
void	 vt_journal_close(void);

#endif
