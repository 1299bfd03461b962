/* The token backend's entry point for the media registry (media/open.c),
 * the one place above both media/ and token/. */
#ifndef CPKIT_TOKEN_MEDIA_H
#define CPKIT_TOKEN_MEDIA_H

#include "media_int.h"

/* Adds every container of the token in reader (NULL: the one with a card),
 * read while the card is held. */
cpk_err	cpk_media_token_add(cpk_media *, const char *reader,
	    cpk_media_opts *);

#endif
