/* Where a file or a token stopped, in words (issue 17 §3): the decoders
 * (container/where.c) and the token layer fill a cpk_where; this renders
 * it for findings, -v and error lines. It is in the token layer because a
 * status word's meaning is this layer's table (sw.c), and the token layer
 * knows the container layer below it. */
#include <stdio.h>

#include "token_int.h"

/* "SELECT 1000/1003: SW 6A86 (incorrect parameters P1-P2)": the command
 * and the SW stay as the card and TOKENS.md spell them */
static const char *
token_text(const cpk_where *w, char *buf, size_t cap)
{
	char head[CPK_WHERE_PATH_MAX + 32];
	const char *m;

	snprintf(head, sizeof(head), "%s%s%s", w->op, w->path[0] ? " " : "",
	    w->path);
	if (w->has_sw && (m = cpk_sw_meaning(w->sw)) != NULL)
		snprintf(buf, cap, _("%s: SW %04X (%s)"), head, w->sw, m);
	else if (w->has_sw)
		snprintf(buf, cap, _("%s: SW %04X"), head, w->sw);
	else if (w->has_pcsc)
		snprintf(buf, cap, _("%s: PC/SC code 0x%08lX"), head, w->pcsc);
	else
		snprintf(buf, cap, "%s", head);
	return buf;
}

const char *
cpk_where_text(const cpk_where *w, char *buf, size_t cap)
{
	if (w->op != NULL && cap > 0)
		return token_text(w, buf, cap);
	if (w->field[0] != '\0' && w->has_offset)
		snprintf(buf, cap, _("%s at byte %zu"), w->field, w->offset);
	else if (w->field[0] != '\0')
		snprintf(buf, cap, "%s", w->field);
	else if (w->has_offset)
		snprintf(buf, cap, _("at byte %zu"), w->offset);
	else if (cap > 0)
		buf[0] = '\0';
	return buf;
}
