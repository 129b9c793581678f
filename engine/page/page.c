/* The page analyser's public face: parameters, the pipeline (normalise ->
 * binarise -> ruling -> DPI -> components -> segmentation -> metrics),
 * accessors and JSON. */
#include "page/models.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/pool.h"
#include "core/status.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>


#define PS_PAGE_WORK_DPI 200.0
/* Seyès ruling: 2 mm between its lines (8 mm between the heavy ones) */
#define PS_SEYES_PITCH_MM 2.0

static const char *const metric_names[PS_PAGE_METRIC_COUNT] = {
    "lines", "words", "letters", "ruling",
    "x_height_mm", "x_height_cv", "ascender_ratio",
    "baseline_dev_mm", "on_line_pct",
    "letter_gap_mm", "letter_gap_cv", "word_gap_mm", "word_gap_cv", "word_gap_ratio", "collisions",
    "slant_deg", "slant_sd_deg", "line_angle_sd_deg", "margin_drift_mm",
    "stroke_width_mm", "tremor_index", "letters_per_min",
    "letters_expected", "letters_matched", "omissions", "insertions", "legibility_pct",
    "reversals", "closure_fail", "form_score"};

void ps_page_params_default(ps_page_params *p)
{
    memset(p, 0, sizeof *p);
    p->max_side = 2400;
    ps_limits lim;
    ps_limits_default(&lim);
    p->max_pixels = lim.max_pixels;
}

const char *const pg_stage_names[PG_NSTAGE] = {"gray+shrink", "rectify", "deskew", "flatten", "sauvola",
                                                "ruling", "bridge", "label", "segment", "measure", "text"};

/* A stage's clocks: the calling thread's CPU time (barely moved by other
 * programs on a shared machine) and the wall time (what threads shorten). */
typedef struct stage_clock_t {
    double cpu, wall;
} stage_clock_t;

static stage_clock_t stage_clock(void)
{
    struct timespec c, w;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
    clock_gettime(CLOCK_MONOTONIC, &w);
    return (stage_clock_t){(double)c.tv_sec + c.tv_nsec * 1e-9, (double)w.tv_sec + w.tv_nsec * 1e-9};
}

/* Adds the time since *t to stage st and restarts the clocks. */
static void stage_done(struct ps_page *pg, int st, stage_clock_t *t)
{
    stage_clock_t now = stage_clock();
    pg->stage_s[st] += now.cpu - t->cpu;
    pg->stage_wall_s[st] += now.wall - t->wall;
    *t = now;
}

const char *ps_page_metric_name(int i)
{
    return i >= 0 && i < PS_PAGE_METRIC_COUNT ? metric_names[i] : NULL;
}

const char *ps_page_ruling_name(ps_page_ruling r)
{
    switch (r) {
    case PS_RULING_SINGLE: return "single";
    case PS_RULING_PRIMARY: return "primary";
    case PS_RULING_SEYES: return "seyes";
    default: return "none";
    }
}

void pg_warn(struct ps_page *pg, const char *fmt, ...)
{
    if (pg->nwarn >= PG_MAX_WARN)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pg->warn[pg->nwarn++], sizeof pg->warn[0], fmt, ap);
    va_end(ap);
}

void ps_page_free(ps_page_t *pg)
{
    if (!pg)
        return;
    pg_image_put(pg->ws, &pg->gray);
    pg_image_put(pg->ws, &pg->mask);
    pg_ws_put(pg->ws, pg->labels);
    pg_ws_unref(pg->ws);
    ps_free(pg->comp);
    pg_ruling_release(&pg->ruling);
    ps_free(pg->letter);
    ps_free(pg->line);
    ps_free(pg->text_copy);
    ps_free(pg->models_copy);
    ps_free(pg);
}

/* Where the scale comes from, in the order of METRICS.md: option, file,
 * ruling with --ruling-mm, page size. */
