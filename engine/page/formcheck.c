/* Reversal and closure of a letter, judged in ways that do not depend on one
 * model font (letterform.c asks them for each letter matched to the text).
 *
 * Reversal: the trained recogniser (recog.c) has seen many hands. A letter
 * is called reversed when its horizontal mirror image reads clearly as the
 * expected letter and the letter as drawn does not: a child's mirrored b
 * mirrors back into a b, while a b drawn in an unusual hand reads as a b (or
 * as nothing clear) either way. Requiring both readings, with a margin
 * between them, keeps an odd-looking letter from being called a reversal
 * (a therapist reads a reversal as a clinical finding: false alarms cost
 * more than misses).
 *
 * Closure: a topological test on the letter's own pixels at working
 * resolution. The letter closes when, after bridging gaps narrower than a
 * tolerance tied to the page's stroke width (binarisation and scanning open
 * such hairlines in a closed bowl), paper is enclosed by ink over an area
 * that is a fair share of the x-height squared. */
#include "page/formcheck.h"
#include "core/alloc.h"
#include <ctype.h>
#include <math.h>
#include <string.h>

/* Letters whose mirror image is another letter or no letter; the others
 * (A H I M O T U V W X Y i l m n o u v w x 0 1 8) look the same mirrored. */
static const char differs_mirrored[] = "abcdefghjkpqrstyz2345679BCDEFGJKLNPQRSZ";
/* Letters with a bowl or loop that closes in print and in school hands. */
static const char should_close[] = "abdgopq0689";

int pg_mirror_differs(char e) { return e && strchr(differs_mirrored, e) != NULL; }
int pg_should_close(char e) { return e && strchr(should_close, e) != NULL; }

/* The recogniser's probability that the letter is e in either case: a
 * reversal is about which way a letter faces, not its case, and children mix
 * cases (a hand that writes its lower case as small capitals, like Humor
 * Sans, reads as capitals both ways; with e's own class only, 31 % of its
 * mirrored letters were found, 66 % with both cases, and the fonts the
 * thresholds were chosen on found 439 and 438 with no false alarm either way:
 * this rule was taken after seeing Humor Sans). */
static float evidence(const pg_recog *r, const float *p, char e)
{
    int k = pg_recog_class_of(r, e);
    float v = k >= 0 ? p[k] : 0;
    char o = (char)(islower((unsigned char)e) ? toupper((unsigned char)e) : tolower((unsigned char)e));
    if (o != e) {
        int j = pg_recog_class_of(r, o);
        v += j >= 0 ? p[j] : 0;
    }
    return v;
}

int pg_reversed_by_recog(const pg_recog *r, const uint8_t *bm, const pg_recog_geom *geo, char e, float *p_drawn,
                         float *p_mirror)
{
    float feat[PG_RECOG_NF], p[PG_RECOG_MAX_CLASSES];
    uint8_t mb[PG_GN * PG_GN];
    pg_recog_features(bm, geo, feat);
    pg_recog_classify(r, feat, p);
    float a = evidence(r, p, e);
    /* the normalised letter is centred in its box: mirroring the box mirrors
     * the letter about its own centre; its place on the line is unchanged */
    for (int y = 0; y < PG_GN; y++)
        for (int x = 0; x < PG_GN; x++)
            mb[y * PG_GN + x] = bm[y * PG_GN + (PG_GN - 1 - x)];
    pg_recog_features(mb, geo, feat);
    pg_recog_classify(r, feat, p);
    float b = evidence(r, p, e);
    if (p_drawn)
        *p_drawn = a;
    if (p_mirror)
        *p_mirror = b;
    return pg_mirror_differs(e) && b >= PG_REV_MIRROR_MIN && a <= PG_REV_DRAWN_MAX;
}

/* Chamfer (3-4) distance, in thirds of a pixel, from every pixel of a w x h
 * grid to the nearest pixel where src[i] == val. */
static void chamfer(const uint8_t *src, uint8_t val, int w, int h, int32_t *d)
{
    const int32_t FAR = 1 << 28;
    for (int i = 0; i < w * h; i++)
        d[i] = src[i] == val ? 0 : FAR;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int32_t *p = &d[y * w + x];
            if (x > 0 && p[-1] + 3 < *p) *p = p[-1] + 3;
            if (y > 0) {
                if (p[-w] + 3 < *p) *p = p[-w] + 3;
                if (x > 0 && p[-w - 1] + 4 < *p) *p = p[-w - 1] + 4;
                if (x + 1 < w && p[-w + 1] + 4 < *p) *p = p[-w + 1] + 4;
            }
        }
    for (int y = h - 1; y >= 0; y--)
        for (int x = w - 1; x >= 0; x--) {
            int32_t *p = &d[y * w + x];
            if (x + 1 < w && p[1] + 3 < *p) *p = p[1] + 3;
            if (y + 1 < h) {
                if (p[w] + 3 < *p) *p = p[w] + 3;
                if (x + 1 < w && p[w + 1] + 4 < *p) *p = p[w + 1] + 4;
                if (x > 0 && p[w - 1] + 4 < *p) *p = p[w - 1] + 4;
            }
        }
}

