/* psrecog_train: trains the letter recogniser of models/glyphs/letters.recog.
 *
 * Every character a-z, A-Z, 0-9 of every font file in a list (the fonts of
 * the Debian packages in scripts/train-packages.txt) is rendered many times
 * with distortions that model a child's writing: size, width (aspect),
 * residual slant up to +-20 degrees, small rotations, a smooth elastic warp
 * and a finer tremor of the outline, stroke width (emboldening, and
 * thinning through blur and threshold), broken strokes, blur and
 * binarisation at a random level. Each rendering is normalised exactly as
 * the page analyser normalises a letter (pg_letter_normalise: ink box
 * fitted into 28 of 32 pixels), described by the engine's own
 * pg_recog_features and its place on the line (top, bottom against the
 * baseline in x-heights, with the error a line's x-height estimate has), and
 * a one-hidden-layer MLP is trained on the descriptors with minibatch SGD
 * (momentum, weight decay, label smoothing, cosine learning rate). One
 * thread and fixed seeds: the same list, options and build give the same
 * model file, byte for byte.
 *
 *   psrecog_train --fonts tests/gen/recog_fonts.txt --out models/glyphs/letters.recog
 *   psrecog_train --fonts LIST --val VALLIST ...   (per-font accuracy on fonts left out)
 *
 * Font list lines: FILE WEIGHT [comment]; FILE is absolute or under
 * /usr/share/fonts; WEIGHT scales the renderings per character. */
#include "page/recog.h"
#include <cairo-ft.h>
#include <cairo.h>
#include <cblas.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void openblas_set_num_threads(int);

static double g_size_sd = 0.15; /* --size-sd: log-sd of a letter's size against its line's x-height */
/* --lower-prior: renderings of lower-case letters per upper-case one or digit. A page of writing
 * is mostly lower case; 3 (against 1) read the five validation fonts' lower case 92.7 % against
 * 89.5 % and all 62 characters 86.2 against 85.4 % (bench/RESULTS.md, Letter recogniser) */
static double g_lower = 3;
static double g_warp = 1.8;     /* --warp: scales the elastic and tremor amplitudes */
static const char CLASSES[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
#define NC 62
#define NF PG_RECOG_NF

/* ---- deterministic random numbers (xorshift64*) */
typedef struct rng { uint64_t s; } rng;
static double uni(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return ((r->s * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}
static double gauss(rng *r)
{
    double u = uni(r), v = uni(r);
    return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}
static double range(rng *r, double a, double b) { return a + (b - a) * uni(r); }

/* ---- fonts */
typedef struct font {
    char path[512];
    double weight;
    int set;        /* 0 all characters, 1 upper case and digits, 2 lower case and digits */
    FT_Face face;
    cairo_font_face_t *cf;
    double xh_em;   /* x-height per unit font size (mean ink height of x-height letters) */
} font;

static FT_Library ft;

static int read_list(const char *path, font **out, int *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "psrecog_train: cannot open %s\n", path);
        return -1;
    }
    char line[1024];
    int cap = 16;
    *out = calloc(cap, sizeof(font));
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        char file[512], set[16] = "all";
        double w = 1;
        if (line[0] == '#' || sscanf(line, "%511s %lf %15s", file, &w, set) < 1)
            continue;
        if (strcmp(set, "all") && strcmp(set, "upper") && strcmp(set, "lower")) {
            fprintf(stderr, "psrecog_train: %s: bad set '%s' for %s\n", path, set, file);
            fclose(f);
            return -1;
        }
        if (*n == cap)
            *out = realloc(*out, sizeof(font) * (cap *= 2));
        font *F = &(*out)[(*n)++];
        memset(F, 0, sizeof *F);
        snprintf(F->path, sizeof F->path, "%s%.480s", file[0] == '/' ? "" : "/usr/share/fonts/", file);
        F->weight = w;
        F->set = !strcmp(set, "upper") ? 1 : !strcmp(set, "lower") ? 2 : 0;
    }
    fclose(f);
    return 0;
}

/* ink box of a rendered A8 image at threshold th; returns 0 when empty */
static int ink_box(const uint8_t *px, int w, int h, int st, int th, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = w, *y0 = h, *x1 = -1, *y1 = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (px[y * st + x] >= th) {
                if (x < *x0) *x0 = x;
                if (x > *x1) *x1 = x;
                if (y < *y0) *y0 = y;
                if (y > *y1) *y1 = y;
            }
    (*x1)++, (*y1)++;
    return *x1 > 0;
}

