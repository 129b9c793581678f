/* Reversal and closure of a letter without a model font (see formcheck.c). */
#ifndef PS_PAGE_FORMCHECK_H
#define PS_PAGE_FORMCHECK_H
#include "page/recog.h"

/* Reversal: the mirror image must read as the expected letter with at least
 * PG_REV_MIRROR_MIN, the letter as drawn with at most PG_REV_DRAWN_MAX: the
 * mirror's evidence at least three times the drawn letter's, and the drawn
 * letter hardly the expected one at all. Chosen on Andika, Comic Neue and
 * femkeklaver (bench_formcheck): the pair with no false alarm on their
 * plain pages and the most mirrored letters found; 0.2 gave femkeklaver
 * false alarms, 0.5 and 0.7 lost a fifth to a third of its reversals. */
#define PG_REV_MIRROR_MIN 0.3f
#define PG_REV_DRAWN_MAX 0.1f
/* Closure: gaps narrower than one stroke width are bridged (a scanner or
 * the binarisation opens such hairlines in a closed bowl); 1.5 already
 * bridged most cut bowls of Andika. An enclosed counter must cover 0.02
 * x-heights squared (a speck of paper in a blot is no counter). */
#define PG_CLOSE_GAP_SW 1.0
#define PG_CLOSE_MIN_AREA_XH2 0.02

/* 1 when e differs from its mirror image (b d p q s z N 2-9 J ...). */
int pg_mirror_differs(char e);
/* 1 when e has a bowl or loop that should close (a b d g o p q 0 6 8 9). */
int pg_should_close(char e);

/* 1 when the normalised letter bm (PG_GN x PG_GN) at line place geo, expected
 * to be e, reads as e only when mirrored; the recogniser's probabilities of
 * e for the letter as drawn and mirrored go to p_drawn, p_mirror (may be NULL). */
int pg_reversed_by_recog(const pg_recog *r, const uint8_t *bm, const pg_recog_geom *geo, char e, float *p_drawn,
                         float *p_mirror);
/* Scratch of pg_letter_closes, reused from letter to letter (zero it first). */
typedef struct pg_close_scratch {
    uint8_t *ink, *m;
    int32_t *d, *stack;
    size_t cap;
} pg_close_scratch;
void pg_close_scratch_release(pg_close_scratch *s);

/* 1 when letter L encloses paper (gaps under PG_CLOSE_GAP_SW stroke widths
 * bridged) over at least PG_CLOSE_MIN_AREA_XH2 x-heights squared, 0 when it
 * does not, -1 without an x-height or memory. */
int pg_letter_closes(const struct ps_page *pg, const pg_letter *L, double xh, double stroke_px, pg_close_scratch *s);
#endif