static void resolve_dpi(struct ps_page *pg, const ps_image *img)
{
    const ps_page_params *p = &pg->params;
    pg->dpi = 0;
    pg->dpi_source = "none";
    if (p->dpi > 0) {
        pg->dpi = p->dpi;
        pg->dpi_source = "option";
    } else if (p->file_dpi >= 100) {
        pg->dpi = p->file_dpi;
        pg->dpi_source = "file";
    } else {
        if (p->file_dpi > 0)
            pg_warn(pg, "the file says %.0f dpi, a camera or software default rather than a scan "
                        "resolution: ignored", p->file_dpi);
        if (p->ruling_mm > 0 && pg->ruling.kind != PS_RULING_NONE && pg->ruling.pitch_px > 0) {
            pg->dpi = pg->ruling.pitch_px * pg->factor / p->ruling_mm * 25.4;
            pg->dpi_source = "ruling";
        } else if (pg->ruling.kind == PS_RULING_SEYES && pg->ruling.pitch_px > 0) {
            /* Seyès paper is printed to one standard, a line every 2 mm: a
             * surer scale than a guess at the page size (an A5 notebook, a
             * sheet not wholly in the photo) */
            pg->dpi = pg->ruling.pitch_px * pg->factor / PS_SEYES_PITCH_MM * 25.4;
            pg->dpi_source = "ruling";
            pg_warn(pg, "scale from the Seyès ruling, taken as the standard %.0f mm between its lines (%.0f dpi); "
                        "give --ruling-mm or --dpi when it is not", PS_SEYES_PITCH_MM, pg->dpi);
        } else {
            if (p->ruling_mm > 0)
                pg_warn(pg, "--ruling-mm given but no printed ruling was found");
            double lo = img->width < img->height ? img->width : img->height;
            double hi = img->width < img->height ? img->height : img->width;
            if (pg->rectified) { /* the flattened sheet, in input-sized pixels */
                lo = (pg->gray.width < pg->gray.height ? pg->gray.width : pg->gray.height) * pg->factor;
                hi = (pg->gray.width < pg->gray.height ? pg->gray.height : pg->gray.width) * pg->factor;
            }
            double asp = hi / lo;
            if (fabs(asp - M_SQRT2) < 0.03 * M_SQRT2) {
                pg->dpi = lo / (210.0 / 25.4);
                pg->dpi_source = "page size";
                pg_warn(pg, "scale from the page size: the image is taken to be a whole A4 page "
                            "(%.0f dpi); give --dpi when it is not", pg->dpi);
            } else if (fabs(asp - 11.0 / 8.5) < 0.02 * 11.0 / 8.5) {
                pg->dpi = lo / 8.5;
                pg->dpi_source = "page size";
                pg_warn(pg, "scale from the page size: the image is taken to be a whole US Letter page "
                            "(%.0f dpi); give --dpi when it is not", pg->dpi);
            }
        }
    }
    pg->px_per_mm = pg->dpi > 0 ? pg->dpi / pg->factor / 25.4 : 0;
    if (pg->dpi <= 0)
        pg_warn(pg, "no scale: give --dpi, or --ruling-mm on a ruled page; metrics in mm are null");
}

/* Drops (without freeing) everything a pipeline run made. */
static void forget_run(struct ps_page *pg)
{
    memset(&pg->gray, 0, sizeof pg->gray);
    memset(&pg->mask, 0, sizeof pg->mask);
    memset(&pg->ruling, 0, sizeof pg->ruling);
    pg->labels = NULL;
    pg->comp = NULL;
    pg->letter = NULL;
    pg->line = NULL;
    pg->ncomp = pg->nletter = pg->cap_letter = pg->nline = 0;
    pg->nwarn = 0;
}

/* Frees everything a pipeline run made, keeping the parameters. */
static void reset_page(struct ps_page *pg)
{
    pg_image_put(pg->ws, &pg->gray);
    pg_image_put(pg->ws, &pg->mask);
    pg_ws_put(pg->ws, pg->labels);
    ps_free(pg->comp);
    pg_ruling_release(&pg->ruling);
    ps_free(pg->letter);
    ps_free(pg->line);
    forget_run(pg);
}

static double page_xh_px(const struct ps_page *pg)
{
    double v[64];
    int n = 0;
    for (int j = 0; j < pg->nline && n < 64; j++)
        if (pg->line[j].xh > 0)
            v[n++] = pg->line[j].xh;
    return pg_median(v, n);
}

/* normalise -> binarise -> ruling -> DPI -> components -> segments -> metrics */
/* *finer > 0 on return: the printed Seyès lines show the writing is too
 * small for this scale; the run stopped early and should be redone at that
 * scale (pass NULL to never stop early). */