static int open_font(font *F)
{
    if (FT_New_Face(ft, F->path, 0, &F->face)) {
        fprintf(stderr, "psrecog_train: cannot load font %s (install scripts/train-packages.txt)\n", F->path);
        return -1;
    }
    F->cf = cairo_ft_font_face_create_for_ft_face(F->face, 0);
    /* x-height: mean ink height of the x-height letters at size 100 */
    int S = 300;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, S, S);
    cairo_t *cr = cairo_create(s);
    cairo_set_font_face(cr, F->cf);
    cairo_set_font_size(cr, 100);
    double sum = 0;
    int k = 0;
    for (const char *c = "acemnorsuvwxz"; *c; c++) {
        unsigned gi = FT_Get_Char_Index(F->face, (unsigned char)*c);
        if (!gi)
            continue;
        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_paint(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
        cairo_glyph_t g = {gi, 100, 200};
        cairo_show_glyphs(cr, &g, 1);
        cairo_surface_flush(s);
        int x0, y0, x1, y1;
        if (ink_box(cairo_image_surface_get_data(s), S, S, cairo_image_surface_get_stride(s), 128, &x0, &y0, &x1, &y1)) {
            sum += y1 - y0;
            k++;
        }
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    if (k < 5) {
        fprintf(stderr, "psrecog_train: %s has too few x-height letters\n", F->path);
        return -1;
    }
    F->xh_em = sum / k / 100;
    return 0;
}

/* ---- one distorted rendering, normalised like a page letter */
typedef struct aug {
    double xh_px, aspect, slant, rot, bold, blur, thresh;
    double el_a[3], el_k[3], el_u[3][2], el_d[3][2], el_p[3];
    int nel;
    int cuts;
    double xh_err, base_err;
} aug;

static void draw_aug(rng *r, aug *a, int strength)
{
    memset(a, 0, sizeof *a);
    double k = strength ? 1 : 0.35; /* validation renderings: mild */
    a->xh_px = range(r, 14, 34);
    a->aspect = exp(0.12 * k * gauss(r));
    a->slant = uni(r) < 0.3 * k ? range(r, -20, 20) : 6 * k * gauss(r);
    a->rot = 3.5 * k * gauss(r);
    a->bold = uni(r) < 0.5 ? range(r, 0, 0.11 * k) * a->xh_px : 0;
    a->blur = range(r, 0, 1.1);
    a->thresh = range(r, 0.3, 0.65);
    a->nel = 0;
    for (int i = 0; i < 3; i++) {
        int tremor = i == 2;
        if (tremor && uni(r) < 0.5)
            continue;
        double lam = tremor ? range(r, 0.12, 0.3) : range(r, 0.7, 2.2);
        double amp = tremor ? range(r, 0, 0.014 * g_warp) : range(r, 0, 0.045 * g_warp);
        double th = range(r, 0, 2 * M_PI), td = range(r, 0, 2 * M_PI);
        a->el_k[a->nel] = 2 * M_PI / (lam * a->xh_px);
        a->el_a[a->nel] = amp * k * a->xh_px;
        a->el_u[a->nel][0] = cos(th), a->el_u[a->nel][1] = sin(th);
        a->el_d[a->nel][0] = cos(td), a->el_d[a->nel][1] = sin(td);
        a->el_p[a->nel] = range(r, 0, 2 * M_PI);
        a->nel++;
    }
    a->cuts = strength && uni(r) < 0.15 ? 1 + (uni(r) < 0.3) : 0;
    /* children's letters vary in size far more than a font's: the line's
     * x-height says less about one letter than a font would suggest */
    a->xh_err = exp(g_size_sd * gauss(r));
    a->base_err = 0.06 * gauss(r);
}

static void warp(const aug *a, double x, double y, double *ox, double *oy)
{
    for (int i = 0; i < a->nel; i++) {
        double s = a->el_a[i] * sin(a->el_k[i] * (x * a->el_u[i][0] + y * a->el_u[i][1]) + a->el_p[i]);
        x += s * a->el_d[i][0];
        y += s * a->el_d[i][1];
    }
    /* aspect, then slant (shear about the baseline y = 0), then rotation */
    x *= a->aspect;
    x -= y * tan(a->slant * M_PI / 180); /* y grows downwards: lean right above the baseline */
    double c = cos(a->rot * M_PI / 180), s = sin(a->rot * M_PI / 180);
    *ox = c * x - s * y;
    *oy = s * x + c * y;
}

/* Renders character ch of F with distortion a into bm (normalised) and geo.
 * Returns 0 when the glyph is missing or came out empty. */
static int render(const font *F, char ch, const aug *a, rng *r, uint8_t *bm, pg_recog_geom *geo)
{
    unsigned gi = FT_Get_Char_Index(F->face, (unsigned char)ch);
    if (!gi)
        return 0;
    double size = a->xh_px / F->xh_em;
    /* the outline, flattened and subdivided so the warp bends straight edges */
    cairo_surface_t *s0 = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *c0 = cairo_create(s0);
    cairo_set_font_face(c0, F->cf);
    cairo_set_font_size(c0, size);
    cairo_glyph_t g = {gi, 0, 0};
    cairo_glyph_path(c0, &g, 1);
    cairo_set_tolerance(c0, 0.05);
    cairo_path_t *path = cairo_copy_path_flat(c0);
    int cap = 4096, np = 0;
    double *pts = malloc(sizeof(double) * 3 * cap); /* x, y, starts-a-subpath */
    double lx = 0, ly = 0, mx = 0, my = 0;
    for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
        cairo_path_data_t *d = &path->data[i];
        double tx, ty;
        int move = 0;
        if (d->header.type == CAIRO_PATH_MOVE_TO) {
            tx = mx = d[1].point.x, ty = my = d[1].point.y;
            move = 1;
        } else if (d->header.type == CAIRO_PATH_LINE_TO) {
            tx = d[1].point.x, ty = d[1].point.y;
        } else if (d->header.type == CAIRO_PATH_CLOSE_PATH) {
            tx = mx, ty = my;
        } else
            continue;
        int steps = move ? 1 : 1 + (int)(hypot(tx - lx, ty - ly) / 0.5);
        for (int k = 1; k <= steps; k++) {
            if (np + 1 >= cap)
                pts = realloc(pts, sizeof(double) * 3 * (cap *= 2));
            double t = (double)k / steps;
            pts[3 * np] = move ? tx : lx + (tx - lx) * t;
            pts[3 * np + 1] = move ? ty : ly + (ty - ly) * t;
            pts[3 * np + 2] = move;
            np++;
        }
        lx = tx, ly = ty;
    }
    cairo_path_destroy(path);
    cairo_destroy(c0);
    cairo_surface_destroy(s0);
    if (np < 3) {
        free(pts);
        return 0;
    }
    double bx0 = 1e9, by0 = 1e9, bx1 = -1e9, by1 = -1e9;
    for (int i = 0; i < np; i++) {
        warp(a, pts[3 * i], pts[3 * i + 1], &pts[3 * i], &pts[3 * i + 1]);
        if (pts[3 * i] < bx0) bx0 = pts[3 * i];
        if (pts[3 * i] > bx1) bx1 = pts[3 * i];
        if (pts[3 * i + 1] < by0) by0 = pts[3 * i + 1];
        if (pts[3 * i + 1] > by1) by1 = pts[3 * i + 1];
    }
    int margin = 6 + (int)a->bold;
    int W = (int)(bx1 - bx0) + 2 * margin, H = (int)(by1 - by0) + 2 * margin;
    if (W > 2000 || H > 2000 || W < 1 || H < 1) {
        free(pts);
        return 0;
    }
    double offx = margin - bx0, offy = margin - by0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    for (int i = 0; i < np; i++) {
        if (pts[3 * i + 2])
            cairo_move_to(cr, pts[3 * i] + offx, pts[3 * i + 1] + offy);
        else
            cairo_line_to(cr, pts[3 * i] + offx, pts[3 * i + 1] + offy);
    }
    free(pts);
    if (a->bold > 0) {
        cairo_set_line_width(cr, a->bold);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(cr);
    }
    cairo_fill(cr);
    /* broken strokes: short gaps cut across the ink */
    for (int k = 0; k < a->cuts; k++) {
        double cx = range(r, bx0, bx1) + offx, cy = range(r, by0, by1) + offy, th = range(r, 0, M_PI);
        double len = a->xh_px * 0.5;
        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_set_line_width(cr, range(r, 0.05, 0.12) * a->xh_px);
        cairo_move_to(cr, cx - len * cos(th), cy - len * sin(th));
        cairo_line_to(cr, cx + len * cos(th), cy + len * sin(th));
        cairo_stroke(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    }
    cairo_surface_flush(s);
    const uint8_t *px = cairo_image_surface_get_data(s);
    int st = cairo_image_surface_get_stride(s);
    /* blur (3-tap passes approximating a gaussian) and binarise */
    float *f = malloc(sizeof(float) * W * H), *t = malloc(sizeof(float) * W * H);
    uint8_t *bin = malloc((size_t)W * H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            f[y * W + x] = px[y * st + x] / 255.f;
    int passes = (int)(a->blur * a->blur * 2 + 0.5); /* each [1 2 1]/4 pass adds variance 0.5 */
    for (int p = 0; p < passes; p++) {
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                t[y * W + x] = 0.5f * f[y * W + x] + 0.25f * ((x > 0 ? f[y * W + x - 1] : 0) + (x + 1 < W ? f[y * W + x + 1] : 0));
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                f[y * W + x] = 0.5f * t[y * W + x] + 0.25f * ((y > 0 ? t[(y - 1) * W + x] : 0) + (y + 1 < H ? t[(y + 1) * W + x] : 0));
    }
    for (int i = 0; i < W * H; i++)
        bin[i] = f[i] >= a->thresh ? 255 : 0;
    free(f);
    free(t);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    int x0, y0, x1, y1;
    if (!ink_box(bin, W, H, W, 128, &x0, &y0, &x1, &y1)) {
        free(bin);
        return 0;
    }
    /* normalisation as pg_letter_normalise: fit the box into PG_GFIT, 4x4 samples */
    double w = x1 - x0, h = y1 - y0, sc = PG_GFIT / (w > h ? w : h), ox = (PG_GN - w * sc) / 2,
           oy = (PG_GN - h * sc) / 2;
    int ink = 0;
    for (int v = 0; v < PG_GN; v++)
        for (int u = 0; u < PG_GN; u++) {
            int hit = 0;
            for (int sy = 0; sy < 4; sy++)
                for (int sx = 0; sx < 4; sx++) {
                    double X = x0 + (u + (sx + 0.5) / 4 - ox) / sc, Y = y0 + (v + (sy + 0.5) / 4 - oy) / sc;
                    int xi = (int)floor(X), yi = (int)floor(Y);
                    if (xi >= x0 && xi < x1 && yi >= y0 && yi < y1 && bin[yi * W + xi])
                        hit++;
                }
            bm[v * PG_GN + u] = hit >= 8;
            ink += hit >= 8;
        }
    free(bin);
    if (!ink)
        return 0;
    /* the line's baseline and x-height as the page analyser would estimate them */
    double xh = a->xh_px * a->xh_err, base = offy + a->base_err * a->xh_px;
    geo->top = (float)((base - y0) / xh);
    geo->bottom = (float)((y1 - base) / xh);
    geo->aspect = (float)(w / h);
    return 1;
}

/* ---- data set */
typedef struct dataset {
    float *x;   /* [n][NF] */
    int *y, *font;
    int n, cap;
} dataset;

static void ds_add(dataset *d, const float *f, int y, int font)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 4096;
        d->x = realloc(d->x, sizeof(float) * NF * d->cap);
        d->y = realloc(d->y, sizeof(int) * d->cap);
        d->font = realloc(d->font, sizeof(int) * d->cap);
    }
    memcpy(d->x + (size_t)d->n * NF, f, sizeof(float) * NF);
    d->y[d->n] = y;
    d->font[d->n] = font;
    d->n++;
}

