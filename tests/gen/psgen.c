/* psgen: the worksheet renderer and its ground truth (see psgen.h). Glyphs are
 * placed one by one through cairo's toy font API (fontconfig family names),
 * each with its own transform, so the truth is known from the placement and
 * never measured from pixels. */
#include "psgen.h"
#include "psgen_touch.h"
#include "core/alloc.h"
#include "core/status.h"
#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MM_PER_IN 25.4

void psgen_params_default(psgen_params *p)
{
    memset(p, 0, sizeof *p);
    p->dpi = 200;
    p->page_w_mm = 148;
    p->page_h_mm = 210;
    p->ruling = PSGEN_NONE;
    p->font = "Andika";
    p->text = "the quick brown fox jumps\nover the lazy dog and\nsix big whales quickly\njumped over the cold pond";
    p->mark_offset_mm = 1.0;
    p->x_height_mm = 3.0;
    p->margin_left_mm = 15;
    p->margin_top_mm = 20;
    p->letter_gap_mm = 0.6;
    p->word_gap_mm = 2.4;
    p->ink_gray = 0.25;
    p->touch_depth_mm = 0.1;
    p->seed = 1;
}

void psgen_params_phone_photo(psgen_params *p)
{
    p->photo = 1;
    p->photo_tilt = 0.08;
    p->photo_rotate_deg = 4;
    p->photo_light = 0.4;
    p->photo_blur_px = 1;
    p->photo_noise = 4;
}

void psgen_params_child_like(psgen_params *p)
{
    p->slant_sd_deg = 6;
    p->size_sd = 0.08;
    p->baseline_sd_mm = 0.25;
    p->tremor_mm = 0.05;
    p->letter_gap_mm = 1.0;
}

