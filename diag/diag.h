#ifndef CPKIT_DIAG_H
#define CPKIT_DIAG_H
#include "container.h"
#endif
