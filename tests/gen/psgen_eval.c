/* Scoring a page analysis against psgen's truth (see psgen_eval.h). */
#include "psgen_eval.h"
#include "page/formcheck.h"
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void psgen_score_letter_counts(const psgen_truth *t, const ps_page_t *pg, psgen_count_score *s)
{
    int nl = ps_page_line_count(pg);
    for (int i = 0; i < t->lines; i++) {
        int first = -1, n = 0;
        for (int k = 0; k < t->letters; k++)
            if (t->letter[k].line == i) {
                if (first < 0)
                    first = k;
                n++;
            }
        if (n == 0)
            continue;
        const psgen_letter *mid = &t->letter[first + n / 2];
        const psgen_line *tl = &t->line[i];
        double px_mm = t->dpi / 25.4;
        double xh = isfinite(tl->x_height_mm) ? tl->x_height_mm : t->x_height_mm;
        double x = 0.5 * (mid->x0 + mid->x1);
        double base = tl->base_y_px - (x - tl->x0_px) * tan(tl->angle_deg * M_PI / 180);
        double ix, iy;
        psgen_page_to_image(t, x, base - 0.5 * xh * px_mm, &ix, &iy);
        int best = -1;
        double bd = 1e30;
        for (int j = 0; j < nl; j++) {
            ps_page_line_info li;
            if (ps_page_get_line(pg, j, &li) != PS_OK || iy < li.y0 || iy > li.y1)
                continue;
            double f = li.x1 > li.x0 ? (ix - li.x0) / (li.x1 - li.x0) : 0;
            double d = fabs(li.base_y0 + f * (li.base_y1 - li.base_y0) - iy);
            if (d < bd) {
                bd = d;
                best = j;
            }
        }
        int found = 0;
        if (best >= 0) {
            const pg_line *ln = &pg->line[best];
            for (int m = ln->first; m < ln->first + ln->n; m++)
                found += pg->letter[m].cls != PG_SMALL;
        }
        s->lines++;
        s->lines_exact += found == n;
        s->abs_err += abs(found - n);
        s->letters += n;
        s->found += found;
    }
}

/* The letter of the analysis whose ink holds page pixel (x, y) or one of its
 * neighbours in the working image, -1 when none. The working image is the
 * page shrunk by pg->factor and turned by pg->skew_deg about its centre. */
static int letter_at(const ps_page_t *pg, double x, double y)
{
    double a = pg->skew_deg * M_PI / 180, c = cos(a), s = sin(a);
    double cx = pg->gray.width / 2.0, cy = pg->gray.height / 2.0;
    double px = (x + 0.5) / pg->factor - cx, py = (y + 0.5) / pg->factor - cy;
    int wx = (int)floor(cx + c * px + s * py), wy = (int)floor(cy - s * px + c * py);
    for (int r = 0; r <= 2; r++)
        for (int dy = -r; dy <= r; dy++)
            for (int dx = -r; dx <= r; dx++) {
                int qx = wx + dx, qy = wy + dy;
                if ((abs(dx) != r && abs(dy) != r) || qx < 0 || qy < 0 || qx >= pg->mask.width ||
                    qy >= pg->mask.height)
                    continue;
                for (int i = 0; i < pg->nletter; i++) {
                    const pg_letter *L = &pg->letter[i];
                    if (L->cls != PG_SMALL && qx >= L->x0 && qx < L->x1 && qy >= L->y0 && qy < L->y1 &&
                        pg_letter_has(pg, L, qx, qy))
                        return i;
                }
            }
    return -1;
}

void psgen_score_touch_pairs(const psgen_truth *t, const ps_page_t *pg, psgen_pair_score *s)
{
    if (t->photo || pg->rectified || !pg->nletter)
        return;
    int *at = malloc(sizeof(int) * (size_t)(t->letters + 1));
    int *owner = malloc(sizeof(int) * (size_t)(pg->nletter + 1));
    int *pieces = calloc((size_t)t->letters + 1, sizeof(int));
    int *cut = calloc((size_t)t->letters + 1, sizeof(int));
    if (!at || !owner || !pieces || !cut)
        goto done;
    for (int k = 0; k < t->letters; k++) {
        const psgen_letter *e = &t->letter[k];
        at[k] = e->ink_x >= 0 ? letter_at(pg, e->ink_x, e->ink_y) : -1;
    }
    for (int k = 1; k < t->letters; k++) {
        const psgen_letter *e = &t->letter[k], *f = &t->letter[k - 1];
        if (!e->touch_prev || f->line != e->line || f->ch < 'a' || f->ch > 'z' || e->ch < 'a' || e->ch > 'z')
            continue;
        if (at[k] < 0 || at[k - 1] < 0) {
            s->unknown++;
            continue;
        }
        s->pairs[f->ch - 'a'][e->ch - 'a']++;
        s->split[f->ch - 'a'][e->ch - 'a'] += at[k] != at[k - 1];
    }
    /* each letter of the analysis goes to the truth letter, among those
     * whose ink pixel lies in it, whose box centre is nearest its own */
    for (int i = 0; i < pg->nletter; i++) {
        const pg_letter *L = &pg->letter[i];
        owner[i] = -1;
        if (L->cls == PG_SMALL)
            continue;
        ps_page_letter_info li;
        if (ps_page_get_letter(pg, i, &li) != PS_OK)
            continue;
        double mx = 0.5 * (li.x0 + li.x1), my = 0.5 * (li.y0 + li.y1), bd = 1e30;
        for (int k = 0; k < t->letters; k++) {
            const psgen_letter *e = &t->letter[k];
            if (my < e->y0 || my > e->y1 || mx < e->x0 || mx > e->x1)
                continue;
            double d = fabs(0.5 * (e->x0 + e->x1) - mx);
            if (d < bd) {
                bd = d;
                owner[i] = k;
            }
        }
        if (owner[i] >= 0) {
            pieces[owner[i]]++;
            cut[owner[i]] |= (L->flags & PG_CUT) != 0;
        }
    }
    for (int k = 0; k < t->letters; k++) {
        char ch = t->letter[k].ch;
        if (ch < 'a' || ch > 'z')
            continue;
        s->letters[ch - 'a']++;
        s->oversplit[ch - 'a'] += pieces[k] >= 2 && cut[k];
    }
done:
    free(at);
    free(owner);
    free(pieces);
    free(cut);
}