/* ---- small deterministic random numbers (xorshift64*, Box-Muller) */
typedef struct rng { uint64_t s; } rng;
static double rng_uniform(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return ((r->s * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}
static double rng_normal(rng *r)
{
    double u = rng_uniform(r), v = rng_uniform(r);
    if (u < 1e-12)
        u = 1e-12;
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static int letter_class(char c)
{
    if (strchr("acemnorsuvwxz", c))
        return PSGEN_X;
    if (strchr("bdfhkl", c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return PSGEN_TALL;
    if (strchr("gpqy", c))
        return PSGEN_DESC;
    if (strchr("ij", c))
        return c == 'j' ? PSGEN_DESC : PSGEN_DOTTED;
    return PSGEN_OTHER; /* t (short ascender), punctuation */
}

/* ---- statistics used by the truth */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double median(double *v, int n)
{
    if (n <= 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
static double mean_of(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return n > 0 ? s / n : NAN;
}
static double sd_of(const double *v, int n)
{
    if (n < 2)
        return n == 1 ? 0 : NAN;
    double m = mean_of(v, n), s = 0;
    for (int i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
    return sqrt(s / (n - 1));
}
static double cv_of(const double *v, int n)
{
    double m = mean_of(v, n);
    return n >= 2 && m > 0 ? sd_of(v, n) / m : NAN;
}

/* ---- ruling */
typedef struct ruling_layout {
    double baseline_mm[256]; /* text baselines, from the page top */
    int nbase;
    double pitch_mm;          /* what --ruling-mm refers to */
} ruling_layout;

static void hline(cairo_t *cr, double y, double x0, double x1, double width)
{
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

static void draw_ruling(cairo_t *cr, const psgen_params *p, double px_per_mm, ruling_layout *L)
{
    double W = p->page_w_mm, H = p->page_h_mm, xh = p->x_height_mm;
    double s = px_per_mm;
    L->nbase = 0;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (p->ruling == PSGEN_NONE) {
        double pitch = p->line_pitch_mm > 0 ? p->line_pitch_mm : 3.2 * xh;
        for (double y = p->margin_top_mm; y < H - 10 && L->nbase < 256; y += pitch)
            L->baseline_mm[L->nbase++] = y;
        L->pitch_mm = 0;
    } else if (p->ruling == PSGEN_SINGLE) {
        double pitch = p->ruling_pitch_mm > 0 ? p->ruling_pitch_mm : 8.0;
        int step = pitch >= 2.8 * xh ? 1 : 2;
        int k = 0;
        cairo_set_source_rgb(cr, 0.55, 0.70, 0.92);
        for (double y = p->margin_top_mm; y < H - 5; y += pitch, k++) {
            hline(cr, y * s, 0, W * s, 0.2 * s);
            if (k % step == 0 && y < H - 10 && L->nbase < 256)
                L->baseline_mm[L->nbase++] = y;
        }
        L->pitch_mm = pitch;
    } else if (p->ruling == PSGEN_PRIMARY) {
        double pitch = p->ruling_pitch_mm > 0 ? p->ruling_pitch_mm : 4.0 * xh;
        for (double base = p->margin_top_mm; base < H - 10 && L->nbase < 256; base += pitch) {
            cairo_set_source_rgb(cr, 0.35, 0.50, 0.85);
            hline(cr, base * s, 0, W * s, 0.25 * s);
            hline(cr, (base - 2 * xh) * s, 0, W * s, 0.25 * s);
            double dash[2] = {2.0 * s, 1.5 * s};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_source_rgb(cr, 0.55, 0.68, 0.92);
            hline(cr, (base - xh) * s, 0, W * s, 0.2 * s);
            cairo_set_dash(cr, NULL, 0, 0);
            L->baseline_mm[L->nbase++] = base;
        }
        L->pitch_mm = pitch;
    } else { /* Seyès: 2 mm lines, a stronger line every 8 mm, red margin */
        double small = p->ruling_pitch_mm > 0 ? p->ruling_pitch_mm : 2.0;
        int k = 0;
        for (double y = p->margin_top_mm - 4 * small * 2; y < H - 2; y += small, k++) {
            if (y < 2)
                continue;
            int main_line = ((k % 4) + 4) % 4 == 0;
            if (main_line)
                cairo_set_source_rgb(cr, 0.50, 0.45, 0.78);
            else
                cairo_set_source_rgb(cr, 0.72, 0.68, 0.90);
            hline(cr, y * s, 0, W * s, (main_line ? 0.22 : 0.12) * s);
            if (main_line && y >= p->margin_top_mm - 1e-9 && y < H - 10 && L->nbase < 256)
                L->baseline_mm[L->nbase++] = y;
        }
        cairo_set_source_rgb(cr, 0.90, 0.35, 0.40);
        cairo_set_line_width(cr, 0.25 * s);
        double mx = (p->margin_left_mm - 5) * s;
        cairo_move_to(cr, mx, 0);
        cairo_line_to(cr, mx, H * s);
        cairo_stroke(cr);
        L->pitch_mm = small;
    }
}

/* ---- glyph outlines: flatten, subdivide and wobble (tremor) */
static void append_tremor_path(cairo_t *cr, cairo_path_t *flat, double amp, double wavelength, double ph1,
                               double ph2)
{
    double sx = 0, sy = 0, px = 0, py = 0;
    double step = wavelength / 12;
    for (int i = 0; i < flat->num_data; i += flat->data[i].header.length) {
        cairo_path_data_t *d = &flat->data[i];
        switch (d->header.type) {
        case CAIRO_PATH_MOVE_TO:
            sx = px = d[1].point.x;
            sy = py = d[1].point.y;
            cairo_move_to(cr, px + amp * sin(2 * M_PI * py / wavelength + ph1),
                          py + amp * sin(2 * M_PI * px / wavelength + ph2));
            break;
        case CAIRO_PATH_LINE_TO:
        case CAIRO_PATH_CLOSE_PATH: {
            double qx = d->header.type == CAIRO_PATH_LINE_TO ? d[1].point.x : sx;
            double qy = d->header.type == CAIRO_PATH_LINE_TO ? d[1].point.y : sy;
            double len = hypot(qx - px, qy - py);
            int n = (int)ceil(len / step);
            if (n < 1)
                n = 1;
            for (int k = 1; k <= n; k++) {
                double x = px + (qx - px) * k / n, y = py + (qy - py) * k / n;
                cairo_line_to(cr, x + amp * sin(2 * M_PI * y / wavelength + ph1),
                              y + amp * sin(2 * M_PI * x / wavelength + ph2));
            }
            px = qx;
            py = qy;
            if (d->header.type == CAIRO_PATH_CLOSE_PATH)
                cairo_close_path(cr);
            break;
        }
        default: break;
        }
    }
}

static ps_status grow_letters(psgen_truth *t, int *cap)
{
    if (t->letters < *cap)
        return PS_OK;
    int nc = *cap ? *cap * 2 : 256;
    psgen_letter *n = ps_realloc(t->letter, (size_t)nc * sizeof *n);
    if (!n)
        return ps_fail(PS_ERR_NOMEM, "psgen: out of memory");
    t->letter = n;
    *cap = nc;
    return PS_OK;
}

/* Least-squares line y = a + b x; returns residual RMS pieces through res. */
static void fit_line(const double *x, const double *y, int n, double *a, double *b)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        sx += x[i];
        sy += y[i];
        sxx += x[i] * x[i];
        sxy += x[i] * y[i];
    }
    double den = n * sxx - sx * sx;
    *b = n >= 2 && fabs(den) > 1e-12 ? (n * sxy - sx * sy) / den : 0;
    *a = n > 0 ? (sy - *b * sx) / n : 0;
}

static void compute_truth(const psgen_params *p, psgen_truth *t)
{
    int n = t->letters;
    double *a = ps_malloc(sizeof(double) * (n + 1) * 4);
    double *b = a + (n + 1), *c = b + (n + 1), *d = c + (n + 1);
    if (!a)
        return;
    /* per-line x-height and page x-height */
    double *line_xh = ps_calloc(t->lines + 1, sizeof(double));
    int nl = 0;
    for (int L = 0; L < t->lines; L++) {
        int k = 0;
        for (int i = 0; i < n; i++)
            if (t->letter[i].line == L && t->letter[i].cls == PSGEN_X)
                a[k++] = t->letter[i].top_mm - t->letter[i].bottom_mm;
        line_xh[L] = median(a, k);
        t->line[L].x_height_mm = line_xh[L];
        if (k)
            b[nl++] = line_xh[L];
    }
    t->x_height_mm = median(b, nl);
    /* per-word x-height CV */
    int nw = 0;
    for (int i = 0; i < n;) {
        int j = i, k = 0;
        while (j < n && t->letter[j].line == t->letter[i].line && t->letter[j].word == t->letter[i].word) {
            if (t->letter[j].cls == PSGEN_X)
                a[k++] = t->letter[j].top_mm - t->letter[j].bottom_mm;
            j++;
        }
        if (k)
            b[nw++] = median(a, k);
        i = j;
    }
    t->x_height_cv = cv_of(b, nw);
    /* ascender ratio */
    int k = 0;
    for (int i = 0; i < n; i++)
        if (t->letter[i].cls == PSGEN_TALL && line_xh[t->letter[i].line] > 0)
            a[k++] = (t->letter[i].top_mm - t->letter[i].bottom_mm) / line_xh[t->letter[i].line];
    t->ascender_ratio = median(a, k);
    /* baseline deviation: ruled = from the printed baseline, else from a
     * least-squares line through the bottoms of each line */
    double ss = 0;
    int nb = 0, on = 0;
    for (int L = 0; L < t->lines; L++) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            const psgen_letter *e = &t->letter[i];
            if (e->line != L || e->cls == PSGEN_DESC)
                continue;
            c[m] = 0.5 * (e->left_mm + e->right_mm);
            d[m] = e->bottom_mm;
            m++;
        }
        double fa = 0, fb = 0;
        if (p->ruling == PSGEN_NONE)
            fit_line(c, d, m, &fa, &fb);
        double lss = 0;
        for (int i = 0; i < m; i++) {
            double dev = d[i] - (fa + fb * c[i]);
            lss += dev * dev;
            if (fabs(dev) <= 0.2 * line_xh[L])
                on++;
        }
        ss += lss;
        nb += m;
        t->line[L].baseline_dev_mm = m ? sqrt(lss / m) : NAN;
    }
    t->baseline_dev_mm = nb ? sqrt(ss / nb) : NAN;
    t->on_line_pct = nb ? 100.0 * on / nb : NAN;
    /* gaps */
    int ng = 0, nwg = 0;
    for (int i = 0; i + 1 < n; i++) {
        const psgen_letter *e = &t->letter[i], *f = &t->letter[i + 1];
        if (e->line != f->line)
            continue;
        if (e->word == f->word)
            a[ng++] = f->left_mm - e->right_mm;
        else
            b[nwg++] = f->left_mm - e->right_mm;
    }
    t->letter_gap_cv = cv_of(a, ng);
    t->letter_gap_mm = median(a, ng);
    t->word_gap_cv = cv_of(b, nwg);
    t->word_gap_mm = median(b, nwg);
    t->word_gap_ratio = t->word_gap_mm / t->x_height_mm;
    /* slant */
    for (int i = 0; i < n; i++)
        a[i] = t->letter[i].slant_deg;
    t->slant_deg = mean_of(a, n);
    t->slant_sd_deg = sd_of(a, n);
    for (int L = 0; L < t->lines; L++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (t->letter[i].line == L)
                a[m++] = t->letter[i].slant_deg;
        t->line[L].slant_deg = mean_of(a, m);
    }
    /* line angles and margin drift */
    for (int L = 0; L < t->lines; L++) {
        a[L] = t->line[L].angle_deg;
        c[L] = L;
        d[L] = t->line[L].first_left_mm;
    }
    t->line_angle_sd_deg = sd_of(a, t->lines);
    double fa, fb;
    fit_line(c, d, t->lines, &fa, &fb);
    t->margin_drift_mm = t->lines >= 2 ? fb : NAN;
    ps_free(line_xh);
    ps_free(a);
}

static void image_from_surface(cairo_surface_t *surf, ps_image *out, int rgb)
{
    cairo_surface_flush(surf);
    const uint8_t *src = cairo_image_surface_get_data(surf);
    int stride = cairo_image_surface_get_stride(surf);
    for (int y = 0; y < out->height; y++) {
        const uint32_t *s = (const uint32_t *)(src + (size_t)y * stride);
        uint8_t *d = out->data + (size_t)y * out->stride;
        for (int x = 0; x < out->width; x++) {
            uint32_t v = s[x];
            int r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
            if (rgb) {
                d[3 * x] = r;
                d[3 * x + 1] = g;
                d[3 * x + 2] = b;
            } else {
                d[x] = (uint8_t)((r * 77 + g * 150 + b * 29 + 128) >> 8);
            }
        }
    }
}

ps_status psgen_photo(const psgen_params *p, const ps_image *page, ps_image *out, psgen_truth *t);

/* A glyph's transform: the line frame, then the pen (origin_px along the
 * line, off_px up), then the shear about the baseline, then the scale, then
 * a mirror about the ink centre column mirror_cx (NAN: none). */
static void glyph_matrix(const cairo_matrix_t *line_m, double origin_px, double off_px, double slant_deg,
                         double scale, double mirror_cx, cairo_matrix_t *m)
{
    cairo_matrix_t tmp;
    *m = *line_m;
    cairo_matrix_translate(m, origin_px, -off_px);
    cairo_matrix_init(&tmp, 1, 0, -tan(slant_deg * M_PI / 180), 1, 0, 0);
    cairo_matrix_multiply(m, &tmp, m);
    cairo_matrix_scale(m, scale, scale);
    if (isfinite(mirror_cx)) {
        cairo_matrix_translate(m, mirror_cx, 0);
        cairo_matrix_scale(m, -1, 1);
        cairo_matrix_translate(m, -mirror_cx, 0);
    }
}

ps_status psgen_render(const psgen_params *p, ps_image *out, psgen_truth *t)
{
    memset(t, 0, sizeof *t);
    memset(out, 0, sizeof *out);
    if (!p || !p->text || !p->font || !(p->dpi > 10) || !(p->page_w_mm > 10) || !(p->page_h_mm > 10))
        return ps_fail(PS_ERR_INVALID_ARG, "psgen: bad parameters");
    double s = p->dpi / MM_PER_IN; /* px per mm */
    int W = (int)lround(p->page_w_mm * s), H = (int)lround(p->page_h_mm * s);
    if ((double)W * H > 200e6)
        return ps_fail(PS_ERR_LIMIT, "psgen: page too large");
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return ps_fail(PS_ERR_NOMEM, "psgen: cannot create a %dx%d surface", W, H);
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    ruling_layout L;
    draw_ruling(cr, p, s, &L);

    /* font size such that the median x-height letter is x_height_mm tall */
    cairo_select_font_face(cr, p->font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    /* no hinting: glyphs must scale exactly, or the truth drifts from the ink */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_font_size(cr, 100);
    double hx[13];
    const char *xs = "acemnorsuvwxz";
    for (int i = 0; i < 13; i++) {
        char str[2] = {xs[i], 0};
        cairo_text_extents_t e;
        cairo_text_extents(cr, str, &e);
        hx[i] = e.height;
    }
    double xh100 = median(hx, 13);
    double font_px = 100.0 * p->x_height_mm * s / (xh100 > 1 ? xh100 : 50);
    cairo_set_font_size(cr, font_px);
    cairo_scaled_font_t *sf = cairo_get_scaled_font(cr);

    rng r = {0x9E3779B97F4A7C15ULL ^ ((uint64_t)p->seed * 0x2545F4914F6CDD1DULL + 1)};
    int cap = 0, nlines_alloc = L.nbase > 0 ? L.nbase : 1;
    psgen_mask prev_mask = {0}, cur_mask = {0}; /* the last letter's ink and this one's */
    t->line = ps_calloc(nlines_alloc, sizeof *t->line);
    ps_status rc = t->line ? PS_OK : ps_fail(PS_ERR_NOMEM, "psgen: out of memory");
    double ink = p->ink_gray;
    const char *txt = p->text;
    size_t tlen = strlen(txt);
    int line = 0, word = 0;
    size_t pos = 0;
    while (rc == PS_OK && pos < tlen && line < L.nbase) {
        size_t eol = pos;
        while (eol < tlen && txt[eol] != '\n')
            eol++;
        double angle = p->ruling == PSGEN_NONE ? p->line_angle_sd_deg * rng_normal(&r) : 0;
        double wave_phase = p->ruling == PSGEN_NONE && p->line_wave_mm > 0 ? 2 * M_PI * rng_uniform(&r) : 0;
        double x0mm = p->margin_left_mm + line * p->margin_drift_mm;
        psgen_line *ln = &t->line[line];
        ln->x0_px = x0mm * s;
        ln->base_y_px = L.baseline_mm[line] * s;
        ln->angle_deg = angle;
        ln->first_left_mm = NAN;
        cairo_matrix_t line_m;
        cairo_matrix_init_translate(&line_m, ln->x0_px, ln->base_y_px);
        cairo_matrix_rotate(&line_m, -angle * M_PI / 180);
        double pen = 0; /* mm along the line: where the next letter's ink starts */
        int in_word = 0, first = 1;
        word = 0;
        for (size_t i = pos; i < eol && rc == PS_OK; i++) {
            char ch = txt[i];
            if (ch == ' ') {
                if (in_word) {
                    word++;
                    in_word = 0;
                    pen += p->word_gap_mm + p->word_gap_sd_mm * rng_normal(&r) - p->letter_gap_mm;
                }
                continue;
            }
            char mark = p->marks && i < strlen(p->marks) ? p->marks[i] : '.';
            cairo_glyph_t *glyphs = NULL;
            int ng = 0;
            char str[2] = {ch, 0};
            if (cairo_scaled_font_text_to_glyphs(sf, 0, 0, str, 1, &glyphs, &ng, NULL, NULL, NULL) !=
                    CAIRO_STATUS_SUCCESS || ng < 1) {
                cairo_glyph_free(glyphs);
                continue;
            }
            cairo_text_extents_t e;
            cairo_scaled_font_glyph_extents(sf, glyphs, 1, &e);
            double scale = 1 + p->size_sd * rng_normal(&r);
            if (scale < 0.5)
                scale = 0.5;
            double slant = p->slant_deg + p->slant_sd_deg * rng_normal(&r);
            double off_mm = p->baseline_sd_mm * rng_normal(&r);
            if (p->ruling == PSGEN_NONE && p->line_wave_mm > 0) {
                double len = p->line_wave_len_mm > 0 ? p->line_wave_len_mm : 60;
                off_mm += p->line_wave_mm * sin(2 * M_PI * (pen + 0.5 * e.width * scale / s) / len + wave_phase);
            }
            if (mark == 'u')
                off_mm += p->mark_offset_mm;
            else if (mark == 'd')
                off_mm -= p->mark_offset_mm;
            if ((rc = grow_letters(t, &cap)) != PS_OK) {
                cairo_glyph_free(glyphs);
                break;
            }
            int touch = mark == 't' && in_word && t->letters > 0, collided = 0;
            if (p->touch_prob > 0 && in_word && t->letters > 0 && rng_uniform(&r) < p->touch_prob)
                touch = 1;
            double ph1 = 0, ph2 = 0;
            if (p->tremor_mm > 0) {
                ph1 = rng_uniform(&r) * 6.28;
                ph2 = rng_uniform(&r) * 6.28;
            }
            /* the glyph's outline in page pixels at the pen */
            cairo_matrix_t m;
            glyph_matrix(&line_m, pen * s - e.x_bearing * scale, off_mm * s, slant, scale,
                         mark == 'r' ? e.x_bearing + e.width / 2 : NAN, &m);
            cairo_save(cr);
            cairo_set_matrix(cr, &m);
            glyphs[0].x = glyphs[0].y = 0;
            cairo_new_path(cr);
            cairo_glyph_path(cr, glyphs, 1);
            cairo_identity_matrix(cr);
            if (p->tremor_mm > 0) {
                cairo_path_t *flat = cairo_copy_path_flat(cr);
                cairo_new_path(cr);
                append_tremor_path(cr, flat, p->tremor_mm * s, 0.8 * s, ph1, ph2);
                cairo_path_destroy(flat);
            }
            /* 'o': cut the closing part of the bowl, a narrow band at the top of the x-height */
            double xhg = xh100 * font_px / 100; /* x-height in glyph units */
            double cut[4] = {e.x_bearing + 0.55 * e.width, -xhg - 0.1 * xhg, 0.22 * e.width, 0.4 * xhg};
            int has_cut = mark == 'o';
            int same_line = t->letters > 0 && t->letter[t->letters - 1].line == line;
            rc = psgen_mask_from_path(cr, has_cut ? &m : NULL, has_cut ? cut : NULL, &cur_mask);
            if (rc == PS_OK && touch && same_line && prev_mask.a) {
                /* slide left along the line until the inks meet, then on
                 * by the touch depth; sub-pixel placement can leave a hair
                 * of paper, so half-pixel steps follow until they connect */
                double shift_px = psgen_contact_shift(&prev_mask, &cur_mask);
                if (shift_px < 1e29) {
                    double depth = p->touch_depth_mm * s;
                    double total = shift_px + depth;
                    for (int tries = 0; tries < 12 && rc == PS_OK; tries++) {
                        cairo_path_t *path = cairo_copy_path(cr);
                        double dx = -total, dy = 0;
                        cairo_matrix_transform_distance(&line_m, &dx, &dy);
                        cairo_new_path(cr);
                        cairo_translate(cr, dx, dy);
                        cairo_append_path(cr, path);
                        cairo_identity_matrix(cr);
                        cairo_path_destroy(path);
                        pen -= total / s;
                        glyph_matrix(&line_m, pen * s - e.x_bearing * scale, off_mm * s, slant, scale,
                                     mark == 'r' ? e.x_bearing + e.width / 2 : NAN, &m);
                        rc = psgen_mask_from_path(cr, has_cut ? &m : NULL, has_cut ? cut : NULL, &cur_mask);
                        if (rc != PS_OK || psgen_masks_touch(&prev_mask, &cur_mask))
                            break;
                        total = 0.5;
                    }
                    collided = 1;
                }
            }
            double bx0, by0, bx1, by1;
            cairo_fill_extents(cr, &bx0, &by0, &bx1, &by1);
            /* a letter that would run past the page's right edge (less a
             * 2 mm margin) ends its line, as a writer starts a new one: ink
             * off the page is not in the image, so it cannot be in the truth */
            if (rc == PS_OK && bx1 > W - 2 * s) {
                cairo_new_path(cr);
                cairo_restore(cr);
                cairo_glyph_free(glyphs);
                break;
            }
            t->collisions += collided;
            if (has_cut) {
                cairo_path_t *path = cairo_copy_path(cr);
                cairo_new_path(cr);
                cairo_rectangle(cr, 0, 0, W, H);
                cairo_set_matrix(cr, &m);
                cairo_rectangle(cr, cut[0], cut[1], cut[2], cut[3]);
                cairo_identity_matrix(cr);
                cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
                cairo_clip(cr);
                cairo_new_path(cr);
                cairo_append_path(cr, path);
                cairo_path_destroy(path);
                cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
            }
            cairo_set_source_rgb(cr, ink, ink, ink * 1.05);
            cairo_fill(cr);
            cairo_restore(cr);
            cairo_glyph_free(glyphs);
            if (rc != PS_OK)
                break;

            psgen_letter *le = &t->letter[t->letters++];
            le->ch = ch;
            le->line = line;
            le->word = word;
            le->cls = letter_class(ch);
            le->mark = mark;
            le->x0 = bx0;
            le->y0 = by0;
            le->x1 = bx1;
            le->y1 = by1;
            le->left_mm = pen;
            le->right_mm = pen + e.width * scale / s;
            le->top_mm = -e.y_bearing * scale / s + off_mm;
            le->bottom_mm = -(e.y_bearing + e.height) * scale / s + off_mm;
            le->slant_deg = slant;
            le->touch_prev = same_line && psgen_masks_touch(&prev_mask, &cur_mask);
            t->touching += le->touch_prev;
            le->ink_x = le->ink_y = -1;
            if (cur_mask.a)
                psgen_mask_anchor(&cur_mask, &le->ink_x, &le->ink_y);
            {
                psgen_mask tmpm = prev_mask;
                prev_mask = cur_mask;
                cur_mask = tmpm;
            }
            if (mark == 'r' && strchr("abcdefghjkpqrstyz2345679BCDEFGJKLNPQRSZ", ch))
                t->reversals++; /* mirroring a symmetric letter (o, x, v...) changes nothing */
            if (mark == 'o' && strchr("abdgopq0689", ch))
                t->closure_cuts++; /* cuts elsewhere open nothing that should close */
            if (first) {
                ln->first_left_mm = x0mm + pen;
                first = 0;
            }
            ln->nletters++;
            pen = le->right_mm + p->letter_gap_mm + p->letter_gap_sd_mm * rng_normal(&r);
            in_word = 1;
        }
        if (!first) {
            t->words += word + (in_word ? 1 : 0);
            line++;
        }
        pos = eol + 1;
    }
    psgen_mask_release(&prev_mask);
    psgen_mask_release(&cur_mask);
    t->lines = line;
    t->ruling = p->ruling;
    t->dpi = p->dpi;
    t->ruling_pitch_mm = L.pitch_mm;
    cairo_destroy(cr);
    if (rc == PS_OK) {
        compute_truth(p, t);
        ps_image page;
        rc = ps_image_alloc(&page, W, H, p->rgb ? 3 : 1);
        if (rc == PS_OK) {
            image_from_surface(surf, &page, p->rgb);
            if (p->photo) {
                rc = psgen_photo(p, &page, out, t);
                ps_image_release(&page);
            } else {
                *out = page;
            }
        }
    }
    cairo_surface_destroy(surf);
    if (rc != PS_OK)
        psgen_truth_release(t);
    return rc;
}

void psgen_truth_release(psgen_truth *t)
{
    if (!t)
        return;
    ps_free(t->letter);
    ps_free(t->line);
    memset(t, 0, sizeof *t);
}
