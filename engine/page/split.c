/* Touching letters without --text: one ink component that holds several
 * letters is cut into pieces.
 *
 * A component wider than GATE x-heights and GATE_USUAL times the line's usual
 * letter width, or carrying a dot, is profiled along its line's slant: for every deslanted
 * column, the ink it holds, its top and bottom row. Candidate cuts: valleys
 * of the profile (a thin join), both ends and the middle of each thin run (a
 * stroke reaching into the next letter is cut where that letter's ink
 * begins), the middle of solid runs two strokes wide (two letters' stems
 * lying against each other), and either side of the stem under a dot (an i
 * or j joined to a neighbour). Every way of cutting at some candidates (at
 * most PG_SPLIT_MAX pieces) is scored by dynamic programming:
 *
 *   cost = sum over pieces of (piece width / component width) x
 *            (d / d_typ + WIDTH_WEIGHT |ln(piece width / model width)|)
 *          + per cut: CUT_PENALTY + CUT_INK x the ink it crosses in x-heights
 *
 * d is the piece's shape distance to its nearest lower-case letter model
 * (glyphs.h; CLASS_MISS typical distances more for a model of another height
 * class), d_typ the median distance of this writer's ordinary (narrow)
 * letters to their models, so that a piece is judged against how well this
 * hand fits the models at all, and the model width is scaled by how much
 * wider this hand writes than the models. A piece that cannot be a letter on
 * its own (a speck, or an x-height piece narrower than NARROW_X: the stem of
 * an n, half a u) is not allowed. Not cutting is one of the ways, and the
 * best way of cutting must cost at most SPLIT_MARGIN of the whole (rising
 * to 1 for components wider than this hand's widest letter, an m, would be),
 * so a component is split only when letters fit its pieces clearly better
 * than one letter fits the whole: m, w, n and u stay whole because their
 * parts are poorer letters than they are, and "rn" against "m" goes to the
 * whole unless the pieces read clearly better. The trained recogniser
 * (recog.h) has the last word: the whole and the best way with each number
 * of pieces are judged again with its doubt about each piece (-ln of its
 * top probability, weighted by width), and a whole it reads surely as one
 * lower-case letter as wide as that letter is in this hand (an m, a w) is
 * left whole at once. (Asking it about every piece the search tries would
 * cost half as much time again for a twentieth of the gain.) A component
 * with an i's or j's dot is judged whatever its width (an i touching a
 * narrow letter, "il", "ri", "it", is under the gate), and as a whole it is
 * one letter only as an i or a j: its doubt is -ln of their probability
 * together (a dotted "in" that reads surely as an h is no h). Marks near a
 * printed mean line are not trusted as dots (a letter's top cut off with
 * the line).
 *
 * Cuts follow the line's slant (a piece is the component's pixels between
 * two slanted cuts: pg_letter_has with PG_CUT), so slanted ascenders are not
 * chopped; dots of i and j go to the piece under them. Costs: a profile is
 * one pass over the component's box; a piece scored is one normalisation and
 * one pass over the lower-case models' ink lists; the whole is scored first
 * and no cut is tried when it costs less than the cheapest cut alone; the
 * models are loaded once per analyser (models.h) and all scratch once per
 * page. */
#include "page/models.h"
#include "page/recog.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GATE 1.0f         /* x-heights: narrower components are one letter, */
#define GATE_USUAL 1.25f  /* and so are those narrower than this many usual letters */
#define MAX_CAND 6        /* candidate cuts per component */
#define THIN_RUN 1.6f     /* stroke widths of ink: a column crossing one stroke */
#define SOLID 0.5f        /* x-heights of ink: a column along a stroke */
#define DOUBLE_STROKE 1.7f /* stroke widths: solid columns this wide are two strokes */
#define CUT_INK 0.5f      /* per x-height of ink a cut crosses */
#define MAX_PIECE_W 1.8f  /* x-heights: no single lower-case letter is wider */
#define MIN_PIECE_W 0.12f /* x-heights: the narrowest letter (an i's stem) */
#define NARROW_X 0.35f    /* x-heights: an x-height letter is at least this wide */
#define VALLEY_MAX 0.6f   /* x-heights of ink a cut may cross */
#define CUT_PENALTY 0.6f  /* per cut, in typical letter distances */
#define WIDTH_WEIGHT 1.0f /* per unit of |ln(width / the model's width)| */
#ifndef RECOG_WEIGHT
#define RECOG_WEIGHT 1.0f /* per unit of the trained recogniser's doubt, -ln p */
#endif
#define SURE_DOUBT 0.22f  /* -ln 0.8: the recogniser is sure */
#define SURE_WIDTH 0.25f  /* |ln(width / the letter's width)|: as wide as it should be */
#define CLASS_MISS 1.0f   /* typical distances added for a model of another height class */
#define SPLIT_MARGIN 0.7f /* a split must cost at most this share of the whole */
#define DOT_ON_LINE 0.35f /* x-heights: a dot this near a printed mean line may be a cut-off letter top */
#define TYP_N 15          /* letters that set the typical distance */

