/* A cheap look for a fine printed ruling (Seyès: a line every 2 mm) in the
 * row profile of the working gray image, before binarisation and ruling
 * detection. Pages whose writing is that small are analysed at a finer
 * scale; knowing it this early spares the binarisation and ruling search of
 * a pass that would be thrown away. The answer only chooses where to start:
 * the ruling found at the finer scale must confirm it (page.c). */
#include "page/page_internal.h"
#include "core/alloc.h"
#include <math.h>

#define MAX_LAG 256

/* The correlation of the profile with itself moved by lag rows, over its energy e. */
static double corr(const double *v, int n, double e, int lag)
{
    double c = 0;
    for (int y = 0; y + lag < n; y++)
        c += v[y] * v[y + lag];
    return c / e;
}

/* The pitch: the strongest correlation up to max_pitch rows, repeated at
 * two, three and four pitches (a ruling, not one feature); from the fourth
 * for a fraction of a row. 0 when there is none. */
static double periodic_pitch(const double *v, int n, double e, double max_pitch)
{
    double r[MAX_LAG];
    int top = (int)ceil(max_pitch) + 2, p = 0;
    for (int lag = 3; lag <= top; lag++)
        r[lag] = corr(v, n, e, lag);
    for (int lag = 4; lag < top; lag++)
        if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && (!p || r[lag] > r[p]))
            p = lag;
    if (!p || r[p] < 0.3)
        return 0;
    int at4 = 0;
    for (int k = 2; k <= 4; k++) {
        double m = 0;
        for (int lag = k * p - k; lag <= k * p + k && lag < MAX_LAG; lag++) {
            double c = corr(v, n, e, lag);
            if (c > m) {
                m = c;
                at4 = lag;
            }
        }
        if (m < 0.3)
            return 0;
    }
    return at4 / 4.0;
}

double pg_fine_ruling_pitch(const ps_image *img, int x0, int x1, double max_pitch)
{
    int h = img->height, win = (int)(2 * max_pitch) + 1;
    if (max_pitch < 4 || 4 * max_pitch + 8 >= MAX_LAG || h < 24 * max_pitch || x0 < 0 || x1 > img->width ||
        x1 - x0 < 16)
        return 0;
    double *prof = ps_malloc(sizeof(double) * 2 * (size_t)h);
    if (!prof)
        return 0;
    double *hp = prof + h;
    /* darkness per row over the band (green of a colour image: it shows
     * blue and red printed lines); a narrow band keeps a residual tilt from
     * smearing the lines */
    int step = img->channels >= 3 ? img->channels : 1, ch = img->channels >= 3 ? 1 : 0;
    for (int y = 0; y < h; y++) {
        const uint8_t *r = img->data + (size_t)y * img->stride + (size_t)x0 * step + ch;
        unsigned s = 0, n = 0;
        if (step == 1) {
            for (int x = 0; x < x1 - x0; x++) /* contiguous: vectorises */
                s += r[x];
            n = (unsigned)(x1 - x0);
        } else {
            for (int x = 0; x < x1 - x0; x += 2, n++) /* every second pixel: a line spans the band */
                s += r[(size_t)x * step];
        }
        prof[y] = 255.0 * n - s;
    }
    /* minus its running mean over about two pitches: light gradients and
     * the writing's slow bumps go, thin printed lines stay */
    double sum = 0;
    int half = win / 2;
    for (int y = 0; y < win && y < h; y++)
        sum += prof[y];
    for (int y = 0; y < h; y++) {
        if (y < half || y >= h - half) {
            hp[y] = 0;
            continue;
        }
        hp[y] = prof[y] - sum / win;
        if (y + half + 1 < h)
            sum += prof[y + half + 1] - prof[y - half];
    }
    double e = 0;
    for (int y = 0; y < h; y++)
        e += hp[y] * hp[y];
    double best = 0;
    if (e > 0)
        best = periodic_pitch(hp, h, e, max_pitch);
    ps_free(prof);
    return best;
}
