/* A bump arena: one block sized up front (e.g. at plan time), carved into
 * 64-byte aligned pieces, reset in O(1). No allocation after creation, so hot
 * loops that take scratch memory from an arena never call malloc. */
#ifndef PS_CORE_ARENA_H
#define PS_CORE_ARENA_H
#include <stddef.h>
#include "penscope.h"

typedef struct ps_arena {
    unsigned char *base;
    size_t size, used, peak;
} ps_arena;

ps_status ps_arena_init(ps_arena *a, size_t size);
void ps_arena_release(ps_arena *a);
/* NULL when the arena is full (the caller sized it wrong: an internal error). */
void *ps_arena_alloc(ps_arena *a, size_t n);
static inline void ps_arena_reset(ps_arena *a) { a->used = 0; }
static inline size_t ps_arena_mark(const ps_arena *a) { return a->used; }
static inline void ps_arena_rewind(ps_arena *a, size_t mark) { a->used = mark; }

#endif
