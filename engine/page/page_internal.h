/* Private types of the page analyser (engine/page/): the working images, the
 * detected ruling, the letters/lines found and the metric table. One struct,
 * ps_page, carries everything from normalisation to metrics so that every
 * number can be drawn on the page (overlay.c). */
#ifndef PS_PAGE_INTERNAL_H
#define PS_PAGE_INTERNAL_H
#include "penscope.h"
#include <stdint.h>

/* ---- workspace (workspace.c): large buffers reused from page to page.
 * Every function below takes ws NULL to mean plain allocation. Blocks are
 * not zeroed. */
typedef struct pg_ws pg_ws;
struct ps_pool; /* core/pool.h: the analyser's threads, NULL = one */
pg_ws *pg_ws_new(void);
void pg_ws_ref(pg_ws *ws);
void pg_ws_unref(pg_ws *ws);   /* the last reference frees the blocks */
void *pg_ws_get(pg_ws *ws, size_t bytes);
void pg_ws_put(pg_ws *ws, void *p);
/* a 1-channel image in a block (rows 64-byte aligned, not zeroed) */
ps_status pg_image_get(pg_ws *ws, ps_image *img, int w, int h);
void pg_image_put(pg_ws *ws, ps_image *img);

/* ---- normalisation (normalize.c) */
/* Gray copy of img scaled by scale (0 < scale <= 1: working pixels per
 * input pixel) with area averaging. */
ps_status pg_to_gray(pg_ws *ws, struct ps_pool *pool, const ps_image *img, double scale, ps_image *gray);
/* Its size, and a rectangle of it (columns [x0, x0 + w), rows [y0, y0 + h))
 * alone, the same pixels, in out (allocated: pg_image_put(NULL, out)). */
void pg_gray_size(const ps_image *img, double scale, int *W, int *H);
ps_status pg_to_gray_rect(struct ps_pool *pool, const ps_image *img, double scale, int x0, int y0, int w, int h,
                          ps_image *out);
/* Skew of the page's text/ruling in degrees (positive = lines fall to the
 * right in image coordinates), from projection-profile sharpness. */
double pg_estimate_skew(struct ps_pool *pool, const ps_image *gray);
/* Rotates gray by -skew_deg about its centre (white outside). */
ps_status pg_rotate(pg_ws *ws, struct ps_pool *pool, const ps_image *in, double skew_deg, ps_image *out);
/* Divides out the paper's light (block maxima, smoothed): shadows and
 * gradients become white paper at 255. In place. */
ps_status pg_flatten_light(struct ps_pool *pool, ps_image *gray);
/* Sauvola binarisation: ink = 255 where g < m (1 + k (s/128 - 1)) over a
 * window x window neighbourhood, for two k at once: out (the ink, k_ink)
 * and faint (a more sensitive mask for finding light printed lines,
 * k_faint < k_ink). Both are allocated (1 channel). */
ps_status pg_sauvola(pg_ws *ws, struct ps_pool *pool, const ps_image *gray, int window, double k_ink,
                     double k_faint, ps_image *out, ps_image *faint);

/* Hysteresis for blurred thin strokes (bridge.c): the faint mask's pixels
 * on a stroke's dark ridge (a valley of gray across rows or columns) that
 * reach mask's ink through other such pixels within steps pixels are added
 * to mask; clear strokes' edges are left as they are. Only on a blurred
 * page: the faint pixels off the ink at least as many as the ink's edge
 * pixels (a sharp page's partly covered edge is under a pixel deep). */
ps_status pg_bridge_faint(struct ps_pool *pool, const ps_image *gray, const ps_image *faint, ps_image *mask,
                          int steps);

/* The pitch in rows of a fine periodic printed ruling (up to max_pitch rows,
 * repeated down the page) in the row profile of img's columns [x0, x1) (gray,
 * or the green of RGB/RGBA), 0 when none shows (fine_ruling.c). A cheap
 * hint, before binarisation. */
double pg_fine_ruling_pitch(const ps_image *img, int x0, int x1, double max_pitch);

/* ---- phone photos (rectify.c) */
/* Finds the sheet of paper in a photo and warps it flat into out (allocated)
 * when the paper does not fill the frame; *done = 0 leaves out empty (a
 * scan). color (the input, RGB or gray, any size) helps tell paper from a
 * hand or a table. hom maps out's pixels to gray's; *aspect is out's
 * height/width. */
ps_status pg_rectify(pg_ws *ws, struct ps_pool *pool, const ps_image *gray, const ps_image *color, ps_image *out,
                     double hom[9], int *done, double *aspect);
int pg_homography(const double src[4][2], const double dst[4][2], double h[9]);

