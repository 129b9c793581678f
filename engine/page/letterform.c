/* Letter form with --text: the letters found are aligned to the expected
 * letters (edit distance whose substitution cost is the shape distance to
 * the expected letter's models), then each matched letter is recognised
 * (the trained recogniser, recog.c, which never sees the expected letter),
 * compared with its reference model (form), and checked for a reversal
 * (it reads as itself only when mirrored) and, where it should have one,
 * for an enclosed counter (closure): formcheck.c. */
#include "page/glyphs.h"
#include "page/recog.h"
#include "page/formcheck.h"
#include "core/alloc.h"
#include "page/kernels/pk.h"
#include "core/status.h"
#include <ctype.h>
#include <math.h>
#include <string.h>

/* floor() for values well inside int's range, without the libm call that
 * floor is on a build without SSE4.1 (same value) */
static inline int floor_int(double v)
{
    int i = (int)v;
    return i > v ? i - 1 : i;
}

int pg_letter_normalise(const struct ps_page *pg, const pg_letter *L, uint8_t *bm, float *dt)
{
    const pg_line *ln = &pg->line[L->line];
    double t = tan(ln->slant_deg * M_PI / 180);
    double base = ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1);
    double w = L->dx1 - L->dx0, h = L->y1 - L->y0;
    if (w <= 0 || h <= 0)
        return 0;
    double sc = PG_GFIT / (w > h ? w : h), ox = (PG_GN - w * sc) / 2, oy = (PG_GN - h * sc) / 2;
    /* the letter's pixels looked up once into a local copy of its box (when
     * it is small enough for the stack), not 16 times per model pixel */
    enum { LOCAL = 16384 };
    uint8_t local[LOCAL + 4]; /* 4 more bytes: the sampling kernel reads words */
    int bw = L->x1 - L->x0, bh = L->y1 - L->y0, use_local = bw > 0 && bh > 0 && bw * bh <= LOCAL;
    if (use_local) {
        for (int y = L->y0; y < L->y1; y++)
            for (int x = L->x0; x < L->x1; x++)
                local[(y - L->y0) * bw + (x - L->x0)] = (uint8_t)pg_letter_has(pg, L, x, y);
        memset(local + bw * bh, 0, 4);
    }
    const pk_table *pk = pk_kernels();
    /* 4 x 4 samples per model pixel: columns X of the deslanted letter per
     * (u, sx), rows Y per (v, sy) */
    double Xs[PG_GN * 4];
    for (int u = 0; u < PG_GN; u++)
        for (int sx = 0; sx < 4; sx++)
            Xs[u * 4 + sx] = L->dx0 + (u + (sx + 0.5) / 4 - ox) / sc;
    int ink = 0;
    for (int v = 0; v < PG_GN; v++) {
        int hits[PG_GN] = {0};
        for (int sy = 0; sy < 4; sy++) {
            double Y = L->y0 + (v + (sy + 0.5) / 4 - oy) / sc;
            int yi = floor_int(Y);
            if (yi < L->y0 || yi >= L->y1)
                continue;
            if (use_local) {
                pk->sample_row(local + (yi - L->y0) * bw, L->x0, bw, Xs, (base - Y) * t, PG_GN, hits);
                continue;
            }
            for (int u = 0; u < PG_GN; u++)
                for (int sx = 0; sx < 4; sx++) {
                    double xs = Xs[u * 4 + sx] + (base - Y) * t; /* back onto the slanted page */
                    int xi = floor_int(xs);
                    if (xi >= L->x0 && xi < L->x1 &&
                        (use_local ? local[(yi - L->y0) * bw + (xi - L->x0)] : pg_letter_has(pg, L, xi, yi)))
                        hits[u]++;
                }
        }
        for (int u = 0; u < PG_GN; u++) {
            bm[v * PG_GN + u] = hits[u] >= 8;
            ink += hits[u] >= 8;
        }
    }
    if (!ink)
        return 0;
    pg_glyph_dt(bm, dt);
    return 1;
}

/* Shapes that are the same letter in upper and lower case, or a letter and
 * a digit, in print: recognising one for the other is no misreading. Lower
 * l and capital I are both one upright stroke in print (Andika, Comic Neue)
 * and in most handwriting; only their height could tell them apart, and a
 * child's letter heights do not. */