static ps_status run_pipeline(struct ps_page *pg, const ps_image *img, double scale, double *finer)
{
    const ps_page_params *pp = &pg->params;
    const ps_page_params p = *pp;
    stage_clock_t t = stage_clock();
    pg->rectified = 0;
    pg->passes++;
    /* a fine printed ruling in a narrow band of the gray rows (its middle
     * half: cheap, and no skew known yet, the band keeps a tilt of a few
     * degrees from smearing it) needs the finer scale: stop here. Only the
     * band is shrunk for the look (the same pixels as in the whole gray):
     * a page that goes finer never needs the rest at this scale */
    int W, H;
    pg_gray_size(img, scale, &W, &H);
    if (finer && scale < 1 && pg->fine_hint == 0 && 2 * (W / 32) >= 16) { /* narrower: no look finds a pitch */
        int band = W / 32;
        ps_image mid;
        ps_status lrc = pg_to_gray_rect(pg->pool, img, scale, W / 2 - band, H / 4, 2 * band, H / 2, &mid);
        if (lrc == PS_OK) {
            double pitch = pg_fine_ruling_pitch(&mid, 0, 2 * band, 17);
            pg_image_put(NULL, &mid);
            if (pitch > 0 && pitch < 17) {
                *finer = scale * 26 / pitch;
                pg->fine_hint = 1;
                stage_done(pg, PG_ST_GRAY, &t);
                return PS_OK;
            }
        } else if (lrc == PS_ERR_NOMEM) {
            return lrc;
        }
    }
    ps_status rc = pg_to_gray(pg->ws, pg->pool, img, scale, &pg->gray);
    pg->factor = (double)img->width / pg->gray.width;
    stage_done(pg, PG_ST_GRAY, &t);
    if (rc == PS_OK) {
        ps_image flat;
        rc = pg_rectify(pg->ws, pg->pool, &pg->gray, img, &flat, pg->hom, &pg->rectified, &pg->page_aspect);
        if (rc == PS_OK && pg->rectified) {
            pg_image_put(pg->ws, &pg->gray);
            pg->gray = flat;
        }
    }
    stage_done(pg, PG_ST_RECTIFY, &t);
    if (rc == PS_OK) {
        /* a flattened photo is upright already: its small residual tilts are
         * followed by the fitted baselines and printed lines */
        pg->skew_deg = pg->rectified ? 0 : pg_estimate_skew(pg->pool, &pg->gray);
        /* small skews are left to the tilted baselines and printed lines */
        if (fabs(pg->skew_deg) >= 0.3) {
            ps_image rot;
            rc = pg_rotate(pg->ws, pg->pool, &pg->gray, pg->skew_deg, &rot);
            if (rc == PS_OK) {
                pg_image_put(pg->ws, &pg->gray);
                pg->gray = rot;
            }
        } else {
            pg->skew_deg = 0;
        }
    }
    stage_done(pg, PG_ST_DESKEW, &t);
    if (rc == PS_OK)
        rc = pg_flatten_light(pg->pool, &pg->gray);
    stage_done(pg, PG_ST_FLATTEN, &t);
    if (rc == PS_OK) {
        /* Sauvola window: about 4 mm when the scale is known, else 1/40 of the page */
        double known = p.dpi > 0 ? p.dpi : p.file_dpi >= 100 ? p.file_dpi : 0;
        int side = pg->gray.width < pg->gray.height ? pg->gray.width : pg->gray.height;
        int win = known > 0 ? (int)(4.0 * known / 25.4 / pg->factor) : side / 40;
        if (win < 15)
            win = 15;
        /* k = 0.34 puts the ink edge near half coverage (sizes and gaps
         * unbiased); the faint mask (k = 0.1) finds light printed lines */
        ps_image faint;
        rc = pg_sauvola(pg->ws, pg->pool, &pg->gray, win | 1, 0.34, 0.1, &pg->mask, &faint);
        stage_done(pg, PG_ST_SAUVOLA, &t);
        if (rc == PS_OK) {
            rc = pg_ruling_detect_remove(pg->pool, &pg->gray, &faint, &pg->mask, &pg->ruling);
            stage_done(pg, PG_ST_RULING, &t);
            /* blurred thin strokes: their faint centres (the printed lines
             * removed) joined back to the ink, across gaps up to 32 px */
            if (rc == PS_OK)
                rc = pg_bridge_faint(pg->pool, &pg->gray, &faint, &pg->mask, 16);
            pg_image_put(pg->ws, &faint);
        }
        stage_done(pg, PG_ST_BRIDGE, &t);
    }
    /* Seyès: the small pitch is the x-height of the writing it guides */
    if (rc == PS_OK && finer && scale < 1 && pg->ruling.kind == PS_RULING_SEYES && pg->ruling.pitch_px > 0 &&
        pg->ruling.pitch_px < 17) {
        *finer = scale * 26 / pg->ruling.pitch_px;
        return PS_OK;
    }
    if (rc == PS_OK) {
        resolve_dpi(pg, img);
        rc = pg_stroke_width(pg->pool, &pg->mask, &pg->stroke_px);
    }
    if (rc == PS_OK)
        rc = pg_label(pg->ws, pg->pool, &pg->mask, &pg->labels, &pg->comp, &pg->ncomp);
    stage_done(pg, PG_ST_LABEL, &t);
    if (rc == PS_OK)
        rc = pg_segment(pg);
    stage_done(pg, PG_ST_SEGMENT, &t);
    if (rc == PS_OK)
        rc = pg_measure(pg);
    stage_done(pg, PG_ST_MEASURE, &t);
    return rc;
}