static void make_set(font *F, int nf, int per_char, int strength, uint64_t seed, dataset *d)
{
    for (int fi = 0; fi < nf; fi++) {
        for (int c = 0; c < NC; c++) {
            char ch = CLASSES[c];
            int reps = (int)lround(per_char * F[fi].weight * (ch >= 'a' && ch <= 'z' && strength ? g_lower : 1));
            if ((F[fi].set == 1 && ch >= 'a' && ch <= 'z') || (F[fi].set == 2 && ch >= 'A' && ch <= 'Z'))
                continue;
            /* one stream per font and character: the set does not depend on the list's order */
            rng r = {seed ^ (0x9E3779B97F4A7C15ULL * (uint64_t)(c + 1)) ^ ((uint64_t)fi * 0xD1B54A32D192ED03ULL)};
            for (int i = 0; i < 4; i++)
                uni(&r);
            for (int k = 0; k < reps; k++) {
                aug a;
                draw_aug(&r, &a, strength);
                uint8_t bm[PG_GN * PG_GN];
                pg_recog_geom geo;
                float feat[NF];
                if (!render(&F[fi], CLASSES[c], &a, &r, bm, &geo))
                    continue;
                pg_recog_features(bm, &geo, feat);
                ds_add(d, feat, c, fi);
            }
        }
    }
}

