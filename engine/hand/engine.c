/* The hand engine (loaded models) and sessions (per-thread state). */
#include "hand/session.h"
#include "core/alloc.h"
#include "hand/skin.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void ps_engine_params_default(ps_engine_params *p)
{
    memset(p, 0, sizeof *p);
    p->model = PS_HAND_MODEL_FULL;
    p->threads = 1;
    ps_limits_default(&p->limits);
}

void ps_hands_params_default(ps_hands_params *p)
{
    memset(p, 0, sizeof *p);
    p->max_hands = 2;
    p->min_detection = 0.5f;
    p->min_presence = 0.5f;
    p->grip_search = 1;
}

const char *ps_hand_source_name(ps_hand_source s)
{
    switch (s) {
    case PS_HAND_FROM_PALM: return "palm";
    case PS_HAND_FROM_TRACKING: return "tracking";
    case PS_HAND_FROM_GRIP_SEARCH: return "grip-search";
    }
    return "unknown";
}

static bool has_models(const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/palm_detection_full.tflite", dir);
    return stat(path, &st) == 0;
}

/* params, else $PENSCOPE_MODELS, else the source tree's models/ (build-time
   default), else the installed share/penscope/models */
static const char *models_dir_of(const ps_engine_params *p)
{
    if (p->models_dir && *p->models_dir)
        return p->models_dir;
    const char *env = getenv("PENSCOPE_MODELS");
    if (env && *env)
        return env;
    const char *dir = "models";
#ifdef PS_DEFAULT_MODELS_DIR
    dir = PS_DEFAULT_MODELS_DIR;
#endif
#ifdef PS_INSTALLED_MODELS_DIR
    if (!has_models(dir) && has_models(PS_INSTALLED_MODELS_DIR))
        dir = PS_INSTALLED_MODELS_DIR;
#endif
    return dir;
}

static ps_status load_one(const char *dir, const char *stem, const char *kind, const ps_limits *lim,
                          ps_nn_model **out)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s_%s.tflite", dir, stem, kind) >= (int)sizeof path)
        return ps_fail(PS_ERR_INVALID_ARG, "models folder path too long");
    struct stat st;
    if (stat(path, &st) != 0)
        return ps_fail(PS_ERR_NOT_FOUND,
                       "model file '%s' is missing: run `make setup` (or models/fetch.sh) to fetch the "
                       "MediaPipe hand models, or point --models / $PENSCOPE_MODELS at their folder",
                       path);
    ps_status rc = ps_nn_model_load_file(path, lim, out);
    if (rc != PS_OK)
        ps_error_prefix(path);
    return rc;
}