/* The letter models as the split reads them: the lower-case models, their
 * ink pixel lists and median width. Built with the models (models.c),
 * read-only after. */
typedef struct pg_split_models {
    const pg_glyphset *set;
    int glyph_lc[PG_MAX_GLYPHS];     /* the lower-case models */
    int nlc;
    int16_t *ink;                    /* their ink pixels' indices, glyph k's at ink_at[k] */
    int ink_at[PG_MAX_GLYPHS + 1];
    float model_w;                   /* the models' median width, x-heights */
    float widest;                    /* the widest model / model_w (an m or w) */
    float char_w[26];                /* each lower-case letter's mean model width, x-heights */
} split_models;

struct pg_split {
    int cap;                         /* columns of the profile */
    int *proj, *top, *bot, *xlo, *xhi;
    const split_models *m;           /* borrowed from the page's models (pg->models) */
    int models;                      /* 0 not tried yet, 1 loaded, -1 missing */
    uint8_t bm[PG_GN * PG_GN];
    float dt[PG_GN * PG_GN];
    int16_t piece_ink[PG_GN * PG_GN];
    float typ[TYP_N];                /* distances of ordinary letters to their models, */
    int ntyp;                        /* in the order the lines gave them (pg_split_prepare) */
};

pg_split *pg_split_new(const struct ps_page *pg)
{
    pg_split *sp = ps_calloc(1, sizeof *sp);
    if (!sp)
        return NULL;
    /* a component's deslanted width is at most its box width plus its
     * height (slants under 45 degrees) */
    sp->cap = pg->mask.width + pg->mask.height + 8;
    sp->proj = ps_malloc(sizeof(int) * 5 * (size_t)sp->cap);
    if (!sp->proj) {
        ps_free(sp);
        return NULL;
    }
    sp->top = sp->proj + sp->cap;
    sp->bot = sp->top + sp->cap;
    sp->xlo = sp->bot + sp->cap;
    sp->xhi = sp->xlo + sp->cap;
    return sp;
}

void pg_split_free(pg_split *sp)
{
    if (!sp)
        return;
    ps_free(sp->proj);
    ps_free(sp);
}