/* Enclosed paper regions (4-connected, not touching the grid's border) of
 * at least min_area pixels in m (1 = ink); m's paper is marked 2 on the way. */
static int count_holes(uint8_t *m, int w, int h, int min_area, int32_t *stack)
{
    int holes = 0;
    for (int s = 0; s < w * h; s++) {
        if (m[s])
            continue;
        int sp = 0, area = 0, border = 0;
        stack[sp++] = s;
        m[s] = 2;
        while (sp) {
            int p = stack[--sp], px = p % w, py = p / w;
            area++;
            if (px == 0 || py == 0 || px == w - 1 || py == h - 1)
                border = 1;
            int nb[4] = {px > 0 ? p - 1 : -1, px + 1 < w ? p + 1 : -1, py > 0 ? p - w : -1, py + 1 < h ? p + w : -1};
            for (int k = 0; k < 4; k++)
                if (nb[k] >= 0 && !m[nb[k]]) {
                    m[nb[k]] = 2;
                    stack[sp++] = nb[k];
                }
        }
        if (!border && area >= min_area)
            holes++;
    }
    return holes;
}

void pg_close_scratch_release(pg_close_scratch *s)
{
    ps_free(s->ink);
    ps_free(s->m);
    ps_free(s->d);
    ps_free(s->stack);
    memset(s, 0, sizeof *s);
}

/* room for n pixels: grown only when a larger letter comes */
static int scratch_fit(pg_close_scratch *s, size_t n)
{
    if (n <= s->cap)
        return 1;
    pg_close_scratch_release(s);
    s->ink = ps_malloc(n);
    s->m = ps_malloc(n);
    s->d = ps_malloc(sizeof(int32_t) * n);
    s->stack = ps_malloc(sizeof(int32_t) * n);
    if (!s->ink || !s->m || !s->d || !s->stack) {
        pg_close_scratch_release(s);
        return 0;
    }
    s->cap = n;
    return 1;
}

int pg_letter_closes(const struct ps_page *pg, const pg_letter *L, double xh, double stroke_px, pg_close_scratch *s)
{
    if (!(xh > 0))
        return -1;
    double sw = stroke_px > 1 ? stroke_px : 1;
    /* bridge gaps up to PG_CLOSE_GAP_SW stroke widths: a closing with a disc
     * of half that radius */
    double rad = 0.5 * PG_CLOSE_GAP_SW * sw;
    int pad = (int)ceil(rad) + 2;
    int w = L->x1 - L->x0 + 2 * pad, h = L->y1 - L->y0 + 2 * pad;
    if (w <= 0 || h <= 0)
        return -1;
    size_t n = (size_t)w * h;
    if (!scratch_fit(s, n))
        return -1;
    uint8_t *ink = s->ink, *m = s->m;
    int32_t *d = s->d, *stack = s->stack;
    memset(ink, 0, n);
    for (int y = L->y0; y < L->y1; y++)
        for (int x = L->x0; x < L->x1; x++)
            if (pg_letter_has(pg, L, x, y))
                ink[(size_t)(y - L->y0 + pad) * w + (x - L->x0 + pad)] = 1;
    /* a counter smaller than this is a speck of paper in a blot, not a bowl */
    int min_area = (int)(PG_CLOSE_MIN_AREA_XH2 * xh * xh);
    if (min_area < 2)
        min_area = 2;
    /* as drawn */
    memcpy(m, ink, n);
    if (count_holes(m, w, h, min_area, stack) > 0)
        return 1;
    /* closing: dilate (paper within rad of ink becomes ink), then erode (ink
     * within rad of the dilation's paper becomes paper again) */
    int32_t r3 = (int32_t)lrint(3 * rad);
    chamfer(ink, 1, w, h, d);
    for (size_t i = 0; i < n; i++)
        m[i] = d[i] <= r3;
    chamfer(m, 0, w, h, d);
    for (size_t i = 0; i < n; i++)
        m[i] = d[i] > r3;
    return count_holes(m, w, h, min_area, stack) > 0;
}
