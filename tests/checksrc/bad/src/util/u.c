/* u.c - fixture for tools/checksrc.pl: util may not include core. */
#include "core/thing.h"
#include "util/err.h"
