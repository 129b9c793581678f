/* The grip handle: parameters and loaded thresholds, immutable after
 * ps_grip_new() so that threads may share it; ps_grip_analyse() runs the
 * pencil finder and the classifier. */
#include "grip/grip_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ps_grip {
    ps_grip_params p;
    ps_grip_thresholds_t *th;
};

void ps_grip_params_default(ps_grip_params *p)
{
    memset(p, 0, sizeof *p);
    p->pencil_mm = 7.0;
    p->find_pencil = 1;
}

ps_status ps_grip_new(const ps_grip_params *p, ps_grip_t **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "grip: out is NULL");
    *out = NULL;
    ps_grip_params def;
    if (!p) {
        ps_grip_params_default(&def);
        p = &def;
    }
    if (!(p->pencil_mm >= 0) || p->pencil_mm > 100)
        return ps_fail(PS_ERR_INVALID_ARG, "grip: pencil width %g mm is out of range (0..100)", p->pencil_mm);
    /* the thresholds ship with penscope: a models folder of the user's own
     * (fetched .tflite files only) falls back to the built-in and the
     * installed copies */
    char path[4096];
    const char *dirs[3] = {NULL, NULL, NULL};
    int nd = 0;
    if (!p->thresholds_path) {
        const char *dir = p->models_dir ? p->models_dir : getenv("PENSCOPE_MODELS");
        if (dir && *dir)
            dirs[nd++] = dir;
#ifdef PS_DEFAULT_MODELS_DIR
        dirs[nd++] = PS_DEFAULT_MODELS_DIR;
#endif
#ifdef PS_INSTALLED_MODELS_DIR
        dirs[nd++] = PS_INSTALLED_MODELS_DIR;
#endif
        if (!nd)
            return ps_fail(PS_ERR_NOT_FOUND, "grip: no models folder (set PENSCOPE_MODELS)");
    }
    ps_grip_t *g = ps_calloc(1, sizeof *g);
    if (!g)
        return ps_fail(PS_ERR_NOMEM, "grip: out of memory");
    ps_status rc;
    if (p->thresholds_path) {
        rc = ps_grip_thresholds_load(p->thresholds_path, &g->th);
    } else {
        char first[4096] = "";
        rc = PS_ERR_NOT_FOUND;
        for (int i = 0; i < nd && rc == PS_ERR_NOT_FOUND; i++) {
            snprintf(path, sizeof path, "%s/grip/grasp_thresholds.json", dirs[i]);
            if (!i)
                snprintf(first, sizeof first, "%s", path);
            rc = ps_grip_thresholds_load(path, &g->th);
        }
        if (rc == PS_ERR_NOT_FOUND)
            ps_fail(rc, "grip: thresholds file '%s' not found (it ships with penscope's models/ folder)", first);
    }
    if (rc) {
        ps_free(g);
        return rc;
    }
    g->p = *p;
    g->p.thresholds_path = NULL;  /* not kept: the caller's strings may go */
    g->p.models_dir = NULL;
    *out = g;
    return PS_OK;
}

void ps_grip_free(ps_grip_t *g)
{
    if (!g)
        return;
    ps_grip_thresholds_free(g->th);
    ps_free(g);
}

const ps_grip_thresholds_t *ps_grip_thresholds(const ps_grip_t *g)
{
    return g ? g->th : NULL;
}

ps_status ps_grip_analyse(const ps_grip_t *g, const ps_image *rgb, const float (*lm)[3], const float (*world)[3],
                          ps_grip_hand hand, ps_grip_result *out)
{
    if (!g || !out)
        return ps_fail(PS_ERR_INVALID_ARG, "grip: handle or result is NULL");
    ps_grip_pencil pencil;
    memset(&pencil, 0, sizeof pencil);
    pencil.why_not = "the pencil finder is off";
    if (g->p.find_pencil) {
        ps_status rc = ps_grip_find_pencil(rgb, lm, g->th, &pencil);
        if (rc)
            return rc;
    }
    return ps_grip_classify(g->th, lm, world, hand, &pencil, g->p.pencil_mm, out);
}
