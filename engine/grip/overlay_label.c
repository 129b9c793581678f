/* The grasp label of the grip overlay (see overlay_label.h).
 *
 * Sizes: a photo is looked at scaled to fit a screen of about 1600 x 1000
 * pixels, so the title is 20 screen pixels tall at that scale (never less
 * than 12 image pixels, below which no screen makes it readable) and the
 * reasons 0.8 of it. The title is also kept small enough for about 24
 * characters to fit on a line of a narrow image. Text is wrapped at spaces
 * to the image width (a word wider than a line is broken between
 * characters); when the lines need more than half the image height the sizes
 * shrink to their floors and then the last reasons are left out, the last
 * line saying so (they are all in the JSON detail). The box goes to the
 * corner that covers the hand and the pencil least. */
#include "grip/overlay_label.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SCREEN_W 1600.0
#define SCREEN_H 1000.0
#define TITLE_SCREEN_PX 20.0
#define TITLE_MIN_PX 12.0
#define BODY_RATIO 0.8
#define BODY_MIN_PX 10.0
#define MIN_CHARS_PER_LINE 24.0
#define AVG_CHAR_EM 0.55     /* average advance of a sans-serif character, in ems */
#define MAX_HEIGHT_SHARE 0.5 /* of the image height */

void grip_box_clamp(double *x, double *y, double w, double h, int width, int height)
{
    if (*x + w > width)
        *x = width - w;
    if (*y + h > height)
        *y = height - h;
    if (*x < 0)
        *x = 0;
    if (*y < 0)
        *y = 0;
}

/* Horizontal room the glyphs of s take from the pen position (ink or advance, whichever is wider). */
static double text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    return fmax(te.x_advance, te.x_bearing + te.width) - fmin(0, te.x_bearing);
}

typedef struct line_sink {
    grip_label_line *lines;
    int n, cap;
    int overflow;
} line_sink;

static void emit(line_sink *k, const char *s, size_t len, double size, int title, int *first)
{
    if (k->n >= k->cap) {
        k->overflow = 1;
        return;
    }
    grip_label_line *l = &k->lines[k->n++];
    memset(l, 0, sizeof *l);
    if (len >= sizeof l->text)
        len = sizeof l->text - 1;
    memcpy(l->text, s, len);
    l->text[len] = 0;
    l->size = size;
    l->title = title;
    l->first = *first;
    *first = 0;
}

/* Longest prefix of s (at most n bytes, cut at a UTF-8 character boundary) that fits maxw; at least one character. */
static size_t fitting_prefix(cairo_t *cr, const char *s, size_t n, double maxw)
{
    char buf[GRIP_LABEL_LINE_CAP];
    size_t best = 0;
    for (size_t k = 1; k <= n && k < sizeof buf; k++) {
        if (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
            continue;  /* inside a multi-byte character */
        memcpy(buf, s, k);
        buf[k] = 0;
        if (text_w(cr, buf) > maxw)
            break;
        best = k;
    }
    if (!best) {  /* not even one character fits: take one anyway (the caller clips the box) */
        best = 1;
        while (best < n && ((unsigned char)s[best] & 0xC0) == 0x80)
            best++;
    }
    return best;
}

/* Greedy word wrap of text into lines of at most maxw pixels at the current font. */
static void wrap(cairo_t *cr, const char *text, double maxw, double size, int title, line_sink *k)
{
    int first = 1;
    char cur[GRIP_LABEL_LINE_CAP] = "";
    size_t cl = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t wl = strcspn(p, " ");
        /* the word on the current line */
        char cand[GRIP_LABEL_LINE_CAP];
        if (cl && cl + 1 + wl < sizeof cand) {
            memcpy(cand, cur, cl);
            cand[cl] = ' ';
            memcpy(cand + cl + 1, p, wl);
            cand[cl + 1 + wl] = 0;
            if (text_w(cr, cand) <= maxw) {
                memcpy(cur, cand, cl + 1 + wl + 1);
                cl += 1 + wl;
                p += wl;
                continue;
            }
        }
        if (cl) {  /* start a new line with the word */
            emit(k, cur, cl, size, title, &first);
            cl = 0;
            cur[0] = 0;
        }
        /* the word alone: broken between characters while it is too wide */
        while (wl) {
            char w[GRIP_LABEL_LINE_CAP];
            size_t take = wl < sizeof w ? wl : sizeof w - 1;
            memcpy(w, p, take);
            w[take] = 0;
            if (take == wl && text_w(cr, w) <= maxw) {
                memcpy(cur, w, take + 1);
                cl = take;
                p += wl;
                break;  /* the rest of the word fits: it starts the next line */
            }
            size_t pre = fitting_prefix(cr, p, wl, maxw);
            emit(k, p, pre, size, title, &first);
            p += pre;
            wl -= pre;
        }
    }
    if (cl)
        emit(k, cur, cl, size, title, &first);
}

