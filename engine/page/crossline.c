/* Letters of two writing lines joined in one ink component: a descender of
 * one line running into an ascender of the line below (writing lines close
 * together). Such a component has ink in the body of both lines; it is cut
 * along the row, between the upper line's baseline and the lower line's
 * letter bodies, that crosses the least of its ink, and each line gets its
 * part (PG_YCUT: the component's pixels in rows [ycut0, ycut1)). */
#include "page/page_internal.h"
#include <math.h>

int pg_crossline_cut(const struct ps_page *pg, const pg_comp *c, int lab, double y_up, double y_low, double h0,
                     int *row)
{
    /* ink in both bodies: above the upper baseline by well over a stroke,
     * and down to within the lower line's letter bodies */
    if (!(y_low - y_up > 0.8 * h0) || c->y0 > y_up - 0.4 * h0 || c->y1 < y_low - 0.4 * h0)
        return 0;
    int ra = (int)ceil(y_up), rb = (int)floor(y_low - 0.5 * h0);
    if (ra < c->y0 + 1)
        ra = c->y0 + 1;
    if (rb > c->y1 - 1)
        rb = c->y1 - 1;
    if (rb < ra)
        return 0;
    int W = pg->mask.width, best = -1, best_n = 1 << 30;
    double mid = 0.5 * (ra + rb);
    for (int y = ra; y <= rb; y++) {
        const int32_t *L = pg->labels + (size_t)y * W;
        int n = 0;
        for (int x = c->x0; x < c->x1; x++)
            n += L[x] == lab;
        /* the thinnest row; among equals the one nearest the middle */
        if (n < best_n || (n == best_n && fabs(y - mid) < fabs(best - mid))) {
            best_n = n;
            best = y;
        }
    }
    /* a join is thin: a stroke or two, not a letter's body */
    if (best < 0 || best_n > 0.6 * h0)
        return 0;
    *row = best;
    return 1;
}

int pg_comp_rows_box(const struct ps_page *pg, const pg_comp *c, int lab, int ya, int yb, int box[4], int *area)
{
    int W = pg->mask.width, x0 = 1 << 30, x1 = -1, y0 = 1 << 30, y1 = -1, n = 0;
    for (int y = ya; y < yb; y++) {
        const int32_t *L = pg->labels + (size_t)y * W;
        for (int x = c->x0; x < c->x1; x++)
            if (L[x] == lab) {
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
                n++;
            }
    }
    if (!n)
        return 0;
    box[0] = x0;
    box[1] = y0;
    box[2] = x1 + 1;
    box[3] = y1 + 1;
    *area = n;
    return 1;
}