static ps_status run_hinted(struct ps_page *pg, const ps_image *img, double scale, double finer);

/* The pipeline at scale, and again finer when that finds small writing (a
 * Seyès ruling, or a small x-height). With look, a fine ruling in the
 * working gray rows stops the first pass right after the shrink and the
 * page goes on as run_hinted; without, this is the analysis as it was
 * before the look. */
static ps_status run_unhinted(struct ps_page *pg, const ps_image *img, double scale, int look)
{
    double finer = 0;
    pg->fine_hint = look ? 0 : -1;
    ps_status rc = run_pipeline(pg, img, scale, &finer);
    if (rc == PS_OK && pg->fine_hint == 1) {
        reset_page(pg);
        return run_hinted(pg, img, scale, finer);
    }
    if (rc == PS_OK && finer == 0 && scale < 1 && pg->nline > 0) {
        double xh = page_xh_px(pg);
        if (xh > 0 && xh < 17)
            finer = scale * 26 / xh;
    }
    if (rc == PS_OK && finer > 0) {
        reset_page(pg);
        rc = run_pipeline(pg, img, finer > 1 ? 1 : finer, NULL);
    }
    return rc;
}

/* A fine ruling seen in the gray rows (finer: the scale it asks for):
 * the page is analysed at that scale straight away. When the ruling found
 * there is not Seyès, the unhinted analysis decides: it starts at scale, and
 * when it would go to the same finer scale the result in hand is its
 * result; else it is thrown away. */
static ps_status run_hinted(struct ps_page *pg, const ps_image *img, double scale, double finer)
{
    double at = finer > 1 ? 1 : finer;
    pg->fine_hint = 1;
    ps_status rc = run_pipeline(pg, img, at, NULL);
    if (rc != PS_OK || pg->ruling.kind == PS_RULING_SEYES)
        return rc;
    struct ps_page *kept = ps_malloc(sizeof *kept);
    if (!kept)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    *kept = *pg;
    forget_run(pg);
    pg->fine_hint = -1;
    double again = 0;
    rc = run_pipeline(pg, img, scale, &again);
    if (rc == PS_OK && again == 0 && scale < 1 && pg->nline > 0) {
        double xh = page_xh_px(pg);
        if (xh > 0 && xh < 17)
            again = scale * 26 / xh;
    }
    if (rc == PS_OK && again > 0 && (again > 1 ? 1 : again) == at) {
        double stage_s[PG_NSTAGE], stage_wall_s[PG_NSTAGE];
        int passes = pg->passes;
        memcpy(stage_s, pg->stage_s, sizeof stage_s);
        memcpy(stage_wall_s, pg->stage_wall_s, sizeof stage_wall_s);
        reset_page(pg);
        *pg = *kept; /* same parameters, buffers and workspace: only the run differs */
        memcpy(pg->stage_s, stage_s, sizeof stage_s);
        memcpy(pg->stage_wall_s, stage_wall_s, sizeof stage_wall_s);
        pg->passes = passes;
        pg->fine_hint = -1;
    } else {
        reset_page(kept);
        if (rc == PS_OK && again > 0) {
            reset_page(pg);
            rc = run_pipeline(pg, img, again > 1 ? 1 : again, NULL);
        }
    }
    ps_free(kept);
    return rc;
}

