/* The trained letter recogniser behind legibility_pct (see recog.c): a
 * direction-of-gradient shape descriptor of the normalised letter plus its
 * place on the writing line, classified by a small MLP that
 * tests/gen/psrecog_train learns from many fonts with handwriting-like
 * distortions (models/glyphs/letters.recog). */
#ifndef PS_PAGE_RECOG_H
#define PS_PAGE_RECOG_H
#include "page/glyphs.h"

#define PG_RECOG_FILE "letters.recog"       /* in models_dir/glyphs/ */
#define PG_RECOG_DIRS 8                     /* gradient directions, 45 degrees apart */
#define PG_RECOG_GRID 4                     /* their spatial pooling grid */
#define PG_RECOG_DENS 8                     /* ink density grid */
#define PG_RECOG_NGEO 3                     /* top, bottom, log aspect */
#define PG_RECOG_NF (PG_RECOG_DIRS * PG_RECOG_GRID * PG_RECOG_GRID + PG_RECOG_DENS * PG_RECOG_DENS + PG_RECOG_NGEO)
#define PG_RECOG_MAX_CLASSES 96
#define PG_RECOG_MAX_HIDDEN 1024

/* Where a letter sits on its writing line, in x-heights. */
typedef struct pg_recog_geom {
    float top;     /* baseline minus ink top (above the baseline positive) */
    float bottom;  /* ink bottom minus baseline (below the baseline positive) */
    float aspect;  /* ink width / height */
} pg_recog_geom;

typedef struct pg_recog {
    int nc, nh;                     /* classes, hidden units */
    char cls[PG_RECOG_MAX_CLASSES]; /* class characters */
    float *mean, *inv_sd;           /* [PG_RECOG_NF] feature standardisation */
    float *w1, *b1;                 /* [nh][NF], [nh] */
    float *w2, *b2;                 /* [nc][nh], [nc] */
    char about[160];                /* the model's "trained" line */
} pg_recog;

/* Parses a model held in memory (format in recog.c); r is zeroed first and
 * filled (release with pg_recog_release) only on PS_OK. */
ps_status pg_recog_parse(pg_recog *r, const unsigned char *data, size_t len);
/* Loads models_dir/glyphs/letters.recog. */
ps_status pg_recog_load(pg_recog *r, const char *models_dir);
void pg_recog_release(pg_recog *r);

/* The shape descriptor of a normalised letter (PG_GN x PG_GN, as
 * pg_letter_normalise makes it) and its line geometry: PG_RECOG_NF floats. */
void pg_recog_features(const uint8_t *bm, const pg_recog_geom *geo, float *feat);
/* Class probabilities (r->nc floats, softmax) of a feature vector; returns
 * the most probable class index. */
int pg_recog_classify(const pg_recog *r, const float *feat, float *prob);
/* Index of character ch among r's classes, -1 when it is not one. */
int pg_recog_class_of(const pg_recog *r, char ch);

/* Line geometry of letter L (its line's baseline and x-height). */
void pg_recog_letter_geom(const struct ps_page *pg, const pg_letter *L, pg_recog_geom *geo);
/* Recognises letter L of the page: normalises it, fills prob (r->nc floats,
 * may be NULL) and returns the most probable character, or 0 when the
 * letter is empty; *conf (may be NULL) gets that character's probability. */
char pg_recog_letter(const pg_recog *r, const struct ps_page *pg, const pg_letter *L, float *prob, float *conf);
#endif