/* ---- training */
static void put_floats(FILE *f, const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        unsigned char b[4] = {u & 255, (u >> 8) & 255, (u >> 16) & 255, u >> 24};
        fwrite(b, 1, 4, f);
    }
}

static double evaluate(const pg_recog *m, const dataset *d, const font *F, int nfonts, int verbose)
{
    int ok = 0, lok = 0, ln = 0;
    int *fok = calloc(nfonts, sizeof(int)), *fn = calloc(nfonts, sizeof(int));
    static int conf[NC][NC];
    memset(conf, 0, sizeof conf);
    for (int i = 0; i < d->n; i++) {
        int p = pg_recog_classify(m, d->x + (size_t)i * NF, NULL);
        ok += p == d->y[i];
        fok[d->font[i]] += p == d->y[i];
        fn[d->font[i]]++;
        conf[d->y[i]][p]++;
        if (d->y[i] < 26) { /* lower case, read as itself or as its other case */
            ln++;
            lok += p == d->y[i] || p == d->y[i] + 26;
        }
    }
    if (verbose) {
        for (int f = 0; f < nfonts; f++)
            printf("  %-60s %5.1f %%\n", F[f].path, fn[f] ? 100.0 * fok[f] / fn[f] : 0);
        printf("  lower case read as itself (either case): %.2f %%\n", ln ? 100.0 * lok / ln : 0);
        printf("  worst pairs (true -> read):");
        for (int k = 0; k < 12; k++) {
            int bi = 0, bj = 0, bv = 0;
            for (int i = 0; i < NC; i++)
                for (int j = 0; j < NC; j++)
                    if (i != j && conf[i][j] > bv) {
                        bv = conf[i][j];
                        bi = i;
                        bj = j;
                    }
            if (!bv)
                break;
            printf(" %c->%c %d", CLASSES[bi], CLASSES[bj], bv);
            conf[bi][bj] = 0;
        }
        printf("\n");
    }
    free(fok);
    free(fn);
    return d->n ? (double)ok / d->n : 0;
}

