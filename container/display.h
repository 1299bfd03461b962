/*
 * cpkit: names from media made safe to show (container/display.c). Part
 * of the public API (cpkit.h).
 */
#ifndef CPKIT_DISPLAY_H
#define CPKIT_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

/* ---- display: names from media shown to people (container/display.c) ----
 * Any bytes in, text out that is safe for a terminal, report.txt and
 * report.html: valid printable UTF-8 passes; C0 controls (TAB, LF, CR
 * too) and DEL show as \xNN, C1 controls, bidi controls and marks
 * (U+061C, U+200E/F, U+202A-E, U+2066-9) and the line/paragraph
 * separators U+2028/9 as \uNNNN, a byte that is not UTF-8 as \xNN; a
 * run of backslashes is doubled only before x, u or an escape (so
 * \\.\FLASH\ stays readable; the reading rule is in display.c).
 * Nothing allocates; every output is bounded by the caller's cap. */
#define CPK_DISPLAY_UNIT	8	/* bytes of one unit, at most */
#define CPK_DISPLAY_CAP		4096	/* one slot of a ring */
#define CPK_DISPLAY_SLOTS	12
/* Strict UTF-8 (RFC 3629): the length of the sequence at p (1-4) and its
 * code point, 0 when p[0] starts no valid sequence within left bytes. */
size_t	cpk_utf8_decode(const unsigned char *p, size_t left, uint32_t *cp);
/* 1 for a code point the display form escapes. */
int	cpk_display_is_control(uint32_t cp);
/* The display form of the first character (or bad byte) of s[0..left):
 * writes at most CPK_DISPLAY_UNIT bytes to out, no NUL; returns their
 * count and sets *used to the input bytes taken (0 only when left is 0). */
size_t	cpk_display_unit(const char *s, size_t left, char *out, size_t *used);
/* The display form of s[0..len) into out, NUL-terminated; when it does
 * not fit in cap, whole units and then "...". Returns the length the
 * whole form needs (like snprintf): out was cut when it is >= cap. */
size_t	cpk_display_text(const char *s, size_t len, char *out, size_t cap);
/* Printf-friendly: the display form of s (NULL: "") in the ring's next
 * slot, valid until CPK_DISPLAY_SLOTS more calls on the same ring. The
 * caller owns the ring (a local or a static one per program). */
typedef struct cpk_display_ring {
	char		slot[CPK_DISPLAY_SLOTS][CPK_DISPLAY_CAP];
	unsigned	next;
} cpk_display_ring;
const char	*cpk_display(cpk_display_ring *, const char *s);
/* One unit of a JSON string's content (RFC 8259 §7): ", \ and every
 * character cpk_display_is_control() names as \uNNNN (C0 as \u00NN,
 * DEL \u007f, C1, bidi), a byte that is not UTF-8 as \ufffd; other
 * characters exact. Same contract as cpk_display_unit(). */
size_t	cpk_display_json_unit(const char *s, size_t left, char *out,
	    size_t *used);
/* CSV field for machine CSV (cpkit-list --csv, RFC 4180): quoted, a quote
 * doubled, every other byte exact. Returns the length needed; when it is
 * >= cap, out is "" (nothing is cut from a machine value). */
size_t	cpk_display_csv_field(const char *s, char *out, size_t cap);
/* Spreadsheet CSV cell: the display form, quoted as above, with a
 * leading ' when the value starts with =, +, -, @, TAB or CR (a formula
 * to Excel or LibreOffice). Same return as cpk_display_csv_field(). */
size_t	cpk_display_csv_cell(const char *s, char *out, size_t cap);

#endif