/* ---- ruling (ruling.c) */
enum pg_rule_role { PG_RULE_PLAIN = 0, PG_RULE_BASE = 1, PG_RULE_MID = 2, PG_RULE_TOP = 3, PG_RULE_MINOR = 4 };
typedef struct pg_rule {
    float y;          /* centre row at the middle column */
    float slope;      /* rows per column: the line is y + slope (x - width/2) */
    float thick;      /* rows */
    float coverage;   /* fraction of the width that is dark */
    float strength;   /* integrated darkness per column */
    int dashed;
    int role;         /* enum pg_rule_role */
    int from_gray;    /* found in the gray only (pg_seyes_minor_lines): not in the masks */
} pg_rule;

typedef struct pg_ruling {
    int kind;         /* ps_page_ruling */
    pg_rule *rule;
    int nrule;
    float pitch_px;   /* the pitch --ruling-mm refers to (see README) */
    float *base;      /* writing baselines (rows at the middle column) */
    float *base_slope;
    int nbase;
    float *mid;       /* printed mean line per baseline, NAN when none */
    float vline_x;    /* a vertical margin line, -1 when none */
} pg_ruling;

/* Finds printed horizontal guide lines in the faint mask (and their gray
 * level in gray), classifies the pattern and removes them from both masks
 * without cutting letters that cross them. r is filled (free with
 * pg_ruling_release). */
ps_status pg_ruling_detect_remove(struct ps_pool *pool, const ps_image *gray, ps_image *faint, ps_image *mask,
                                  pg_ruling *r);
/* Its passes over the whole mask, split over threads (ruling_rows.c): per
 * row the coverage of the union of 3 rows, overall (cov) and the least per
 * eighth of the width (segmin), and of the row alone (single); per column
 * the rows where it or a neighbour is dark (colc, W ints). */
#define PG_RULING_NSEG 8
void pg_ruling_row_cover(struct ps_pool *pool, const ps_image *mask, float *cov, float *segmin, float *single);
ps_status pg_ruling_col_counts(struct ps_pool *pool, const ps_image *mask, int *colc);
/* The pencil's gray: the median gray of ink's pixels off r's first n
 * printed lines (their rows and two beyond), 0 without ink. */
ps_status pg_ruling_ink_gray(struct ps_pool *pool, const ps_image *gray, const ps_image *ink, const pg_ruling *r,
                             int n, int *ink_gray);
void pg_ruling_release(pg_ruling *r);
/* Seyès paper whose fine lines the faint mask lost (a blurred photo): when
 * the lines found (r->rule, sorted, none dashed) are evenly spaced and the
 * gray between most pairs of them, over the columns where ink (the ink
 * mask) leaves it clear, shows three fainter lines at the quarters, those
 * are added to r->rule (role PG_RULE_MINOR, from_gray) and *found = 1
 * (seyes_minor.c). */
ps_status pg_seyes_minor_lines(const ps_image *gray, const ps_image *ink, pg_ruling *r, int *found);

/* Median stroke width of the ink in mask, px, 0 without ink (measure.c). */
ps_status pg_stroke_width(struct ps_pool *pool, const ps_image *mask, double *width);

/* ---- connected components (label.c) */
typedef struct pg_comp {
    int x0, y0, x1, y1;   /* inclusive-exclusive box */
    int area;
} pg_comp;
/* 8-connected labelling of mask (nonzero = ink). labels[y*w+x] = component
 * index + 1, 0 for paper. comps is allocated. */
ps_status pg_label(pg_ws *ws, struct ps_pool *pool, const ps_image *mask, int32_t **labels, pg_comp **comps,
                   int *ncomp);

/* ---- slant score on bit rows (shear_runs.c) */
/* Sum of squared lengths of the vertical runs of at least minrun pixels of a
 * letter given as h rows of bits (bit x = column x, w <= 64), row r moved to
 * columns x + off + ((32768 - (shift0 - step r)) >> 16), columns outside
 * [0, ncol) dropped; -1 when that does not fit 128 columns. */
int64_t pg_shear_runs(const uint64_t *rows, int h, int w, int off, int32_t shift0, int32_t step, int ncol,
                      int minrun);

/* ---- letters, words and lines (segment.c) */
enum pg_letter_class { PG_X = 0, PG_TALL = 1, PG_DESC = 2, PG_DOTTED = 3, PG_SMALL = 4, PG_MIDDLE = 5 };
/* PG_MIDDLE: between x-height and ascender height (t, some capitals): neither
 * an x-height letter nor a tall one, so it biases neither measure. */
/* A letter's class from its height h, width w, bottom below the baseline
 * dev and height above it, against the line's x-height and tall split. */