ps_status ps_engine_new(const ps_engine_params *p, ps_engine_t **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_engine_new: out is NULL");
    *out = NULL;
    ps_engine_params def;
    if (!p) {
        ps_engine_params_default(&def);
        p = &def;
    }
    if (p->model != PS_HAND_MODEL_FULL && p->model != PS_HAND_MODEL_LITE)
        return ps_fail(PS_ERR_INVALID_ARG, "unknown hand model %d (full or lite)", (int)p->model);
    if (p->threads < 0 || p->threads > 256)
        return ps_fail(PS_ERR_INVALID_ARG, "bad thread count %d", p->threads);
    ps_engine_t *e = ps_calloc(1, sizeof *e);
    if (!e)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate the hand engine");
    e->model = p->model;
    e->threads = p->threads;
    ps_palm_anchors(e->anchors);
    const char *dir = models_dir_of(p);
    const char *kind = p->model == PS_HAND_MODEL_LITE ? "lite" : "full";
    ps_status rc = load_one(dir, "palm_detection", kind, &p->limits, &e->palm);
    if (rc == PS_OK)
        rc = load_one(dir, "hand_landmark", kind, &p->limits, &e->landmark);
    if (rc == PS_OK) {
        /* the models must be the ones the pipeline is written for */
        int d[4], nd;
        size_t n0 = ps_nn_model_input_shape(e->palm, 0, d, &nd);
        size_t o0 = ps_nn_model_output_shape(e->palm, 0, d, &nd);
        size_t o1 = ps_nn_model_output_shape(e->palm, 1, d, &nd);
        size_t l0 = ps_nn_model_input_shape(e->landmark, 0, d, &nd);
        size_t lo[4];
        for (int i = 0; i < 4; i++)
            lo[i] = ps_nn_model_output_shape(e->landmark, i, d, &nd);
        if (n0 != (size_t)PS_PALM_INPUT * PS_PALM_INPUT * 3 || o0 != (size_t)PS_PALM_ANCHORS * PS_PALM_COORDS ||
            o1 != PS_PALM_ANCHORS)
            rc = ps_fail(PS_ERR_CORRUPT, "%s/palm_detection_%s.tflite is not the 192x192 MediaPipe palm detector",
                         dir, kind);
        else if (l0 != 224 * 224 * 3 || lo[0] != 63 || lo[1] != 1 || lo[2] != 1 || lo[3] != 63)
            rc = ps_fail(PS_ERR_CORRUPT, "%s/hand_landmark_%s.tflite is not the 224x224 MediaPipe landmark model",
                         dir, kind);
    }
    if (rc != PS_OK) {
        ps_engine_free(e);
        return rc;
    }
    *out = e;
    return PS_OK;
}

void ps_engine_free(ps_engine_t *e)
{
    if (!e)
        return;
    ps_nn_model_free(e->palm);
    ps_nn_model_free(e->landmark);
    ps_free(e);
}

const char *ps_engine_errmsg(const ps_engine_t *e)
{
    return e ? e->err.msg : "no engine";
}

const char *ps_engine_model_name(const ps_engine_t *e)
{
    return e && e->model == PS_HAND_MODEL_LITE ? "lite" : "full";
}

ps_status ps_session_new(ps_engine_t *e, ps_session_t **out)
{
    if (!out || !e)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_session_new: NULL argument");
    *out = NULL;
    ps_session_t *s = ps_calloc(1, sizeof *s);
    if (!s)
        return ps_errbuf_fail(&e->err, PS_ERR_NOMEM, "cannot allocate a hand session");
    s->eng = e;
    ps_hands_track_reset(s);
    ps_status rc = PS_OK;
    if (e->threads != 1)
        rc = ps_pool_new(e->threads, &s->pool);
    if (rc == PS_OK)
        rc = ps_nn_session_new(e->palm, s->pool, &s->palm);
    if (rc == PS_OK)
        rc = ps_nn_session_new(e->landmark, s->pool, &s->landmark);
    if (rc == PS_OK) {
        s->cand = ps_malloc(sizeof *s->cand * PS_PALM_ANCHORS);
        s->skin_scratch = ps_malloc(ps_skin_scratch_bytes());
        if (!s->cand || !s->skin_scratch)
            rc = ps_fail(PS_ERR_NOMEM, "cannot allocate the hand session's scratch");
    }
    if (rc != PS_OK) {
        ps_errbuf_take(&e->err, rc);
        ps_session_free(s);
        return rc;
    }
    *out = s;
    return PS_OK;
}

void ps_session_free(ps_session_t *s)
{
    if (!s)
        return;
    ps_nn_session_free(s->palm);
    ps_nn_session_free(s->landmark);
    ps_pool_free(s->pool);
    ps_free(s->cand);
    ps_free(s->skin_scratch);
    ps_image_release(&s->reduced);
    ps_free(s);
}

const char *ps_session_errmsg(const ps_session_t *s)
{
    return s ? s->err.msg : "no session";
}

void ps_hands_track_reset(ps_session_t *s)
{
    if (!s)
        return;
    s->ntracked = 0;
    s->track_w = s->track_h = 0;
    s->frames_since_detect = 0;
    s->frames_since_search = 1L << 30; /* the first frame may search at once */
}
