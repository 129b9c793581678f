/* libFuzzer target for the letter recogniser model (models/glyphs/
 * letters.recog, read by the page stage's pg_recog_parse): any bytes give a
 * status, never a crash, and a model that parses classifies a letter with
 * probabilities that are numbers (the checks on its values must keep NaN
 * and overflow out). */
#include "page/recog.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (16u << 20))
        return 0;
    pg_recog r;
    if (pg_recog_parse(&r, data, size) == PS_OK) {
        uint8_t bm[PG_GN * PG_GN];
        for (int i = 0; i < PG_GN * PG_GN; i++)
            bm[i] = (i % PG_GN > 8 && i % PG_GN < 14) || (i / PG_GN > 20 && i / PG_GN < 24); /* an L */
        pg_recog_geom geo = {1.5f, 0, 0.6f};
        float feat[PG_RECOG_NF], prob[PG_RECOG_MAX_CLASSES];
        pg_recog_features(bm, &geo, feat);
        int c = pg_recog_classify(&r, feat, prob);
        float sum = 0;
        for (int k = 0; k < r.nc; k++)
            sum += prob[k];
        if (c < 0 || c >= r.nc || !(fabsf(sum - 1) < 1e-3f) || pg_recog_class_of(&r, r.cls[c]) != c)
            abort();
        pg_recog_release(&r);
    }
    return 0;
}
