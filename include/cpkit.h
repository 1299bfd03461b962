/*
 * cpkit: the whole public API in one include (issue 17 §2). Each layer has
 * its own header too (ARCHITECTURE.md): the errors, blobs and display
 * (err.h, blob.h, display.h), the JSON writer (json.h), the six files
 * and their codec (container.h), keys (key.h), media (media.h), tokens (tokens.h), the
 * findings and reports (diag.h, pinq.h) and the repairs and exports
 * (recovery.h).
 */
#ifndef CPKIT_H
#define CPKIT_H

#include "err.h"
#include "blob.h"
#include "display.h"
#include "json.h"
#include "container.h"
#include "key.h"
#include "media.h"
#include "tokens.h"
#include "diag.h"
#include "pinq.h"
#include "recovery.h"

#endif
