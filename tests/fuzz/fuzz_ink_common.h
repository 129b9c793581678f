/* The body shared by the pen-recording reader fuzz targets (fuzz_inkcsv,
 * fuzz_inkml, fuzz_svc): decode with the default settings (samples capped at
 * 200k), then run the whole analysis on what was decoded, with letter
 * formation against the models when PENSCOPE_MODELS is set, so hostile
 * recordings reach every feature. Only the format differs between them. */
#ifndef FUZZ_INK_COMMON_H
#define FUZZ_INK_COMMON_H
#include "penscope.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static volatile double g_sink;
static ps_letter_models_t *g_models;
static int g_loaded;

static int fuzz_ink_one(const uint8_t *data, size_t size, ps_ink_format fmt)
{
    if (!g_loaded) {
        g_loaded = 1;
        const char *dir = getenv("PENSCOPE_MODELS");
        char path[4096];
        if (dir) {
            snprintf(path, sizeof path, "%s/letters/print.json", dir);
            ps_letter_models_load(path, &g_models);
        }
    }
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    rp.limits.max_ink_samples = 200000;
    ps_ink ink;
    if (ps_ink_read_memory(data, size, fmt, &rp, &ink) != PS_OK)
        return 0;
    ps_ink_params p;
    ps_ink_params_default(&p);
    p.text = "ab c\nd";
    p.models = g_models;
    ps_ink_result r;
    if (ps_ink_analyse(&ink, &p, &r) == PS_OK) {
        const double *m = (const double *)&r.m;
        for (size_t i = 0; i < sizeof r.m / sizeof *m; i++)
            g_sink += m[i];
        ps_ink_result_release(&r);
    }
    ps_ink_release(&ink);
    return 0;
}
#endif
