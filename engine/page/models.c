/* Ownership of the letter models (models.h). They were once loaded for the
 * first folder the process asked for and kept to its end: a second folder
 * silently got the first one's models, and the memory was never freed. Now
 * whoever analyses holds them: an analyser for all its pages (loaded once,
 * freed with it), a lone ps_page_analyse call for its page. */
#include "page/models.h"
#include "core/alloc.h"
#include "core/status.h"
#include <string.h>

const char *pg_models_dir(const ps_page_params *p)
{
    if (p->models_dir)
        return p->models_dir;
#ifdef PS_DEFAULT_MODELS_DIR
    return PS_DEFAULT_MODELS_DIR;
#else
    return "models";
#endif
}

static void models_free(pg_models *m)
{
    if (!m)
        return;
    pg_split_models_free(m->split);
    pg_glyphs_release(&m->set);
    ps_free(m->dir);
    ps_free(m);
}

static ps_status models_load(const char *dir, pg_models **out)
{
    *out = NULL;
    pg_models *m = ps_calloc(1, sizeof *m);
    if (!m || !(m->dir = ps_strdup(dir))) {
        ps_free(m);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    ps_status rc = pg_glyphs_load(&m->set, dir);
    if (rc == PS_OK)
        rc = pg_split_models_new(&m->set, &m->split);
    if (rc != PS_OK) {
        models_free(m);
        return rc;
    }
    *out = m;
    return PS_OK;
}

void pg_models_cache_init(pg_models_cache *c)
{
    pthread_mutex_init(&c->mu, NULL);
    c->m = NULL;
}

void pg_models_cache_release(pg_models_cache *c)
{
    models_free(c->m);
    c->m = NULL;
    pthread_mutex_destroy(&c->mu);
}

ps_status pg_models_get(pg_models_cache *c, const char *dir, const pg_models **out)
{
    *out = NULL;
    ps_status rc = PS_OK;
    pthread_mutex_lock(&c->mu);
    if (c->m && strcmp(c->m->dir, dir)) {
        models_free(c->m);
        c->m = NULL;
    }
    if (!c->m)
        rc = models_load(dir, &c->m);
    *out = c->m;
    pthread_mutex_unlock(&c->mu);
    return rc;
}