/* Labels the page's ink at half coverage: labels (free with pg_ws_put(NULL,
 * ...)), nc components. */
static ps_status label_page(const psgen_truth *t, const ps_image *img, int32_t **labels, int *nc)
{
    *labels = NULL;
    *nc = 0;
    if (t->photo)
        return ps_fail(PS_ERR_INVALID_ARG, "psgen: a photo has no page pixels");
    ps_image mask;
    ps_status rc = ps_image_alloc(&mask, img->width, img->height, 1);
    if (rc != PS_OK)
        return rc;
    /* half coverage of the default ink (0.25 gray) on white paper */
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++) {
            const uint8_t *p = img->data + (size_t)y * img->stride + (size_t)x * img->channels;
            int g = img->channels >= 3 ? (p[0] * 77 + p[1] * 150 + p[2] * 29 + 128) >> 8 : p[0];
            mask.data[(size_t)y * mask.stride + x] = g < 160 ? 255 : 0;
        }
    pg_comp *comps = NULL;
    rc = pg_label(NULL, NULL, &mask, labels, &comps, nc); /* no workspace: labels are ps_aligned_alloc'ed */
    ps_image_release(&mask);
    ps_free(comps);
    return rc;
}

/* The component under each letter's ink pixel (0: none). */
static int letter_label(const psgen_letter *e, const ps_image *img, const int32_t *labels)
{
    if (e->ink_x >= 0 && e->ink_x < img->width && e->ink_y >= 0 && e->ink_y < img->height)
        return labels[(size_t)e->ink_y * img->width + e->ink_x];
    return 0;
}

ps_status psgen_crossline_components(const psgen_truth *t, const ps_image *img, int *across)
{
    *across = 0;
    int32_t *labels;
    int nc;
    ps_status rc = label_page(t, img, &labels, &nc);
    if (rc != PS_OK)
        return rc;
    int *line = ps_malloc(sizeof(int) * ((size_t)nc + 1));
    if (!line) {
        pg_ws_put(NULL, labels);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i <= nc; i++)
        line[i] = -1;
    for (int k = 0; k < t->letters; k++) {
        int lab = letter_label(&t->letter[k], img, labels);
        if (!lab)
            continue;
        if (line[lab] >= 0 && line[lab] != t->letter[k].line && line[lab] < 1 << 20) {
            (*across)++;
            line[lab] = 1 << 20; /* counted */
        } else if (line[lab] < 0) {
            line[lab] = t->letter[k].line;
        }
    }
    ps_free(line);
    pg_ws_put(NULL, labels);
    return PS_OK;
}

ps_status psgen_touch_components(const psgen_truth *t, const ps_image *img, int *groups, int *pairs, int *agree)
{
    *groups = *pairs = *agree = 0;
    int32_t *labels;
    int nc;
    ps_status rc = label_page(t, img, &labels, &nc);
    if (rc != PS_OK)
        return rc;
    int *count = ps_calloc((size_t)nc + 1, sizeof(int));
    if (!count) {
        pg_ws_put(NULL, labels);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int prev_lab = 0, prev_line = -1;
    for (int k = 0; k < t->letters; k++) {
        const psgen_letter *e = &t->letter[k];
        int lab = letter_label(e, img, labels);
        if (lab)
            count[lab]++;
        int joined = lab && e->line == prev_line && lab == prev_lab;
        *pairs += joined;
        *agree += joined == (e->touch_prev != 0);
        prev_lab = lab;
        prev_line = e->line;
    }
    for (int i = 1; i <= nc; i++)
        *groups += count[i] >= 2;
    ps_free(count);
    pg_ws_put(NULL, labels);
    return PS_OK;
}

void psgen_formcheck_marks(const char *text, int marked, char *marks)
{
    size_t n = strlen(text);
    int nr = 0, no = 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        marks[i] = '.';
        if (!marked || c == ' ' || c == '\n')
            continue;
        if (pg_should_close(c) && no++ % 3 == 1)
            marks[i] = 'o';
        else if (pg_mirror_differs(c) && nr++ % 3 == 0)
            marks[i] = 'r';
    }
    marks[n] = 0;
}

ps_status psgen_render_analyse(const psgen_params *p, double dpi, const char *models, psgen_truth *t,
                               ps_page_t **pg)
{
    *pg = NULL;
    ps_image img;
    ps_status rc = psgen_render(p, &img, t);
    if (rc != PS_OK)
        return rc;
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = dpi;
    pp.models_dir = models;
    rc = ps_page_analyse(&img, &pp, pg);
    ps_image_release(&img);
    if (rc != PS_OK)
        psgen_truth_release(t);
    return rc;
}