static int same_shape(char a, char b)
{
    if (a == b)
        return 1;
    char la = (char)tolower((unsigned char)a), lb = (char)tolower((unsigned char)b);
    if (la == lb && strchr("cosvwxz", la))
        return 1;
    if ((la == 'o' && b == '0') || (a == '0' && lb == 'o'))
        return 1;
    if ((a == 'l' && b == 'I') || (a == 'I' && b == 'l'))
        return 1;
    return 0;
}

ps_status pg_text_measure(struct ps_page *pg, const pg_glyphset *set)
{
    const char *text = pg->params.text;
    int ne = 0;
    for (const char *c = text; *c; c++)
        ne += isalnum((unsigned char)*c) != 0;
    char *E = ps_malloc((size_t)ne + 1);
    int *F = ps_malloc(sizeof(int) * ((size_t)pg->nletter + 1));
    if (!E || !F) {
        ps_free(E);
        ps_free(F);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    ne = 0;
    for (const char *c = text; *c; c++)
        if (isalnum((unsigned char)*c))
            E[ne++] = *c;
    int nf = 0;
    for (int i = 0; i < pg->nletter; i++)
        if (pg->letter[i].cls != PG_SMALL)
            F[nf++] = i;
    double *M = pg->metric;
    M[22] = ne;
    size_t cells;
    if (!ps_size_mul_ok((size_t)nf + 1, (size_t)ne + 1, &cells) || cells > 16u << 20) {
        pg_warn(pg, "--text: %d expected and %d found letters are too many to align", ne, nf);
        ps_free(E);
        ps_free(F);
        return PS_OK;
    }
    /* distances of each found letter to each model */
    uint8_t bm[PG_GN * PG_GN];
    float dt[PG_GN * PG_GN];
    float *D = ps_malloc(sizeof(float) * ((size_t)nf * set->n + 1));
    char *R = ps_malloc((size_t)nf + 1); /* what the recogniser reads */
    float *cost = ps_malloc(sizeof(float) * cells);
    uint8_t *move = ps_malloc(cells);
    if (!D || !R || !cost || !move) {
        ps_free(E);
        ps_free(F);
        ps_free(D);
        ps_free(R);
        ps_free(cost);
        ps_free(move);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    /* the models of letters the text does not hold are never consulted */
    uint8_t wanted[256] = {0};
    for (int j = 0; j < ne; j++)
        wanted[(unsigned char)E[j]] = 1;
    for (int i = 0; i < nf; i++) {
        pg_letter *L = &pg->letter[F[i]];
        int ok = pg_letter_normalise(pg, L, bm, dt);
        for (int g = 0; g < set->n; g++)
            D[(size_t)i * set->n + g] = ok && wanted[(unsigned char)set->g[g].ch]
                                            ? pg_glyph_distance(bm, dt, set->g[g].bm, set->g[g].dt)
                                            : 64;
        R[i] = '?';
        if (ok && set->recog) {
            pg_recog_geom geo;
            float feat[PG_RECOG_NF];
            pg_recog_letter_geom(pg, L, &geo);
            pg_recog_features(bm, &geo, feat);
            R[i] = set->recog->cls[pg_recog_classify(set->recog, feat, NULL)];
        }
    }
    /* edit distance: substitution costs the shape distance to the expected
     * letter's closest model, scaled so that 4 px (a different letter) costs
     * as much as an omission plus an insertion would save */
    const float INDEL = 1.0f, DSCALE = 4.0f;
    int W = ne + 1;
    /* a found letter as wide as two expected letters side by side may be two
     * letters touching (one ink component): expected widths from the
     * reference models' proportions and the line's x-height */
    double gap_px = 0;
    {
        double *g = ps_malloc(sizeof(double) * ((size_t)nf + 1));
        int ng = 0;
        for (int i = 0; g && i + 1 < nf; i++) {
            const pg_letter *a = &pg->letter[F[i]], *b = &pg->letter[F[i + 1]];
            if (a->line == b->line && a->word == b->word)
                g[ng++] = b->dx0 - a->dx1;
        }
        gap_px = g && ng ? pg_median(g, ng) : 0;
        ps_free(g);
    }
    for (int i = 0; i <= nf; i++)
        for (int j = 0; j <= ne; j++) {
            size_t k = (size_t)i * W + j;
            if (i == 0 && j == 0) {
                cost[k] = 0;
                move[k] = 0;
                continue;
            }
            float best = 1e30f;
            uint8_t mv = 0;
            if (i > 0 && j > 0) {
                float d = 64;
                for (int g = 0; g < set->n; g++)
                    if (set->g[g].ch == E[j - 1] && D[(size_t)(i - 1) * set->n + g] < d)
                        d = D[(size_t)(i - 1) * set->n + g];
                float sub = d / DSCALE;
                if (sub > 2 * INDEL)
                    sub = 2 * INDEL;
                best = cost[k - W - 1] + sub;
                mv = 1;
            }
            if (i > 0 && cost[k - W] + INDEL < best) {
                best = cost[k - W] + INDEL; /* found letter not expected: insertion */
                mv = 2;
            }
            if (j > 0 && cost[k - 1] + INDEL < best) {
                best = cost[k - 1] + INDEL; /* expected letter not found: omission */
                mv = 3;
            }
            if (i > 0 && j > 1) { /* two expected letters touching in one found */
                const pg_glyph *g1 = pg_glyphs_reference(set, E[j - 2]), *g2 = pg_glyphs_reference(set, E[j - 1]);
                const pg_letter *L = &pg->letter[F[i - 1]];
                double xh = pg->line[L->line].xh;
                if (g1 && g2 && xh > 0) {
                    double want = (g1->aspect * g1->rel_h + g2->aspect * g2->rel_h) * xh + gap_px;
                    float sp = (float)(0.4 + 1.5 * fabs((L->dx1 - L->dx0) - want) / xh);
                    if (sp < 2 * INDEL && cost[k - W - 2] + sp < best) {
                        best = cost[k - W - 2] + sp;
                        mv = 4;
                    }
                }
            }
            cost[k] = best;
            move[k] = mv;
        }
    int matched = 0, ins = 0, om = 0, legible = 0, rev = 0, open = 0, touching = 0;
    pg_close_scratch close_scratch = {0};
    double form_sum = 0;
    int form_n = 0;
    for (int i = nf, j = ne; i > 0 || j > 0;) {
        uint8_t mv = move[(size_t)i * W + j];
        if (mv == 1) {
            pg_letter *L = &pg->letter[F[i - 1]];
            char e = E[j - 1];
            L->expect = e;
            matched++;
            char rc = R[i - 1];
            L->recog = rc;
            legible += same_shape(rc, e);
            const pg_glyph *ref = pg_glyphs_reference(set, e);
            if (ref) {
                float d = D[(size_t)(i - 1) * set->n + (ref - set->g)];
                /* form: 100 for the model's shape, 0 at 5 px mean distance */
                L->form = (float)(d < 5 ? 100 * (1 - d / 5) : 0);
                form_sum += L->form;
                form_n++;
            }
            /* reversal: the letter reads as itself only when mirrored; the
             * recogniser knows many hands, one model font does not
             * (formcheck.c) */
            if (set->recog && pg_mirror_differs(e) && pg_letter_normalise(pg, L, bm, dt)) {
                pg_recog_geom geo;
                pg_recog_letter_geom(pg, L, &geo);
                if (pg_reversed_by_recog(set->recog, bm, &geo, e, NULL, NULL)) {
                    L->flags |= PG_REVERSED;
                    rev++;
                }
            }
            /* closure: enclosed paper, hairline gaps bridged (formcheck.c) */
            if (pg_should_close(e) && pg_letter_closes(pg, L, pg->line[L->line].xh, pg->stroke_px, &close_scratch) == 0) {
                L->flags |= PG_OPEN;
                open++;
            }
            i--;
            j--;
        } else if (mv == 4) {
            pg_letter *L = &pg->letter[F[i - 1]];
            L->expect = E[j - 2];
            L->recog = '?';
            L->flags |= PG_SPLIT;
            matched += 2;
            touching++;
            i--;
            j -= 2;
        } else if (mv == 2) {
            pg->letter[F[i - 1]].flags |= PG_INSERTED;
            ins++;
            i--;
        } else {
            om++;
            j--;
        }
    }
    M[14] += touching; /* letters touching a neighbour, found through the text */
    M[23] = matched;
    M[24] = om;
    M[25] = ins;
    M[26] = ne ? 100.0 * legible / ne : NAN;
    M[27] = rev;
    M[28] = open;
    M[29] = form_n ? form_sum / form_n : NAN;
    pg_close_scratch_release(&close_scratch);
    ps_free(E);
    ps_free(F);
    ps_free(D);
    ps_free(R);
    ps_free(cost);
    ps_free(move);
    return PS_OK;
}