static void title_of(const ps_grip_result *r, char *title, size_t cap)
{
    char name[40];
    snprintf(name, sizeof name, "%s", ps_grasp_name(r->grasp));
    for (char *c = name; *c; c++)
        if (*c == '_')
            *c = ' ';
    if (r->grasp == PS_GRASP_UNKNOWN)
        snprintf(title, cap, "grasp: unknown%s", r->pencil_found ? "" : " (no pencil found)");
    else
        snprintf(title, cap, "%s (%s), %.0f%% sure", name, ps_grasp_maturity_name(r->grasp_maturity),
                 100 * r->grasp_confidence);
}

/* The title in bold, the reasons in regular weight. */
static void set_font(cairo_t *cr, double size, int title)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           title ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double line_step(cairo_t *cr, double size, int title)
{
    cairo_font_extents_t fe;
    set_font(cr, size, title);
    cairo_font_extents(cr, &fe);
    return fmax(fe.height, fe.ascent + fe.descent) * 1.05;
}

#define BULLET "- "
#define REASON_GAP 0.3  /* extra space above each reason, in lines */

/* Vertical room of a line: its font's line height, plus the gap above a reason. */
static double step_of(const grip_label_line *l, double ts, double bs)
{
    return l->title ? ts : bs * (1 + (l->first ? REASON_GAP : 0));
}

/* Wraps title and reasons at the given sizes; returns the text block's height. */
static double wrap_all(cairo_t *cr, const ps_grip_result *r, const char *title, double tsize, double bsize,
                       double maxw, line_sink *k)
{
    k->n = 0;
    k->overflow = 0;
    set_font(cr, tsize, 1);
    wrap(cr, title, maxw, tsize, 1, k);
    set_font(cr, bsize, 0);
    double indent = text_w(cr, BULLET);
    for (int i = 0; i < r->n_criteria; i++)
        wrap(cr, r->criteria[i].text, maxw - indent, bsize, 0, k);
    double h = 0;
    double ts = line_step(cr, tsize, 1), bs = line_step(cr, bsize, 0);
    for (int i = 0; i < k->n; i++)
        h += step_of(&k->lines[i], ts, bs);
    return h;
}

/* Area of the overlap of two boxes. */
static double overlap(double ax, double ay, double aw, double ah, const double roi[4])
{
    double w = fmin(ax + aw, roi[2]) - fmax(ax, roi[0]);
    double h = fmin(ay + ah, roi[3]) - fmax(ay, roi[1]);
    return w > 0 && h > 0 ? w * h : 0;
}

static void grow(double roi[4], double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    roi[0] = fmin(roi[0], x), roi[1] = fmin(roi[1], y);
    roi[2] = fmax(roi[2], x), roi[3] = fmax(roi[3], y);
}

