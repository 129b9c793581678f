/* Printed letter models and letter comparison (see glyphs.c). */
#ifndef PS_PAGE_GLYPHS_H
#define PS_PAGE_GLYPHS_H
#include "page/page_internal.h"

#define PG_GN 32                 /* normalised letter box, pixels */
#define PG_GFIT 28               /* the longer side of the ink fills this */
#define PG_MAX_GLYPHS 1024
#define PG_REFERENCE_GLYPHS "andika.glyphs" /* the model forms (form_score, reversals) */

typedef struct pg_glyph {
    char ch;
    int cls;                     /* enum pg_letter_class: PG_X, PG_TALL, PG_DESC, PG_DOTTED */
    float rel_h, aspect;         /* height / x-height, width / height */
    int reference;               /* from the reference font */
    uint8_t bm[PG_GN * PG_GN], mbm[PG_GN * PG_GN];  /* the model and its mirror image */
    float dt[PG_GN * PG_GN], mdt[PG_GN * PG_GN];    /* their distance transforms */
    float mirror_d;              /* distance between the model and its mirror */
} pg_glyph;

struct pg_recog;
typedef struct pg_glyphset {
    pg_glyph *g;
    int n;
    int has_reference;
    struct pg_recog *recog;      /* the trained recogniser (recog.h), NULL until loaded */
} pg_glyphset;

/* Loads every models_dir/glyphs/NAME.glyphs file (the reference one required)
 * and the recogniser, models_dir/glyphs/letters.recog (required). */
ps_status pg_glyphs_load(pg_glyphset *set, const char *models_dir);
ps_status pg_glyphs_parse(pg_glyphset *set, const char *text, size_t len, int is_reference);
void pg_glyphs_release(pg_glyphset *set);
const pg_glyph *pg_glyphs_reference(const pg_glyphset *set, char ch);

void pg_glyph_dt(const uint8_t *bm, float *dt);
/* Symmetric mean chamfer distance between two normalised letters, pixels. */
float pg_glyph_distance(const uint8_t *a, const float *dta, const uint8_t *b, const float *dtb);

/* The letter L of the page normalised into bm (PG_GN x PG_GN) and its
 * distance transform; 0 when the letter is empty. */
int pg_letter_normalise(const struct ps_page *pg, const pg_letter *L, uint8_t *bm, float *dt);

/* With --text: aligns the letters found to the expected text and measures
 * letters_expected, letters_matched, omissions, insertions, legibility_pct,
 * reversals, closure_fail, form_score (fills pg->metric and letter fields). */
ps_status pg_text_measure(struct ps_page *pg, const pg_glyphset *set);
#endif