int pg_letter_class_of(double h, double w, double dev, double above, int has_dot, double xh, double tall);
enum pg_letter_flags { PG_OFF_LINE = 1 << 0, PG_SPLIT = 1 << 1, PG_MERGED = 1 << 2, PG_REVERSED = 1 << 3,
                       PG_OPEN = 1 << 4, PG_INSERTED = 1 << 5,
                       PG_CUT = 1 << 6,        /* a piece of touching letters (split.c): ucut0/ucut1 hold */
                       PG_TOUCH_LEFT = 1 << 7, /* its ink runs on into the letter before it */
                       PG_YCUT = 1 << 8        /* lab[0] is a component shared with another writing
                                                  line: only its rows [ycut0, ycut1) are this letter's */ };
#define PG_MAX_LABELS 6
typedef struct pg_letter {
    int x0, y0, x1, y1;     /* ink box (working image rows/cols) */
    float dx0, dx1;         /* ink extent after deslanting the line about its baseline */
    int lab[PG_MAX_LABELS]; /* component labels that make up the letter */
    int nlab;
    int cut0, cut1;         /* columns [cut0, cut1) when a component was split */
    float cut_t, cut_base;  /* PG_CUT: cuts follow the line's slant t about row cut_base; the */
    float ucut0, ucut1;     /* letter's pixels have pg_cut_u in [ucut0, ucut1) */
    int ycut0, ycut1;       /* PG_YCUT: the rows of lab[0] that are this letter's */
    int area;
    int line, word;
    int cls;                /* enum pg_letter_class */
    int flags;
    int has_dot;
    float slant_deg, slant_w; /* the letter's own slant and its weight (0 = none) */
    float dev;              /* bottom minus baseline, px (positive = below) */
    char expect, recog;     /* with --text: the expected letter matched, the one recognised */
    float form;             /* with --text: form score 0-100 */
} pg_letter;

typedef struct pg_line {
    int first, n;           /* letters [first, first+n) sorted by x */
    float base_a, base_b;   /* baseline y = a + b x */
    int ruled;              /* baseline is a printed line */
    float mid_y;            /* printed mean line, NAN when none */
    float xh;               /* x-height, px */
    float tall;             /* height above the baseline over which a letter is tall, px (INFINITY: none) */
    float tall_ratio;       /* the tall letters' height over the x-height letters', fitted (0: none) */
    float slant_deg;
    int nwords;
    /* per-line metrics */
    double x_height_mm, baseline_dev_mm, on_line_pct, letter_gap_mm, word_gap_mm, slant_sd_deg;
    float x0, y0, x1, y1;   /* box */
} pg_line;

/* Stages of the pipeline, timed (calling thread's CPU time) for the bench's
 * breakdown; a Seyès page's probe pass adds to the same stages. */
enum pg_stage { PG_ST_GRAY, PG_ST_RECTIFY, PG_ST_DESKEW, PG_ST_FLATTEN, PG_ST_SAUVOLA, PG_ST_RULING,
                PG_ST_BRIDGE, PG_ST_LABEL, PG_ST_SEGMENT, PG_ST_MEASURE, PG_ST_TEXT, PG_NSTAGE };
extern const char *const pg_stage_names[PG_NSTAGE];

#define PG_MAX_WARN 16
struct ps_page {
    ps_page_params params;
    ps_image gray;          /* normalised (shrunk, deskewed, flattened) page */
    ps_image mask;          /* ink after ruling removal */
    int32_t *labels;
    pg_comp *comp;
    int ncomp;
    pg_ruling ruling;
    pg_letter *letter;
    int nletter, cap_letter;
    pg_line *line;
    int nline;
    double factor;          /* input pixels per working pixel (>= 1) */
    double skew_deg;
    int rectified;          /* a photo warped flat: hom maps the flat page to the scaled photo */
    double hom[9];
    double page_aspect;
    double dpi;             /* of the input image, 0 when unknown */
    double px_per_mm;       /* of the working image, 0 when unknown */
    const char *dpi_source; /* "option", "file", "ruling", "page size", "none" */
    double stroke_px;       /* median stroke width, working px */
    double metric[PS_PAGE_METRIC_COUNT];
    char warn[PG_MAX_WARN][160];
    int nwarn;
    char *text_copy, *models_copy;
    pg_ws *ws;              /* where gray, mask and labels come from and go back to */
    struct ps_pool *pool;   /* the analyser's threads for per-pixel passes, or NULL (borrowed) */
    struct pg_models_cache *models; /* where the letter models come from (models.h), during the
                               analysis only (borrowed) */
    double stage_s[PG_NSTAGE]; /* seconds per stage, the calling thread's CPU time */
    double stage_wall_s[PG_NSTAGE]; /* and wall time (with threads: what they shorten) */
    int passes;             /* 2 when a probe pass found small writing and the page was redone finer */
    int fine_hint;          /* 1: a fine ruling seen in the working gray rows (pg_fine_ruling_pitch)
                               stopped the first pass after the shrink and sent the page to the finer
                               scale; -1: the ruling found there was not Seyès, so the analysis
                               without the look decided (or no look: photos); 0: nothing seen */
};

