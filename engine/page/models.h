/* The letter models a page analysis reads, and who owns them (models.c). */
#ifndef PS_PAGE_MODELS_H
#define PS_PAGE_MODELS_H
#include "page/glyphs.h"
#include <pthread.h>

struct pg_split_models;

/* The models of one folder: the glyph models with the recogniser, and the
 * touching-letter split's view of them. Read-only once loaded. */
typedef struct pg_models {
    char *dir;
    pg_glyphset set;
    struct pg_split_models *split;
} pg_models;

/* Holds the models for the pages analysed with it: an analyser's for all its
 * pages, a ps_page_analyse call's for its one page. Loaded at first need
 * (most pages without touching letters or --text need none), then shared
 * read-only by every reader of the page, whatever its thread. */
typedef struct pg_models_cache {
    pthread_mutex_t mu;
    pg_models *m;
} pg_models_cache;

void pg_models_cache_init(pg_models_cache *c);
/* Frees the models held. */
void pg_models_cache_release(pg_models_cache *c);
/* The models of folder dir: loaded on the first call, the same ones after.
 * A failure (folder missing, corrupt file, no memory) is returned with
 * *out NULL and not kept. Asking for another folder drops the held models
 * and loads that folder's: a page asks for one folder only (its
 * params.models_dir), so models handed out for a page stay valid until the
 * page is done. Thread-safe. */
ps_status pg_models_get(pg_models_cache *c, const char *dir, const pg_models **out);
/* The models folder of a page's parameters (the built-in default when unset). */
const char *pg_models_dir(const ps_page_params *p);

/* The split's view (split.c): built from a loaded set, freed with it. */
ps_status pg_split_models_new(const pg_glyphset *set, struct pg_split_models **out);
void pg_split_models_free(struct pg_split_models *m);
#endif