void grip_label_layout_compute(cairo_t *cr, const ps_grip_result *r, const float (*lm)[3], int width, int height,
                               grip_label_layout *out)
{
    memset(out, 0, sizeof *out);
    if (!r || width <= 0 || height <= 0)
        return;
    char title[160];
    title_of(r, title, sizeof title);

    double view = fmax(width / SCREEN_W, height / SCREEN_H);
    double tsize = fmax(TITLE_MIN_PX, TITLE_SCREEN_PX * view);
    tsize = fmin(tsize, fmax(TITLE_MIN_PX, 0.9 * width / (MIN_CHARS_PER_LINE * AVG_CHAR_EM)));
    double bsize = fmax(BODY_MIN_PX, BODY_RATIO * tsize);
    double max_h = MAX_HEIGHT_SHARE * height;

    line_sink k = {out->line, 0, GRIP_LABEL_MAX_LINES, 0};
    double pad = 0, maxw = 0, text_h = 0;
    for (;;) {
        pad = 0.4 * tsize;
        maxw = width - 4 * pad;  /* a margin of one pad outside the box and one inside, each side */
        if (maxw < 4 * tsize * AVG_CHAR_EM)
            return;  /* not even a few characters fit: no label rather than an unreadable one */
        text_h = wrap_all(cr, r, title, tsize, bsize, maxw, &k);
        if (text_h + 2 * pad <= max_h && !k.overflow)
            break;
        if (tsize <= TITLE_MIN_PX && bsize <= BODY_MIN_PX)
            break;
        tsize = fmax(TITLE_MIN_PX, 0.9 * tsize);
        bsize = fmax(BODY_MIN_PX, 0.9 * bsize);
    }
    double ts = line_step(cr, tsize, 1), bs = line_step(cr, bsize, 0);
    if (text_h + 2 * pad > max_h || k.overflow) {
        /* keep the first lines that fit, then one saying the rest is in the JSON */
        out->truncated = 1;
        double room = max_h - 2 * pad;
        int keep = k.n;
        for (;;) {
            double h = 0;
            int n = 0;
            while (n < keep && h + step_of(&k.lines[n], ts, bs) <= room)
                h += step_of(&k.lines[n++], ts, bs);
            k.n = n;
            k.overflow = 0;
            set_font(cr, bsize, 0);
            wrap(cr, "... more reasons in the JSON detail", maxw - text_w(cr, BULLET), bsize, 0, &k);
            text_h = h;
            for (int i = n; i < k.n; i++)
                text_h += step_of(&k.lines[i], ts, bs);
            if (text_h <= room || n <= 1) {
                if (text_h > room)  /* too small for even that: the first line alone */
                    k.n = 1, text_h = step_of(&k.lines[0], ts, bs);
                break;
            }
            keep = n - 1;
        }
    }
    out->n_lines = k.n;
    out->title_size = tsize;
    out->body_size = bsize;

    /* the box around the widest line */
    set_font(cr, bsize, 0);
    double indent = text_w(cr, BULLET);
    double wmax = 0;
    for (int i = 0; i < out->n_lines; i++) {
        grip_label_line *l = &out->line[i];
        l->indent = l->title ? 0 : indent;
        set_font(cr, l->size, l->title);
        wmax = fmax(wmax, l->indent + text_w(cr, l->text));
    }
    out->box_w = fmin(wmax + 2 * pad, width);
    out->box_h = fmin(text_h + 2 * pad, height);

    /* the corner covering the hand and the pencil least (top-left first on ties) */
    double roi[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    if (lm)
        for (int i = 0; i < 21; i++)
            grow(roi, lm[i][0], lm[i][1]);
    if (r->pencil_found) {
        grow(roi, r->pencil.tip[0], r->pencil.tip[1]);
        grow(roi, r->pencil.end[0], r->pencil.end[1]);
    }
    double m = pad;
    double cx[4] = {m, width - m - out->box_w, m, width - m - out->box_w};
    double cy[4] = {m, m, height - m - out->box_h, height - m - out->box_h};
    int best = 0;
    double best_ov = INFINITY;
    for (int c = 0; c < 4; c++) {
        double x = cx[c], y = cy[c];
        grip_box_clamp(&x, &y, out->box_w, out->box_h, width, height);
        double ov = roi[0] <= roi[2] ? overlap(x, y, out->box_w, out->box_h, roi) : 0;
        if (ov < best_ov - 1e-6) {
            best_ov = ov;
            best = c;
        }
        cx[c] = x, cy[c] = y;
    }
    out->box_x = cx[best];
    out->box_y = cy[best];

    /* baselines, and each line's ink box */
    double y = out->box_y + pad;
    for (int i = 0; i < out->n_lines; i++) {
        grip_label_line *l = &out->line[i];
        cairo_font_extents_t fe;
        set_font(cr, l->size, l->title);
        cairo_font_extents(cr, &fe);
        double step = step_of(l, ts, bs), line = l->title ? ts : bs;
        l->x = out->box_x + pad + l->indent;
        l->y = y + (step - line) + fe.ascent + 0.5 * (line - (fe.ascent + fe.descent));
        cairo_text_extents_t te;
        cairo_text_extents(cr, l->text, &te);
        l->ink_x0 = l->x - l->indent + fmin(0, te.x_bearing);
        l->ink_x1 = l->x + fmax(te.x_advance, te.x_bearing + te.width);
        l->ink_y0 = l->y + te.y_bearing;
        l->ink_y1 = l->y + te.y_bearing + te.height;
        y += step;
    }
    out->shown = out->n_lines > 0;
}

void grip_label_draw(cairo_t *cr, const grip_label_layout *L)
{
    if (!L->shown)
        return;
    cairo_save(cr);
    /* text and box never leave the box (and so the image) even if a glyph's ink were wider than measured */
    cairo_rectangle(cr, L->box_x, L->box_y, L->box_w, L->box_h);
    cairo_clip(cr);
    /* a near-opaque white box with a thin dark edge: dark text on it reads
     * at a contrast of more than 10:1 whatever the photo behind */
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_rectangle(cr, L->box_x, L->box_y, L->box_w, L->box_h);
    cairo_fill(cr);
    double edge = fmax(1.0, L->body_size / 12);
    cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.8);
    cairo_set_line_width(cr, edge);
    cairo_rectangle(cr, L->box_x + edge / 2, L->box_y + edge / 2, L->box_w - edge, L->box_h - edge);
    cairo_stroke(cr);
    for (int i = 0; i < L->n_lines; i++) {
        const grip_label_line *l = &L->line[i];
        set_font(cr, l->size, l->title);
        if (l->title)
            cairo_set_source_rgb(cr, 0.0, 0.25, 0.48);
        else
            cairo_set_source_rgb(cr, 0.12, 0.12, 0.12);
        if (l->first && !l->title) {
            cairo_move_to(cr, l->x - l->indent, l->y);
            cairo_show_text(cr, BULLET);
        }
        cairo_move_to(cr, l->x, l->y);
        cairo_show_text(cr, l->text);
    }
    cairo_restore(cr);
}