void pg_warn(struct ps_page *pg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ps_status pg_segment(struct ps_page *pg);

/* ---- letters of two writing lines in one component (crossline.c) */
/* 1 when component c (label lab) has ink in the bodies of the writing lines
 * whose baselines are at rows y_up and y_low below it (h0: the usual
 * letter height) and a thin row joins them; *row = the first row of the
 * lower part. */
int pg_crossline_cut(const struct ps_page *pg, const pg_comp *c, int lab, double y_up, double y_low, double h0,
                     int *row);
/* Box (x0, y0, x1, y1) and pixel count of component c's pixels in rows
 * [ya, yb); 0 when there are none. */
int pg_comp_rows_box(const struct ps_page *pg, const pg_comp *c, int lab, int ya, int yb, int box[4], int *area);

/* ---- touching letters (split.c) */
typedef struct pg_split pg_split;
#define PG_SPLIT_MAX 4 /* pieces one ink component may become */
/* Scratch for splitting on a page of W x H working pixels (NULL on no memory). */
pg_split *pg_split_new(const struct ps_page *pg);
void pg_split_free(pg_split *sp);
/* A page's lines are split in two steps so that lines can go to different
 * threads with the same result: first pg_split_prepare for every line in
 * line order on one pg_split (it loads the letter models when a line first
 * needs them, and takes this writer's typical letter distance from the
 * first lines that need it: all a line's split shares with the lines before
 * it), keeping each line's *state; then, for each line on any other
 * pg_split, pg_split_resume(sp, the prepared one, the line's state) and
 * pg_split_line (the prepared one is only read then: threads may share it).
 * With pool and helpers (a pg_split per thread of pool, scratch), the
 * preparation scores letters on the threads. Ls: the line's ln->n letters (ln with baseline, xh and
 * slant set). */
ps_status pg_split_prepare(struct ps_page *pg, pg_split *sp, const pg_line *ln, const pg_letter *Ls, int *state,
                           struct ps_pool *pool, pg_split *const *helpers);
void pg_split_resume(pg_split *sp, const pg_split *prepared, int state);
/* Splits the line's letters whose ink holds several touching letters into
 * pieces (flags PG_CUT, PG_TOUCH_LEFT), inserted in place in Ls (room for
 * cap letters); *added = letters added (ln->n grows by it). The pieces'
 * class, slant and extents are left for the caller. */
ps_status pg_split_line(const struct ps_page *pg, pg_split *sp, pg_line *ln, pg_letter *Ls, int cap, int *added);
/* The ink pixels of a normalised letter (PG_GN x PG_GN) as indices; returns
 * their number. */
int pg_split_ink_list(const uint8_t *bm, int16_t *ink);
/* pg_glyph_distance of two normalised letters given by their ink lists and
 * distance transforms (the same value, a sparse sum). */
float pg_split_distance(const int16_t *ia, int na, const float *dta, const int16_t *ib, int nb, const float *dtb);
/* The same, or a value >= bound as soon as the distance is known to be. */
float pg_split_distance_below(const int16_t *ia, int na, const float *dta, const int16_t *ib, int nb,
                              const float *dtb, float bound);
ps_status pg_measure(struct ps_page *pg);
/* The deslanted column of pixel (x, y)'s centre for a letter cut along its
 * line's slant (split.c): pixels of one column of u lie on a slanted line. */
static inline float pg_cut_u(float t, float base, int x, int y)
{
    return (float)x + 0.5f - (base - (float)y - 0.5f) * t;
}
/* letter pixel test: is (x, y) ink of letter L? */
static inline int pg_letter_has(const struct ps_page *pg, const pg_letter *L, int x, int y)
{
    if (x < L->cut0 || x >= L->cut1)
        return 0;
    if (L->flags & PG_CUT) {
        float u = pg_cut_u(L->cut_t, L->cut_base, x, y);
        if (u < L->ucut0 || u >= L->ucut1)
            return 0;
    }
    int32_t v = pg->labels[(size_t)y * pg->mask.width + x];
    for (int i = 0; i < L->nlab; i++)
        if (L->lab[i] == v)
            return i || !(L->flags & PG_YCUT) || (y >= L->ycut0 && y < L->ycut1);
    return 0;
}
/* small statistics */
double pg_median(double *v, int n);      /* sorts v */
/* Weighted mean and SD of letter slants a (weights w) after dropping those
 * farther than max(3 robust SDs, 5 deg) from the median; tmp: n doubles. */
void pg_robust_slant(const double *a, const double *w, int n, double *tmp, double *mean, double *sd);
double pg_mean(const double *v, int n);
double pg_sd(const double *v, int n);    /* sample SD, 0 for n == 1 */
#endif