int main(int argc, char **argv)
{
    const char *list = NULL, *val = NULL, *out = NULL;
    int per_char = 24, nh = 192, epochs = 24;
    uint64_t seed = 20261126;
    static const struct option opts[] = {{"fonts", 1, 0, 'f'}, {"val", 1, 0, 'v'},    {"out", 1, 0, 'o'},
                                         {"per-char", 1, 0, 'k'}, {"hidden", 1, 0, 'h'}, {"epochs", 1, 0, 'e'},
                                         {"seed", 1, 0, 's'},   {"help", 0, 0, 'H'}, {"size-sd", 1, 0, 'z'}, {"lower-prior", 1, 0, 'l'}, {"warp", 1, 0, 'w'},   {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'f': list = optarg; break;
        case 'v': val = optarg; break;
        case 'o': out = optarg; break;
        case 'k': per_char = atoi(optarg); break;
        case 'h': nh = atoi(optarg); break;
        case 'e': epochs = atoi(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'z': g_size_sd = atof(optarg); break;
        case 'l': g_lower = atof(optarg); break;
        case 'w': g_warp = atof(optarg); break;
        case 'H':
            printf("usage: psrecog_train --fonts LIST [--val LIST] [--out FILE] [--per-char K] [--hidden H] "
                   "[--epochs E] [--seed S] [--size-sd SD] [--lower-prior R]\n");
            return 0;
        default: return 2;
        }
    }
    if (!list || nh < 1 || nh > PG_RECOG_MAX_HIDDEN || per_char < 1 || epochs < 1) {
        fprintf(stderr, "usage: psrecog_train --fonts LIST [--val LIST] [--out FILE] ...\n");
        return 2;
    }
    openblas_set_num_threads(1); /* the same sums in the same order: a reproducible model */
    FT_Init_FreeType(&ft);
    font *F = NULL, *V = NULL;
    int nfont = 0, nval = 0;
    if (read_list(list, &F, &nfont) || (val && read_list(val, &V, &nval)))
        return 1;
    for (int i = 0; i < nfont; i++)
        if (open_font(&F[i]))
            return 1;
    for (int i = 0; i < nval; i++)
        if (open_font(&V[i]))
            return 1;
    dataset tr = {0}, va = {0};
    make_set(F, nfont, per_char, 1, seed, &tr);
    if (nval)
        make_set(V, nval, 8, 0, seed + 1, &va);
    fprintf(stderr, "psrecog_train: %d fonts, %d training renderings; %d validation fonts, %d renderings\n", nfont,
            tr.n, nval, va.n);

    /* standardisation */
    static float mean[NF], inv_sd[NF];
    for (int j = 0; j < NF; j++) {
        double s = 0, s2 = 0;
        for (int i = 0; i < tr.n; i++) {
            double v = tr.x[(size_t)i * NF + j];
            s += v;
            s2 += v * v;
        }
        double m = s / tr.n, var = s2 / tr.n - m * m;
        mean[j] = (float)m;
        inv_sd[j] = (float)(1 / sqrt(var > 1e-4 ? var : 1e-4));
    }
    for (int i = 0; i < tr.n; i++)
        for (int j = 0; j < NF; j++)
            tr.x[(size_t)i * NF + j] = (tr.x[(size_t)i * NF + j] - mean[j]) * inv_sd[j];

    /* parameters, He initialisation */
    rng r = {seed * 0x9E3779B97F4A7C15ULL + 1};
    float *w1 = malloc(sizeof(float) * nh * NF), *b1 = calloc(nh, sizeof(float));
    float *w2 = malloc(sizeof(float) * NC * nh), *b2 = calloc(NC, sizeof(float));
    float *vw1 = calloc((size_t)nh * NF, sizeof(float)), *vb1 = calloc(nh, sizeof(float));
    float *vw2 = calloc((size_t)NC * nh, sizeof(float)), *vb2 = calloc(NC, sizeof(float));
    for (int i = 0; i < nh * NF; i++)
        w1[i] = (float)(gauss(&r) * sqrt(2.0 / NF));
    for (int i = 0; i < NC * nh; i++)
        w2[i] = (float)(gauss(&r) * sqrt(1.0 / nh));
    enum { B = 128 };
    float *Z = malloc(sizeof(float) * B * NF), *H = malloc(sizeof(float) * B * nh), *P = malloc(sizeof(float) * B * NC);
    float *dH = malloc(sizeof(float) * B * nh), *gw1 = malloc(sizeof(float) * nh * NF),
          *gw2 = malloc(sizeof(float) * NC * nh);
    int *order = malloc(sizeof(int) * tr.n);
    for (int i = 0; i < tr.n; i++)
        order[i] = i;
    const double lr0 = 0.05, wd = 1e-4, mom = 0.9, smooth = 0.05;
    pg_recog m = {.nc = NC, .nh = nh, .mean = mean, .inv_sd = inv_sd, .w1 = w1, .b1 = b1, .w2 = w2, .b2 = b2};
    memcpy(m.cls, CLASSES, NC);
    long step = 0, steps = (long)epochs * (tr.n / B);
    for (int ep = 0; ep < epochs; ep++) {
        for (int i = tr.n - 1; i > 0; i--) {
            int j = (int)(uni(&r) * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double loss = 0;
        int correct = 0;
        for (int b0 = 0; b0 + B <= tr.n; b0 += B, step++) {
            float lr = (float)(lr0 * 0.5 * (1 + cos(M_PI * step / steps)));
            for (int i = 0; i < B; i++)
                memcpy(Z + (size_t)i * NF, tr.x + (size_t)order[b0 + i] * NF, sizeof(float) * NF);
            /* forward */
            for (int i = 0; i < B; i++)
                memcpy(H + (size_t)i * nh, b1, sizeof(float) * nh);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, nh, NF, 1, Z, NF, w1, NF, 1, H, nh);
            for (int i = 0; i < B * nh; i++)
                if (H[i] < 0)
                    H[i] = 0;
            for (int i = 0; i < B; i++)
                memcpy(P + (size_t)i * NC, b2, sizeof(float) * NC);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, NC, nh, 1, H, nh, w2, nh, 1, P, NC);
            for (int i = 0; i < B; i++) {
                float *p = P + (size_t)i * NC, mx = p[0];
                int am = 0;
                for (int k = 1; k < NC; k++)
                    if (p[k] > mx) {
                        mx = p[k];
                        am = k;
                    }
                double s = 0;
                for (int k = 0; k < NC; k++)
                    s += p[k] = expf(p[k] - mx);
                int y = tr.y[order[b0 + i]];
                correct += am == y;
                for (int k = 0; k < NC; k++) {
                    p[k] = (float)(p[k] / s);
                    double target = (k == y ? 1 - smooth : 0) + smooth / NC;
                    if (k == y)
                        loss -= log(p[k] + 1e-12);
                    p[k] = (float)((p[k] - target) / B); /* now dL/dlogit */
                }
            }
            /* backward */
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, NC, nh, B, 1, P, NC, H, nh, 0, gw2, nh);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, nh, NC, 1, P, NC, w2, nh, 0, dH, nh);
            for (int i = 0; i < B * nh; i++)
                if (H[i] <= 0)
                    dH[i] = 0;
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nh, NF, B, 1, dH, nh, Z, NF, 0, gw1, NF);
            for (int k = 0; k < NC; k++) {
                float g = 0;
                for (int i = 0; i < B; i++)
                    g += P[(size_t)i * NC + k];
                vb2[k] = (float)(mom * vb2[k] - lr * g);
                b2[k] += vb2[k];
            }
            for (int j = 0; j < nh; j++) {
                float g = 0;
                for (int i = 0; i < B; i++)
                    g += dH[(size_t)i * nh + j];
                vb1[j] = (float)(mom * vb1[j] - lr * g);
                b1[j] += vb1[j];
            }
            for (int i = 0; i < NC * nh; i++) {
                vw2[i] = (float)(mom * vw2[i] - lr * (gw2[i] + wd * w2[i]));
                w2[i] += vw2[i];
            }
            for (int i = 0; i < nh * NF; i++) {
                vw1[i] = (float)(mom * vw1[i] - lr * (gw1[i] + wd * w1[i]));
                w1[i] += vw1[i];
            }
        }
        int nb = tr.n / B * B;
        fprintf(stderr, "epoch %2d: loss %.4f, training accuracy %.2f %%", ep + 1, loss / nb, 100.0 * correct / nb);
        if (va.n)
            fprintf(stderr, ", validation %.2f %%", 100 * evaluate(&m, &va, V, nval, 0));
        fprintf(stderr, "\n");
    }
    if (va.n) {
        printf("validation fonts (never trained on), mild distortion:\n");
        printf("  all: %.2f %%\n", 100 * evaluate(&m, &va, V, nval, 1));
    }
    if (out) {
        FILE *f = fopen(out, "wb");
        if (!f) {
            fprintf(stderr, "psrecog_train: cannot write %s\n", out);
            return 1;
        }
        fprintf(f, "penscope-recog 1\nclasses %d %s\nhidden %d\nfeatures %d\n", NC, CLASSES, nh, NF);
        fprintf(f, "trained psrecog_train: %d font files, %d renderings (%d per character and weight, lower case x%g), "
                   "size sd %g, %d epochs, seed %llu\ndata\n",
                nfont, tr.n, per_char, g_lower, g_size_sd, epochs, (unsigned long long)seed);
        put_floats(f, mean, NF);
        put_floats(f, inv_sd, NF);
        put_floats(f, w1, (size_t)nh * NF);
        put_floats(f, b1, nh);
        put_floats(f, w2, (size_t)NC * nh);
        put_floats(f, b2, NC);
        fclose(f);
    }
    return 0;
}
