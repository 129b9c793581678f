/* Letter formation: the model data structures and the geometry used to
 * compare a written letter with its model (shared by models.c and
 * letters.c, and by the tests that draw synthetic letters from the models). */
#ifndef PS_INK_LETTERS_INTERNAL_H
#define PS_INK_LETTERS_INTERNAL_H
#include "ink/ink_internal.h"

#define LM_MAX_VARIANTS 4
#define LM_MAX_POINTS 512
#define LM_RESAMPLE 24
#define PS_INK_MAX_TEXT_LINES 256 /* lines of --text (newline-separated) */ /* points per stroke after arc-length resampling */

typedef struct lm_pt {
    double x, y;
} lm_pt;

typedef struct lm_stroke {
    int n;
    lm_pt *pts;
} lm_stroke;

typedef struct lm_variant {
    int n_strokes;
    lm_stroke strokes[PS_INK_LETTER_MAX_STROKES];
} lm_variant;

typedef struct lm_letter {
    char ch;
    int n_variants;
    lm_variant variants[LM_MAX_VARIANTS];
} lm_letter;

struct ps_letter_models {
    int count;
    lm_letter letters[128];
};

/* Thresholds of the formation checks (box units: the letter's larger side
 * scaled to 1). Chosen from the geometry of the models, not fitted to data:
 * see README "Tablet recordings". */
#define LM_LEGIBLE_MAX 0.12   /* mean closest-point distance for "this letter" */
#define LM_REVERSAL_RATIO 0.7 /* mirror image this much closer: a reversal */
#define LM_REVERSAL_MARGIN 0.015 /* ...and closer by this much (noise moves symmetric letters by < 0.005) */
#define LM_START_MAX 0.3      /* start point further than this from the model's */
#define LM_DIR_RATIO 0.7      /* reversed path this much closer: wrong direction */
#define LM_DOT_MAX 0.12       /* a stroke smaller than this is a dot */

#endif
