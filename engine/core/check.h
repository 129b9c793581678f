/* Internal invariants. PS_ALWAYS/PS_NEVER wrap "cannot happen" conditions:
 * they abort in debug builds (so tests catch them) and evaluate to the
 * condition in release builds, so the caller still handles the case. */
#ifndef PS_CORE_CHECK_H
#define PS_CORE_CHECK_H
#include <assert.h>

#ifdef NDEBUG
#define PS_ALWAYS(x) (x)
#define PS_NEVER(x) (x)
#else
#define PS_ALWAYS(x) ((x) ? 1 : (assert(0 && #x), 0))
#define PS_NEVER(x) ((x) ? (assert(0 && #x), 1) : 0)
#endif

#endif