/* Median of v[0..n) by partial selection (v is reordered). */
static float median_float(float *v, int n)
{
    int k = n / 2, lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                float tmp = v[i];
                v[i++] = v[j];
                v[j--] = tmp;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

void pg_split_models_free(split_models *m)
{
    if (!m)
        return;
    ps_free(m->ink);
    ps_free(m);
}

ps_status pg_split_models_new(const pg_glyphset *set, split_models **out)
{
    *out = NULL;
    split_models *m = ps_calloc(1, sizeof *m);
    if (!m)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    m->set = set;
    for (int g = 0; g < set->n; g++)
        if (set->g[g].ch >= 'a' && set->g[g].ch <= 'z')
            m->glyph_lc[m->nlc++] = g;
    m->ink = ps_malloc(sizeof(int16_t) * PG_GN * PG_GN * ((size_t)m->nlc + 1));
    if (!m->ink) {
        pg_split_models_free(m);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int n = 0;
    for (int k = 0; k < m->nlc; k++) {
        m->ink_at[k] = n;
        n += pg_split_ink_list(set->g[m->glyph_lc[k]].bm, m->ink + n);
    }
    m->ink_at[m->nlc] = n;
    float w[PG_MAX_GLYPHS];
    for (int k = 0; k < m->nlc; k++)
        w[k] = set->g[m->glyph_lc[k]].aspect * set->g[m->glyph_lc[k]].rel_h;
    int cnt[26] = {0};
    for (int k = 0; k < m->nlc; k++) {
        const pg_glyph *g = &set->g[m->glyph_lc[k]];
        m->char_w[g->ch - 'a'] += w[k];
        cnt[g->ch - 'a']++;
    }
    for (int c = 0; c < 26; c++)
        m->char_w[c] = cnt[c] ? m->char_w[c] / cnt[c] : 0;
    m->widest = 0;
    for (int k = 0; k < m->nlc; k++)
        if (w[k] > m->widest)
            m->widest = w[k];
    m->model_w = m->nlc ? median_float(w, m->nlc) : 0.8f;
    m->widest = m->widest > m->model_w ? m->widest / m->model_w : 1.75f;
    *out = m;
    return PS_OK;
}

/* 1 when the models are there, 0 when they are missing (warned once);
 * out of memory is an error. */
static ps_status load_models(struct ps_page *pg, pg_split *sp, int *ok)
{
    *ok = sp->models > 0;
    if (sp->models)
        return PS_OK;
    const pg_models *M;
    ps_status rc = pg_models_get(pg->models, pg_models_dir(&pg->params), &M);
    if (rc == PS_ERR_NOMEM)
        return rc;
    if (rc != PS_OK) {
        sp->models = -1;
        pg_warn(pg, "letter models not found (%s): letters whose ink touches are counted as one", ps_last_error());
        return PS_OK;
    }
    sp->m = M->split;
    sp->models = 1;
    *ok = 1;
    return PS_OK;
}

static int class_fits(int letter_cls, int glyph_cls)
{
    if (letter_cls == PG_MIDDLE)
        return glyph_cls == PG_X || glyph_cls == PG_TALL;
    return letter_cls == glyph_cls;
}

/* The geometry of one component being judged. */
typedef struct blob {
    const pg_letter *L;
    float t, base, xh, tall;
    int u0, ncol, cf, cl;            /* column c holds u in [u0 + c, u0 + c + 1); ink in [cf, cl] */
    float dot_u[PG_MAX_LABELS];      /* centre columns of its dots (i, j) */
    int ndot;
    int ndot_free;                   /* dots away from the printed mean line */
    float mid_up;                    /* the printed mean line's height over the baseline, NAN when none */
    const pg_line *ln;
} blob;

/* Piece [a, b) of the blob as a letter; 0 when it holds no ink. */
static int make_piece(const pg_split *sp, const blob *B, int a, int b, pg_letter *P)
{
    int fa = -1, la = -1, top = 1 << 30, bot = -1, xlo = 1 << 30, xhi = -1, area = 0;
    for (int c = a; c < b; c++) {
        if (!sp->proj[c])
            continue;
        if (fa < 0)
            fa = c;
        la = c;
        area += sp->proj[c];
        if (sp->top[c] < top) top = sp->top[c];
        if (sp->bot[c] > bot) bot = sp->bot[c];
        if (sp->xlo[c] < xlo) xlo = sp->xlo[c];
        if (sp->xhi[c] > xhi) xhi = sp->xhi[c];
    }
    if (fa < 0)
        return 0;
    *P = *B->L;
    P->flags |= PG_CUT;
    P->cut_t = B->t;
    P->cut_base = B->base;
    P->ucut0 = (float)(B->u0 + a);
    P->ucut1 = (float)(B->u0 + b);
    P->x0 = P->cut0 = xlo;
    P->x1 = P->cut1 = xhi + 1;
    P->y0 = top;
    P->y1 = bot + 1;
    P->dx0 = (float)(B->u0 + fa);
    P->dx1 = (float)(B->u0 + la + 1);
    P->area = area;
    P->has_dot = 0;
    for (int k = 0; k < B->ndot; k++)
        P->has_dot |= B->dot_u[k] >= P->ucut0 && B->dot_u[k] < P->ucut1;
    /* the class, as segment.c's line_classes gives it */
    P->cls = pg_letter_class_of(P->y1 - P->y0, P->x1 - P->x0, P->y1 - B->base, B->base - P->y0, P->has_dot, B->xh,
                                B->tall);
    return 1;
}

int pg_split_ink_list(const uint8_t *bm, int16_t *ink)
{
    int n = 0;
    for (int i = 0; i < PG_GN * PG_GN; i++)
        if (bm[i])
            ink[n++] = (int16_t)i;
    return n;
}

float pg_split_distance(const int16_t *ia, int na, const float *dta, const int16_t *ib, int nb, const float *dtb)
{
    return pg_split_distance_below(ia, na, dta, ib, nb, dtb, 1e30f);
}

float pg_split_distance_below(const int16_t *ia, int na, const float *dta, const int16_t *ib, int nb,
                              const float *dtb, float bound)
{
    /* the symmetric mean chamfer distance of pg_glyph_distance, summed over
     * the ink pixels' lists in the same order; half of it is the first
     * mean alone, so past the bound the second is not summed */
    if (!na || !nb)
        return 64;
    double sa = 0, sb = 0;
    for (int i = 0; i < na; i++)
        sa += dtb[ia[i]];
    if (0.5 * sa / na >= bound)
        return (float)(0.5 * sa / na);
    for (int i = 0; i < nb; i++)
        sb += dta[ib[i]];
    return (float)(0.5 * (sa / na + sb / nb));
}

/* Shape distance of piece P to its nearest lower-case model of a fitting
 * class (model pixels, 64 when nothing fits). Models whose proportions
 * differ from the piece's by more than ASPECT_FAR are not compared: both are
 * fitted into the same box, so their shapes cannot be near. */
#define ASPECT_FAR 1.8f
static float piece_distance(const struct ps_page *pg, pg_split *sp, const pg_letter *P, float class_miss,
                            const pg_glyph **best_g)
{
    if (best_g)
        *best_g = NULL;
    if (!pg_letter_normalise(pg, P, sp->bm, sp->dt))
        return 64;
    int np = pg_split_ink_list(sp->bm, sp->piece_ink);
    float aspect = (P->dx1 - P->dx0) / (float)(P->y1 - P->y0);
    float best = 64;
    const split_models *M = sp->m;
    for (int k = 0; k < M->nlc; k++) {
        const pg_glyph *g = &M->set->g[M->glyph_lc[k]];
        int fits = class_fits(P->cls, g->cls);
        if ((!fits && class_miss <= 0) || aspect > ASPECT_FAR * g->aspect || g->aspect > ASPECT_FAR * aspect)
            continue;
        float miss = fits ? 0 : class_miss;
        float d = pg_split_distance_below(sp->piece_ink, np, sp->dt, M->ink + M->ink_at[k],
                                          M->ink_at[k + 1] - M->ink_at[k], g->dt, best - miss) + miss;
        if (d < best) {
            best = d;
            if (best_g)
                *best_g = g;
        }
    }
    return best;
}

/* Profile of the blob along the slant into sp's columns; 0 when too wide. */
static int profile(const struct ps_page *pg, pg_split *sp, blob *B)
{
    const pg_letter *L = B->L;
    float ua = pg_cut_u(B->t, B->base, L->x0, L->y0), ub = pg_cut_u(B->t, B->base, L->x0, L->y1 - 1);
    float uc = pg_cut_u(B->t, B->base, L->x1 - 1, L->y0), ud = pg_cut_u(B->t, B->base, L->x1 - 1, L->y1 - 1);
    float lo = fminf(ua, ub), hi = fmaxf(uc, ud);
    B->u0 = (int)floorf(lo) - 1;
    B->ncol = (int)floorf(hi) - B->u0 + 2;
    if (B->ncol > sp->cap || B->ncol < 2)
        return 0;
    for (int c = 0; c < B->ncol; c++) {
        sp->proj[c] = 0;
        sp->top[c] = sp->xlo[c] = 1 << 30;
        sp->bot[c] = sp->xhi[c] = -1;
    }
    for (int y = L->y0; y < L->y1; y++)
        for (int x = L->x0; x < L->x1; x++) {
            if (!pg_letter_has(pg, L, x, y))
                continue;
            int c = (int)floorf(pg_cut_u(B->t, B->base, x, y)) - B->u0;
            if (c < 0 || c >= B->ncol)
                continue;
            sp->proj[c]++;
            if (y < sp->top[c]) sp->top[c] = y;
            if (y > sp->bot[c]) sp->bot[c] = y;
            if (x < sp->xlo[c]) sp->xlo[c] = x;
            if (x > sp->xhi[c]) sp->xhi[c] = x;
        }
    B->cf = B->cl = -1;
    for (int c = 0; c < B->ncol; c++)
        if (sp->proj[c]) {
            if (B->cf < 0)
                B->cf = c;
            B->cl = c;
        }
    return B->cf >= 0;
}

/* Dots (small components above the x-height band) of the blob, by column. */
static void find_dots(const struct ps_page *pg, blob *B)
{
    const pg_letter *L = B->L;
    B->ndot = B->ndot_free = 0;
    if (!L->has_dot)
        return;
    for (int k = 0; k < L->nlab; k++) {
        const pg_comp *C = &pg->comp[L->lab[k] - 1];
        int h = C->y1 - C->y0, w = C->x1 - C->x0;
        if (h < 0.45 * B->xh && w < 0.6 * B->xh && C->y1 <= B->base - 0.6 * B->xh) {
            B->dot_u[B->ndot++] = pg_cut_u(B->t, B->base, (C->x0 + C->x1) / 2, (C->y0 + C->y1) / 2);
            /* a letter's top cut off with a printed mean line (primary
             * ruling) is left as a small mark under that line, like a dot:
             * marks near the line are not trusted as dots */
            float xc = 0.5f * (C->x0 + C->x1), yc = 0.5f * (C->y0 + C->y1);
            float up = B->ln->base_a + B->ln->base_b * xc - yc;
            B->ndot_free += !(fabsf(up - B->mid_up) < DOT_ON_LINE * B->xh);
        }
    }
}

/* The best way to cut blob L: *np pieces into out (1: leave it whole). */
/* How unsure the trained recogniser (recog.h) is that piece P is a letter:
 * -ln of its most probable class's probability (0 without the recogniser);
 * *ch = that class. normalised: sp->bm already holds P normalised. dotted:
 * P carries a dot, so it is one letter only as an i or a j: -ln of their
 * probability together (a dotted "in" read surely as an h is no h). */
static float piece_doubt(const struct ps_page *pg, pg_split *sp, const pg_letter *P, int normalised, int dotted,
                         char *ch)
{
    const pg_recog *r = sp->m->set->recog;
    *ch = 0;
    if (!r)
        return 0;
    if (!normalised && !pg_letter_normalise(pg, P, sp->bm, sp->dt))
        return -logf(1e-3f);
    pg_recog_geom geo;
    float feat[PG_RECOG_NF], prob[PG_RECOG_MAX_CLASSES];
    pg_recog_letter_geom(pg, P, &geo);
    pg_recog_features(sp->bm, &geo, feat);
    int c = pg_recog_classify(r, feat, prob);
    *ch = r->cls[c];
    float p = prob[c];
    if (dotted) {
        int ci = pg_recog_class_of(r, 'i'), cj = pg_recog_class_of(r, 'j');
        p = (ci >= 0 ? prob[ci] : 0) + (cj >= 0 ? prob[cj] : 0);
    }
    return -logf(p > 1e-3f ? p : 1e-3f);
}

/* The typical distance of this writing's ordinary letters (narrower than
 * gate) to their nearest models, from the first lines that need it: a piece
 * is judged against how well this writer's single letters fit the models,
 * not against the models' own fonts. typ_add adds a line's letters (its n
 * letters Ls, up to TYP_N in all), typ_median is the distance. */
typedef struct typ_job {
    const struct ps_page *pg;
    const split_models *m;
    pg_split *const *helpers;      /* per thread: scratch for piece_distance */
    const pg_letter *const *cand;
    int ncand;
    float *d;
} typ_job;

static void typ_dist(void *ctx, int ith, int nth)
{
    const typ_job *j = ctx;
    pg_split *h = j->helpers[ith];
    int i0, i1;
    ps_split(j->ncand, ith, nth, &i0, &i1);
    h->m = j->m;
    for (int i = i0; i < i1; i++)
        j->d[i] = piece_distance(j->pg, h, j->cand[i], 0, NULL);
}

/* helpers (with pool): a pg_split per thread to score the letters on, as
 * many as the typical distance still needs at a time; NULL: one by one. */
static void typ_add(const struct ps_page *pg, pg_split *sp, struct ps_pool *pool, pg_split *const *helpers,
                    const pg_letter *Ls, int n, float gate)
{
    int step = n / TYP_N > 1 ? n / TYP_N : 1, nc = 0;
    const pg_letter *cand[2 * TYP_N + 2]; /* n / step < 2 TYP_N */
    for (int m = 0; m < n && nc < 2 * TYP_N + 2; m += step) {
        const pg_letter *L = &Ls[m];
        if (L->cls == PG_SMALL || (L->flags & PG_CUT) || L->dx1 - L->dx0 >= gate)
            continue;
        cand[nc++] = L;
    }
    for (int i = 0; i < nc && sp->ntyp < TYP_N;) {
        float d[TYP_N];
        int k = nc - i < TYP_N - sp->ntyp ? nc - i : TYP_N - sp->ntyp, nth = ps_pool_size(pool);
        if (helpers && k > 1) {
            typ_job j = {pg, sp->m, helpers, cand + i, k, d};
            ps_pool_run_n(pool, nth < k ? nth : k, typ_dist, &j);
        } else {
            for (int q = 0; q < k; q++)
                d[q] = piece_distance(pg, sp, cand[i + q], 0, NULL);
        }
        for (int q = 0; q < k; q++)
            if (d[q] < 64)
                sp->typ[sp->ntyp++] = d[q];
        i += k;
    }
}

static float typ_median(const pg_split *sp)
{
    if (sp->ntyp < 3)
        return 1.0f;
    float v[TYP_N];
    memcpy(v, sp->typ, sizeof(float) * sp->ntyp);
    float d = median_float(v, sp->ntyp);
    return d > 0.25f ? d : 0.25f;
}

/* The blob of letter L (B: its profile in sp) and its candidate cuts, in
 * order along the line; returns their number (0: no cut to try). */
static int blob_candidates(const struct ps_page *pg, pg_split *sp, const pg_line *ln, const pg_letter *L, blob *B,
                           int *cand)
{
    B->L = L;
    B->ln = ln;
    B->xh = ln->xh;
    B->tall = ln->tall;
    B->mid_up = isnan(ln->mid_y) ? NAN : (float)(ln->base_a + ln->base_b * 0.5 * pg->mask.width) - ln->mid_y;
    B->t = tanf(ln->slant_deg * (float)M_PI / 180);
    B->base = (float)(ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1));
    if (!profile(pg, sp, B))
        return 0;
    find_dots(pg, B);
    float xh = B->xh;
    /* candidate cuts, a piece's width from the ends: valleys of the profile
     * (a thin join); both ends and the middle of each thin run (a stroke
     * between two letters, cut where the next letter's ink begins); the
     * middle of each run of solid columns twice a stroke wide or more (two
     * strokes that lie against each other); either side of the stem under a
     * dot (an i's or j's, first: "bi", "in" join at their stems) */
    int r = (int)(0.1f * xh) > 1 ? (int)(0.1f * xh) : 1;
    int minw = (int)ceilf(MIN_PIECE_W * xh) > 2 ? (int)ceilf(MIN_PIECE_W * xh) : 2;
    float sw = pg->stroke_px > 1 ? (float)pg->stroke_px : 1;
    int lo = B->cf + minw, hi = B->cl + 1 - minw;
    float prio[MAX_CAND];
    int ncand = 0;
#define ADD_CAND(col, pr)                                                                                    \
    do {                                                                                                     \
        int c_ = (col);                                                                                      \
        float p_ = (pr);                                                                                     \
        if (c_ < lo || c_ > hi)                                                                              \
            break;                                                                                           \
        int dup_ = 0;                                                                                        \
        for (int k_ = 0; k_ < ncand && !dup_; k_++)                                                          \
            if (abs(cand[k_] - c_) <= 1) {                                                                   \
                dup_ = 1;                                                                                    \
                if (p_ < prio[k_])                                                                           \
                    prio[k_] = p_;                                                                           \
            }                                                                                                \
        if (dup_)                                                                                            \
            break;                                                                                           \
        if (ncand < MAX_CAND) {                                                                              \
            cand[ncand] = c_;                                                                                \
            prio[ncand++] = p_;                                                                              \
        } else {                                                                                             \
            int w_ = 0;                                                                                      \
            for (int k_ = 1; k_ < MAX_CAND; k_++)                                                            \
                if (prio[k_] > prio[w_])                                                                     \
                    w_ = k_;                                                                                 \
            if (prio[w_] > p_) {                                                                             \
                cand[w_] = c_;                                                                               \
                prio[w_] = p_;                                                                               \
            }                                                                                                \
        }                                                                                                    \
    } while (0)
    for (int c = lo; c <= hi; c++) {
        int p = sp->proj[c];
        if (p > VALLEY_MAX * xh)
            continue;
        int valley = 1;
        for (int d = -r; d <= r && valley; d++) {
            int q = c + d;
            if (d && q >= B->cf && q <= B->cl && (sp->proj[q] < p || (sp->proj[q] == p && d < 0)))
                valley = 0;
        }
        if (valley)
            ADD_CAND(c, p / xh);
    }
    for (int c = B->cf; c <= B->cl;) {
        int thin = sp->proj[c] <= THIN_RUN * sw, solid = sp->proj[c] >= SOLID * xh;
        if (!thin && !solid) {
            c++;
            continue;
        }
        int e = c;
        while (e + 1 <= B->cl && (thin ? sp->proj[e + 1] <= THIN_RUN * sw : sp->proj[e + 1] >= SOLID * xh))
            e++;
        if (thin) {
            ADD_CAND(c, sp->proj[c] / xh);
            ADD_CAND(e + 1, sp->proj[e] / xh);
            ADD_CAND((c + e + 1) / 2, sp->proj[(c + e + 1) / 2] / xh);
        } else if (e + 1 - c >= DOUBLE_STROKE * sw) {
            ADD_CAND((c + e + 1) / 2, 0.5f);
        }
        c = e + 1;
    }
    /* an i's or j's stem stands under its dot: cuts on either side of it */
    for (int k = 0; k < B->ndot; k++) {
        float c = B->dot_u[k] - (float)B->u0;
        ADD_CAND((int)lroundf(c - 0.6f * sw), 0);
        ADD_CAND((int)lroundf(c + 0.6f * sw), 0);
    }
#undef ADD_CAND
    /* in order along the line */
    for (int i = 1; i < ncand; i++)
        for (int k = i; k > 0 && cand[k - 1] > cand[k]; k--) {
            int tc = cand[k];
            cand[k] = cand[k - 1];
            cand[k - 1] = tc;
        }
    return ncand;
}

static ps_status split_blob(const struct ps_page *pg, pg_split *sp, const pg_line *ln, float wmed, const pg_letter *L,
                            pg_letter *out, int *np)
{
    *np = 1;
    blob B;
    int cand[MAX_CAND];
    int ncand = blob_candidates(pg, sp, ln, L, &B, cand);
    /* pg_split_prepare loaded the models for the first line that reaches here */
    if (!ncand || sp->models <= 0)
        return PS_OK;
    float xh = B.xh, W = (float)(B.cl + 1 - B.cf);
    float dtyp = typ_median(sp);
    /* the writer's letters are this much wider than the models' */
    float wscale = wmed > 0 && sp->m->model_w > 0 ? wmed / (sp->m->model_w * xh) : 1;
    /* nodes: the left end, the cuts, the right end */
    enum { NN = MAX_CAND + 2 };
    int pos[NN], nn = 0;
    pos[nn++] = B.cf;
    for (int k = 0; k < ncand; k++)
        pos[nn++] = cand[k];
    pos[nn++] = B.cl + 1;
    const float INF = 1e30f;
    float seg[NN][NN];
    for (int i = 0; i < nn; i++)
        for (int j = 0; j < nn; j++)
            seg[i][j] = NAN;
    /* best[j][k]: the cheapest way to cover [cf, pos[j]) with k + 1 pieces */
    float best[NN][PG_SPLIT_MAX];
    int from[NN][PG_SPLIT_MAX];
    for (int j = 0; j < nn; j++)
        for (int k = 0; k < PG_SPLIT_MAX; k++)
            best[j][k] = INF;
    pg_letter P;
    float whole_doubt = 0;
#define SEG_COST(i, j)                                                                                       \
    do {                                                                                                     \
        int whole_ = (i) == 0 && (j) == nn - 1;                                                              \
        float c_ = INF;                                                                                      \
        if (make_piece(sp, &B, pos[i], pos[j], &P) && P.cls != PG_SMALL &&                                   \
            (whole_ || P.cls != PG_X || P.dx1 - P.dx0 >= NARROW_X * xh) &&                                   \
            (whole_ || P.y0 < B.base)) { /* no letter lies wholly under the baseline (a descender's loop) */ \
            const pg_glyph *g_;                                                                              \
            float d_ = piece_distance(pg, sp, &P, CLASS_MISS * dtyp, &g_);                                   \
            float wp_ = P.dx1 - P.dx0, wg_ = g_ ? g_->aspect * g_->rel_h * xh * wscale : wp_;                \
            c_ = wp_ / W * (d_ / dtyp + WIDTH_WEIGHT * fabsf(logf(wp_ / wg_)));                              \
        }                                                                                                    \
        seg[i][j] = c_;                                                                                      \
    } while (0)
    /* how much better the pieces must read: SPLIT_MARGIN of the whole for a
     * component no wider than the widest letter (an m) would be in this hand,
     * rising to 1 (cheaper is enough) at half a usual letter wider: no one
     * letter is that wide */
    float wide = wmed > 0 ? (W / wmed - sp->m->widest) / 0.5f : 0;
    float margin = SPLIT_MARGIN + (1 - SPLIT_MARGIN) * (wide < 0 ? 0 : wide > 1 ? 1 : wide);
    /* the whole first: when its share margin costs less than the cheapest
     * cut alone, no way of cutting can win */
    SEG_COST(0, nn - 1);
    if (seg[0][nn - 1] < INF) { /* P and sp->bm: the whole, as SEG_COST left them */
        char ch;
        float doubt = piece_doubt(pg, sp, &P, 1, B.ndot_free > 0, &ch);
        whole_doubt = RECOG_WEIGHT * doubt;
        /* read surely as one lower-case letter as wide as that letter is
         * in this hand (an m, a w): one letter */
        if (ch >= 'a' && ch <= 'z' && doubt < SURE_DOUBT && sp->m->char_w[ch - 'a'] > 0 &&
            fabsf(logf(W / (sp->m->char_w[ch - 'a'] * xh * wscale))) < SURE_WIDTH)
            return PS_OK;
    }
    float cheapest_cut = INF;
    for (int k = 1; k < nn - 1; k++)
        cheapest_cut = fminf(cheapest_cut, CUT_PENALTY + CUT_INK * sp->proj[pos[k]] / xh);
    if (margin * (seg[0][nn - 1] + whole_doubt) <= cheapest_cut)
        return PS_OK;
    /* pieces at most: a component under 2.1 usual letters wide holds two
     * (a middle piece would leave letters narrower than 0.7 usual) */
    int kmax = wmed > 0 ? (int)(W / (0.7f * wmed)) : PG_SPLIT_MAX;
    kmax = kmax < 2 ? 2 : kmax > PG_SPLIT_MAX ? PG_SPLIT_MAX : kmax;
    /* every cost is >= 0 and a way of cutting must cost less than bound
     * to be taken: a piece is not scored when the way to its start and the
     * cut at its end already cost that much */
    float bound = margin * (seg[0][nn - 1] + whole_doubt);
    for (int j = 1; j < nn; j++)
        for (int i = 0; i < j; i++) {
            int whole = i == 0 && j == nn - 1;
            if (!whole && pos[j] - pos[i] > MAX_PIECE_W * xh)
                continue;
            if (kmax == 2 && i != 0 && j != nn - 1)
                continue;
            float cut = j < nn - 1 ? CUT_PENALTY + CUT_INK * sp->proj[pos[j]] / xh : 0;
            float before = INF;
            for (int k = 0; k < PG_SPLIT_MAX && i > 0; k++)
                before = fminf(before, best[i][k]);
            if (!whole && (i > 0 ? before : 0) + cut >= bound)
                continue;
            if (isnan(seg[i][j]))
                SEG_COST(i, j);
            float c = seg[i][j];
            if (c >= INF)
                continue;
            if (i == 0) {
                if (c + cut < best[j][0]) {
                    best[j][0] = c + cut;
                    from[j][0] = 0;
                }
                continue;
            }
            for (int k = 1; k < PG_SPLIT_MAX; k++)
                if (best[i][k - 1] < INF && best[i][k - 1] + c + cut < best[j][k]) {
                    best[j][k] = best[i][k - 1] + c + cut;
                    from[j][k] = i;
                }
        }
#undef SEG_COST
    /* the best way with each number of pieces, judged again with the
     * trained recogniser's doubt about each piece (too slow to ask for every
     * piece the search tries) */
    float total[PG_SPLIT_MAX];
    int cuts_k[PG_SPLIT_MAX][PG_SPLIT_MAX + 1];
    total[0] = seg[0][nn - 1] + whole_doubt;
    int bk = 0;
    for (int k = 1; k < kmax; k++) {
        total[k] = INF;
        if (best[nn - 1][k] >= INF)
            continue;
        int j = nn - 1;
        for (int q = k; q >= 0; q--) {
            cuts_k[k][q + 1] = pos[j];
            j = from[j][q];
        }
        cuts_k[k][0] = pos[0];
        float doubt = 0;
        for (int q = 0; q <= k; q++)
            if (make_piece(sp, &B, cuts_k[k][q], cuts_k[k][q + 1], &P)) {
                char ch;
                doubt += (P.dx1 - P.dx0) / W * piece_doubt(pg, sp, &P, 0, 0, &ch);
            }
        total[k] = best[nn - 1][k] + RECOG_WEIGHT * doubt;
        if (total[k] < total[bk])
            bk = k;
    }
    /* cut only on clear evidence: the pieces must read as letters markedly
     * better than the whole reads as one (see margin) */
    if (bk == 0 || total[bk] > margin * total[0])
        return PS_OK;
    int *cuts = cuts_k[bk];
    int n = 0;
    for (int k = 0; k <= bk; k++)
        if (make_piece(sp, &B, cuts[k], cuts[k + 1], &out[n])) {
            if (n)
                out[n].flags |= PG_TOUCH_LEFT;
            n++;
        }
    *np = n;
    return PS_OK;
}

/* The line's usual letter width (*wmed: most components are one letter) and
 * the width from which a component is judged (returned; the ordinary letters
 * of typ_add are the narrower ones); Ls: its n letters. */
static float line_gate(pg_split *sp, const pg_line *ln, const pg_letter *Ls, int n, float *wmed)
{
    float *w = (float *)sp->xlo; /* free until a component is profiled */
    int nw = 0;
    for (int m = 0; m < n && nw < sp->cap; m++)
        if (Ls[m].cls != PG_SMALL)
            w[nw++] = Ls[m].dx1 - Ls[m].dx0;
    *wmed = nw ? median_float(w, nw) : 0;
    return GATE * ln->xh > GATE_USUAL * *wmed ? GATE * ln->xh : GATE_USUAL * *wmed;
}

/* Whether component L is judged: wider than gate, or, at any width, one with
 * a dot (an i or j touching a narrow letter, "il", "ri", "it", is narrower
 * than the gate; a lone i or j offers no cut and costs a profile). */
static int judged(const pg_letter *L, float gate)
{
    return L->cls != PG_SMALL && !(L->flags & PG_CUT) && (L->has_dot || L->dx1 - L->dx0 >= gate);
}

ps_status pg_split_prepare(struct ps_page *pg, pg_split *sp, const pg_line *ln, const pg_letter *Ls, int *state,
                           struct ps_pool *pool, pg_split *const *helpers)
{
    *state = sp->ntyp;
    /* once the models are missing, or the typical distance has its letters,
     * the lines after share nothing more */
    if (!(ln->xh > 0) || sp->models < 0 || (sp->models > 0 && sp->ntyp >= TYP_N))
        return PS_OK;
    float wmed, gate = line_gate(sp, ln, Ls, ln->n, &wmed);
    /* does a component of this line reach the models (split_blob)? */
    int reach = 0;
    for (int m = ln->n - 1; m >= 0 && !reach; m--) {
        const pg_letter *L = &Ls[m];
        if (!judged(L, gate))
            continue;
        blob B;
        int cand[MAX_CAND];
        reach = blob_candidates(pg, sp, ln, L, &B, cand) > 0;
    }
    if (!reach)
        return PS_OK;
    int ok;
    ps_status rc = load_models(pg, sp, &ok);
    if (rc != PS_OK || !ok)
        return rc;
    typ_add(pg, sp, pool, helpers, Ls, ln->n, gate);
    *state = sp->ntyp;
    return PS_OK;
}

void pg_split_resume(pg_split *sp, const pg_split *from, int state)
{
    sp->m = from->m;
    sp->models = from->models;
    memcpy(sp->typ, from->typ, sizeof(float) * (size_t)state);
    sp->ntyp = state;
}

ps_status pg_split_line(const struct ps_page *pg, pg_split *sp, pg_line *ln, pg_letter *Ls, int cap, int *added)
{
    *added = 0;
    if (!(ln->xh > 0))
        return PS_OK;
    float wmed, gate = line_gate(sp, ln, Ls, ln->n, &wmed);
    pg_letter pieces[PG_SPLIT_MAX];
    /* right to left, so the letters still to judge keep their places */
    for (int m = ln->n - 1; m >= 0; m--) {
        const pg_letter *L = &Ls[m];
        if (!judged(L, gate))
            continue;
        int np;
        ps_status rc = split_blob(pg, sp, ln, wmed, L, pieces, &np);
        if (rc != PS_OK)
            return rc;
        if (np < 2)
            continue;
        int extra = np - 1;
        if (ln->n + extra > cap)
            return ps_fail(PS_ERR_INTERNAL, "pg_split_line: no room for the pieces");
        memmove(&Ls[m + np], &Ls[m + 1], sizeof(pg_letter) * (size_t)(ln->n - m - 1));
        memcpy(&Ls[m], pieces, sizeof(pg_letter) * (size_t)np);
        ln->n += extra;
        *added += extra;
    }
    return PS_OK;
}