struct ps_page_analyser {
    pg_ws *ws;
    ps_pool *pool;
    pg_models_cache models; /* loaded at the first page that needs them, kept for the next */
};

ps_status ps_page_analyser_new(int threads, ps_page_analyser_t **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_page_analyser_new: out is NULL");
    *out = NULL;
    ps_page_analyser_t *a = ps_calloc(1, sizeof *a);
    if (!a || !(a->ws = pg_ws_new())) {
        ps_free(a);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    pg_models_cache_init(&a->models);
    if (threads != 1) {
        ps_status rc = ps_pool_new(threads, &a->pool);
        if (rc != PS_OK) {
            pg_models_cache_release(&a->models);
            pg_ws_unref(a->ws);
            ps_free(a);
            return rc;
        }
    }
    *out = a;
    return PS_OK;
}

void ps_page_analyser_free(ps_page_analyser_t *a)
{
    if (!a)
        return;
    ps_pool_free(a->pool);
    pg_models_cache_release(&a->models);
    pg_ws_unref(a->ws);
    ps_free(a);
}

static ps_status analyse(pg_ws *ws, ps_pool *pool, pg_models_cache *models, const ps_image *img,
                         const ps_page_params *params, ps_page_t **out);

ps_status ps_page_analyse(const ps_image *img, const ps_page_params *params, ps_page_t **out)
{
    /* no analyser to keep them: the models live for this call */
    pg_models_cache models;
    pg_models_cache_init(&models);
    ps_status rc = analyse(NULL, NULL, &models, img, params, out);
    pg_models_cache_release(&models);
    return rc;
}

ps_status ps_page_analyse_with(ps_page_analyser_t *a, const ps_image *img, const ps_page_params *params,
                               ps_page_t **out)
{
    if (!a) {
        if (out)
            *out = NULL;
        return ps_fail(PS_ERR_INVALID_ARG, "ps_page_analyse_with: no analyser");
    }
    return analyse(a->ws, a->pool, &a->models, img, params, out);
}

static ps_status analyse(pg_ws *ws, ps_pool *pool, pg_models_cache *models, const ps_image *img,
                         const ps_page_params *params, ps_page_t **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_page_analyse: out is NULL");
    *out = NULL;
    if (!img || !img->data || img->width <= 0 || img->height <= 0 ||
        (img->channels != 1 && img->channels != 3 && img->channels != 4) ||
        img->stride < (size_t)img->width * img->channels)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_page_analyse: not a valid image");
    ps_page_params p;
    if (params)
        p = *params;
    else
        ps_page_params_default(&p);
    if (p.max_pixels && (uint64_t)img->width * img->height > p.max_pixels)
        return ps_fail(PS_ERR_LIMIT, "image of %dx%d pixels is over the limit of %llu", img->width, img->height,
                       (unsigned long long)p.max_pixels);
    struct ps_page *pg = ps_calloc(1, sizeof *pg);
    if (!pg)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    pg->params = p;
    pg->ws = ws;
    pg->pool = pool;
    pg->models = models;
    pg_ws_ref(ws);
    if (p.models_dir) {
        pg->models_copy = ps_strdup(p.models_dir);
        if (!pg->models_copy) {
            ps_page_free(pg);
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        }
        pg->params.models_dir = pg->models_copy;
    }
    if (p.text) {
        pg->text_copy = ps_strdup(p.text);
        if (!pg->text_copy) {
            ps_page_free(pg);
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        }
        pg->params.text = pg->text_copy;
    }
    /* working resolution: about 200 dpi when the scale is known (enough
     * for most writing, and analysis stays cheap next to the decode), else
     * a longer side of at most max_side; small writing (x-height under
     * 17 working pixels, e.g. 2 mm Seyès letters) is analysed again finer */
    double scale = 1, known_dpi = p.dpi > 0 ? p.dpi : p.file_dpi >= 100 ? p.file_dpi : 0;
    int longer = img->width > img->height ? img->width : img->height;
    if (known_dpi > PS_PAGE_WORK_DPI * 1.2)
        scale = PS_PAGE_WORK_DPI / known_dpi;
    int max_side = p.max_side > 0 ? p.max_side : 2400;
    if (longer * scale > max_side)
        scale = (double)max_side / longer;
    /* scans only (a known resolution): in a photo the perspective blurs
     * the ruling's pitch */
    ps_status rc = run_unhinted(pg, img, scale, known_dpi > 0);
    if (rc == PS_OK) {
        if (pg->nletter == 0)
            pg_warn(pg, "no writing found on the page");
        if (p.text) {
            const pg_models *m;
            stage_clock_t t = stage_clock();
            rc = pg_models_get(models, pg_models_dir(&pg->params), &m);
            if (rc == PS_OK) {
                rc = pg_text_measure(pg, &m->set);
                stage_done(pg, PG_ST_TEXT, &t);
            } else if (rc != PS_ERR_NOMEM) {
                pg_warn(pg, "--text: %s; letter form metrics are null", ps_last_error());
                rc = PS_OK;
            }
        }
    }
    pg->pool = NULL; /* the analyser's threads and models are not the result's */
    pg->models = NULL;
    if (rc != PS_OK) {
        ps_page_free(pg);
        return rc;
    }
    *out = pg;
    return PS_OK;
}

double ps_page_metric(const ps_page_t *pg, const char *name)
{
    if (!pg || !name)
        return NAN;
    for (int i = 0; i < PS_PAGE_METRIC_COUNT; i++)
        if (!strcmp(metric_names[i], name))
            return pg->metric[i];
    return NAN;
}

ps_page_ruling ps_page_get_ruling(const ps_page_t *pg)
{
    return pg ? (ps_page_ruling)pg->ruling.kind : PS_RULING_NONE;
}

double ps_page_dpi(const ps_page_t *pg, const char **source)
{
    if (source)
        *source = pg ? pg->dpi_source : "none";
    return pg ? pg->dpi : 0;
}

int ps_page_warning_count(const ps_page_t *pg)
{
    return pg ? pg->nwarn : 0;
}

const char *ps_page_warning(const ps_page_t *pg, int i)
{
    return pg && i >= 0 && i < pg->nwarn ? pg->warn[i] : NULL;
}

int ps_page_line_count(const ps_page_t *pg)
{
    return pg ? pg->nline : 0;
}

int ps_page_letter_count(const ps_page_t *pg)
{
    return pg ? pg->nletter : 0;
}

/* working image (deskewed, shrunk) -> input image pixels */
static void to_input(const struct ps_page *pg, double x, double y, float *ox, float *oy)
{
    double a = pg->skew_deg * M_PI / 180, c = cos(a), s = sin(a);
    double cx = pg->gray.width / 2.0, cy = pg->gray.height / 2.0, dx = x - cx, dy = y - cy;
    double px = cx + c * dx - s * dy, py = cy + s * dx + c * dy;
    if (pg->rectified) {
        const double *h = pg->hom;
        double w = h[6] * px + h[7] * py + h[8];
        double qx = (h[0] * px + h[1] * py + h[2]) / w, qy = (h[3] * px + h[4] * py + h[5]) / w;
        px = qx;
        py = qy;
    }
    *ox = (float)(px * pg->factor);
    *oy = (float)(py * pg->factor);
}

static void box_to_input(const struct ps_page *pg, double x0, double y0, double x1, double y1, float *b)
{
    float xs[4], ys[4];
    to_input(pg, x0, y0, &xs[0], &ys[0]);
    to_input(pg, x1, y0, &xs[1], &ys[1]);
    to_input(pg, x0, y1, &xs[2], &ys[2]);
    to_input(pg, x1, y1, &xs[3], &ys[3]);
    b[0] = b[2] = xs[0];
    b[1] = b[3] = ys[0];
    for (int i = 1; i < 4; i++) {
        if (xs[i] < b[0]) b[0] = xs[i];
        if (xs[i] > b[2]) b[2] = xs[i];
        if (ys[i] < b[1]) b[1] = ys[i];
        if (ys[i] > b[3]) b[3] = ys[i];
    }
}

ps_status ps_page_get_line(const ps_page_t *pg, int i, ps_page_line_info *o)
{
    if (!pg || !o || i < 0 || i >= pg->nline)
        return ps_fail(PS_ERR_INVALID_ARG, "no line %d", i);
    const pg_line *ln = &pg->line[i];
    float b[4], tmp;
    box_to_input(pg, ln->x0, ln->y0, ln->x1, ln->y1, b);
    o->x0 = b[0];
    o->y0 = b[1];
    o->x1 = b[2];
    o->y1 = b[3];
    to_input(pg, ln->x0, ln->base_a + ln->base_b * ln->x0, &tmp, &o->base_y0);
    to_input(pg, ln->x1, ln->base_a + ln->base_b * ln->x1, &tmp, &o->base_y1);
    o->ruled = ln->ruled;
    o->letters = ln->n;
    o->words = ln->nwords;
    o->x_height_mm = ln->x_height_mm;
    o->baseline_dev_mm = ln->baseline_dev_mm;
    o->on_line_pct = ln->on_line_pct;
    o->letter_gap_mm = ln->letter_gap_mm;
    o->word_gap_mm = ln->word_gap_mm;
    o->slant_deg = ln->slant_deg;
    return PS_OK;
}

ps_status ps_page_get_letter(const ps_page_t *pg, int i, ps_page_letter_info *o)
{
    if (!pg || !o || i < 0 || i >= pg->nletter)
        return ps_fail(PS_ERR_INVALID_ARG, "no letter %d", i);
    const pg_letter *L = &pg->letter[i];
    float b[4];
    box_to_input(pg, L->x0, L->y0, L->x1, L->y1, b);
    o->x0 = b[0];
    o->y0 = b[1];
    o->x1 = b[2];
    o->y1 = b[3];
    o->line = L->line;
    o->word = L->word;
    o->off_line = (L->flags & PG_OFF_LINE) != 0;
    o->tall = L->cls == PG_TALL;
    o->descender = L->cls == PG_DESC;
    o->bottom_dev_mm = pg->px_per_mm > 0 ? (float)(L->dev / pg->px_per_mm) : NAN;
    o->slant_deg = L->slant_w > 0 ? L->slant_deg : NAN;
    o->expected = L->expect;
    o->recognised = L->expect ? L->recog : 0;
    o->reversed = (L->flags & PG_REVERSED) != 0;
    o->not_closed = (L->flags & PG_OPEN) != 0;
    o->form_score = L->expect ? L->form : NAN;
    return PS_OK;
}

/* metrics whose value is a count are written as integers */
static int metric_is_count(int i)
{
    return i <= 2 || i == 14 || (i >= 22 && i <= 25) || i == 27 || i == 28;
}

void pg_json_metrics(const struct ps_page *pg, ps_json *j)
{
    ps_json_obj_begin(j);
    for (int i = 0; i < PS_PAGE_METRIC_COUNT; i++) {
        double v = pg->metric[i];
        if (i == 3)
            ps_json_kstr(j, metric_names[i], ps_page_ruling_name((ps_page_ruling)pg->ruling.kind));
        else if (metric_is_count(i) && isfinite(v))
            ps_json_kint(j, metric_names[i], (int64_t)v);
        else if (i == 21 && !(pg->params.seconds > 0))
            continue; /* letters_per_min only with --seconds */
        else if (i >= 22 && !pg->params.text)
            continue; /* the --text metrics only with --text */
        else
            ps_json_knum(j, metric_names[i], v);
    }
    ps_json_obj_end(j);
}

void pg_json_detail(const struct ps_page *pg, ps_json *j)
{
    ps_json_obj_begin(j);
    ps_json_knum(j, "dpi", pg->dpi > 0 ? pg->dpi : NAN);
    ps_json_kstr(j, "dpi_source", pg->dpi_source);
    ps_json_knum(j, "skew_deg", pg->skew_deg);
    ps_json_kbool(j, "rectified", pg->rectified != 0);
    if (pg->rectified) {
        ps_json_key(j, "page_corners");
        ps_json_arr_begin(j);
        double cs[4][2] = {{0, 0}, {pg->gray.width, 0}, {pg->gray.width, pg->gray.height}, {0, pg->gray.height}};
        for (int k = 0; k < 4; k++) {
            const double *h = pg->hom;
            double w = h[6] * cs[k][0] + h[7] * cs[k][1] + h[8];
            ps_json_arr_begin(j);
            ps_json_num(j, (h[0] * cs[k][0] + h[1] * cs[k][1] + h[2]) / w * pg->factor);
            ps_json_num(j, (h[3] * cs[k][0] + h[4] * cs[k][1] + h[5]) / w * pg->factor);
            ps_json_arr_end(j);
        }
        ps_json_arr_end(j);
    }
    ps_json_knum(j, "work_scale", 1.0 / pg->factor);
    ps_json_key(j, "ruling");
    ps_json_obj_begin(j);
    ps_json_kstr(j, "kind", ps_page_ruling_name((ps_page_ruling)pg->ruling.kind));
    ps_json_knum(j, "pitch_px", pg->ruling.pitch_px > 0 ? pg->ruling.pitch_px * pg->factor : NAN);
    ps_json_key(j, "baselines_y");
    ps_json_arr_begin(j);
    for (int i = 0; i < pg->ruling.nbase; i++) {
        float x, y;
        to_input(pg, pg->gray.width / 2.0, pg->ruling.base[i] + 0.5, &x, &y);
        ps_json_num(j, y);
    }
    ps_json_arr_end(j);
    ps_json_obj_end(j);
    ps_json_key(j, "lines");
    ps_json_arr_begin(j);
    for (int i = 0; i < pg->nline; i++) {
        ps_page_line_info li;
        ps_page_get_line(pg, i, &li);
        ps_json_obj_begin(j);
        ps_json_knums(j, "box", (double[]){li.x0, li.y0, li.x1, li.y1}, 4);
        ps_json_knums(j, "baseline", (double[]){li.x0, li.base_y0, li.x1, li.base_y1}, 4);
        ps_json_kbool(j, "ruled", li.ruled);
        ps_json_kint(j, "letters", li.letters);
        ps_json_kint(j, "words", li.words);
        ps_json_knum(j, "x_height_mm", li.x_height_mm);
        ps_json_knum(j, "baseline_dev_mm", li.baseline_dev_mm);
        ps_json_knum(j, "on_line_pct", li.on_line_pct);
        ps_json_knum(j, "letter_gap_mm", li.letter_gap_mm);
        ps_json_knum(j, "word_gap_mm", li.word_gap_mm);
        ps_json_knum(j, "slant_deg", li.slant_deg);
        ps_json_knum(j, "slant_sd_deg", pg->line[i].slant_sd_deg);
        ps_json_obj_end(j);
    }
    ps_json_arr_end(j);
    ps_json_key(j, "letters");
    ps_json_arr_begin(j);
    static const char *cls_names[] = {"x", "tall", "descender", "dotted", "mark", "middle"};
    for (int i = 0; i < pg->nletter; i++) {
        ps_page_letter_info le;
        ps_page_get_letter(pg, i, &le);
        ps_json_obj_begin(j);
        ps_json_knums(j, "box", (double[]){le.x0, le.y0, le.x1, le.y1}, 4);
        ps_json_kint(j, "line", le.line);
        ps_json_kint(j, "word", le.word);
        ps_json_kstr(j, "class", cls_names[pg->letter[i].cls]);
        ps_json_kbool(j, "off_line", le.off_line);
        ps_json_knum(j, "bottom_dev_mm", le.bottom_dev_mm);
        ps_json_knum(j, "slant_deg", le.slant_deg);
        if (pg->params.text) {
            char e[2] = {le.expected, 0}, r[2] = {le.recognised, 0};
            if (le.expected) {
                ps_json_kstr(j, "expected", e);
                ps_json_kstr(j, "recognised", r);
                ps_json_knum(j, "form_score", le.form_score);
                ps_json_kbool(j, "reversed", le.reversed);
                ps_json_kbool(j, "not_closed", le.not_closed);
            } else {
                ps_json_kbool(j, "inserted", (pg->letter[i].flags & PG_INSERTED) != 0);
            }
        }
        ps_json_obj_end(j);
    }
    ps_json_arr_end(j);
    ps_json_obj_end(j);
}

void pg_json_warnings(const struct ps_page *pg, ps_json *j)
{
    ps_json_arr_begin(j);
    for (int i = 0; i < pg->nwarn; i++)
        ps_json_str(j, pg->warn[i]);
    ps_json_arr_end(j);
}

ps_status ps_page_to_json(const ps_page_t *pg, char **json, size_t *len)
{
    if (!pg || !json)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_page_to_json: NULL argument");
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_obj_begin(&j);
    ps_json_key(&j, "metrics");
    pg_json_metrics(pg, &j);
    ps_json_key(&j, "detail");
    pg_json_detail(pg, &j);
    ps_json_key(&j, "warnings");
    pg_json_warnings(pg, &j);
    ps_json_obj_end(&j);
    if (b.failed || !ps_json_ok(&j)) {
        ps_buf_release(&b);
        return ps_fail(PS_ERR_NOMEM, "out of memory writing JSON");
    }
    *json = b.data;
    if (len)
        *len = b.len;
    return PS_OK;
}
