/* Private pieces of the ink stage shared by its files: the raw sample
 * collector the readers fill, unit conversion into a ps_ink, strokes, and
 * the feature kernels (kept callable on their own so that the tests can
 * run them with BDALab's conventions as well as penscope's). */
#ifndef PS_INK_INTERNAL_H
#define PS_INK_INTERNAL_H
#include "penscope.h"
#include <stdbool.h>
#include <stddef.h>

/* Raw samples as the file has them, before units are applied. */
typedef struct ink_raw {
    size_t n, cap, max_samples;
    double *x, *y, *t, *p, *az, *alt;
    uint8_t *pen;
    bool has_t, has_p, has_az, has_alt, has_hover;
} ink_raw;

void ink_raw_init(ink_raw *r, const ps_ink_read_params *p);
void ink_raw_release(ink_raw *r);
/* Appends one sample; absent channels are passed as 0. PS_ERR_LIMIT past max_samples. */
ps_status ink_raw_push(ink_raw *r, double x, double y, double t, int pen, double p, double az, double alt);

/* Units of the raw values; 0 means "detect" (see ink_finish). */
typedef struct ink_units {
    double xy_mm;       /* mm per coordinate unit; 0: integer counts at lpi, else already mm */
    double t_s;         /* s per time unit; 0: integers with median step >= 1 are ms, else s */
    double angle_deg;   /* degrees per angle unit (svc: 0.1) */
    double pressure_max;/* raw full pressure; 0: read params, else auto */
    int y_up;           /* the file's y axis points up */
} ink_units;

/* Converts raw samples into out (moves the arrays: r is released). On a time
 * that goes backwards, fails with "sample N" where N is 1-based; readers
 * pass a describe function that turns a sample index into "line L". */
typedef void (*ink_where_fn)(size_t sample, char *buf, size_t cap, void *ud);
ps_status ink_finish(ink_raw *r, const ink_units *u, const ps_ink_read_params *p, ps_ink_format fmt,
                     ink_where_fn where, void *where_ud, ps_ink *out);
/* The line of the file each sample came from, for readers of line-based
 * formats (svc, CSV): ink_lines_set records sample i's line, and
 * ink_where_line, given the ink_lines as where_ud, names it "line L". */
typedef struct ink_lines {
    size_t *of, cap;
} ink_lines;
ps_status ink_lines_set(ink_lines *l, size_t sample, size_t line);
void ink_where_line(size_t sample, char *buf, size_t cap, void *ud);
void ink_lines_release(ink_lines *l);

/* Adds a short note about an assumption made while reading. */
void ink_note(ps_ink *ink, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Readers (one file each). */
ps_status ink_read_svc(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out);
ps_status ink_read_inkml(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out);
ps_status ink_read_csv(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out);

/* Checks an svc --columns list (see ps_ink_read_params.columns). */
ps_status ink_svc_columns_check(const char *spec);

/* Strict number parse of [s, end): the whole token must be a finite number. */
bool ink_parse_num(const char *s, const char *end, double *out);

/* ---- strokes and features ---- */

/* Runs of equal pen state in samples [first, last] inclusive (a pen_down
 * value of 2 also starts a new stroke). Returns the count; strokes may be
 * NULL to count only. */
size_t ink_strokes(const ps_ink *ink, size_t first, size_t last, ps_ink_stroke *strokes);
/* Index of the first and last pen-down samples; false if there are none. */
bool ink_pen_down_span(const ps_ink *ink, size_t *first, size_t *last);

/* Statistics over a double array, NAN-safe as BDALab's nanmean / nanstd (population). */
typedef struct ink_stats {
    size_t n;       /* finite values */
    double mean, sd;
} ink_stats;
ink_stats ink_stats_of(const double *v, size_t n);

/* Kinematics of one stroke [first, first+count): speed v_i = |dp|/dt between
 * consecutive samples (count-1 values), signed a_i = (v_{i+1}-v_i)/dt_{i+1},
 * signed j_i = (a_{i+1}-a_i)/dt_{i+2}. Intervals with dt <= 0 give NAN (skipped
 * by the statistics). axis: 0 = xy, 1 = x only, 2 = y only. v, a, j need
 * count entries each; returns the number of speed values. */
size_t ink_kinematics(const ps_ink *ink, size_t first, size_t count, int axis, double *v, double *a,
                      double *j);

/* The Gaussian window BDALab applies before counting changes: 50 points,
 * sigma 10, normalised to sum 1. */
#define INK_GAUSS_LEN 50
void ink_gauss_window(double w[INK_GAUSS_LEN]);
/* Zero-phase FIR filtering (forward then backward) with odd extension of
 * padlen samples and steady-state initial conditions, as scipy's
 * filtfilt(w, 1, x, padlen=padlen). Needs n > padlen. work needs
 * 2*(n + 2*padlen) doubles. Writes y (n values). */
void ink_filtfilt_fir(const double *w, int nw, const double *x, size_t n, size_t padlen, double *y,
                      double *work);
/* Strict local extrema of v: v[i] above or below both neighbours by more
 * than tol (BDALab: tol 0; penscope: a rounding-level tolerance so that a
 * flat profile has no changes). */
size_t ink_count_extrema(const double *v, size_t n, double tol);

/* Writing stops inside one on-surface stroke, by BDALab's rule: speed <= 1
 * mm/s is a stop; zero runs longer than N = ceil(0.015 s / mean dt) samples
 * count, runs closer than 2N are fused. Returns the number of stops; adds the
 * run lengths in samples (r - l - 1) to *samples_sum when not NULL. v is the
 * stroke's speed (nv values, modified), mean_dt its mean interval. */
size_t ink_stops(double *v, size_t nv, double mean_dt, double *samples_sum);

/* Circular mean and SD (sqrt(-2 ln R)) of angles in degrees; mean in [0, 360). */
void ink_circular_stats(const double *deg, size_t n, double *mean, double *sd);

/* BDALab handwriting-features' own conventions (bdalab.c), computed with the
 * kernels above: the recording trimmed to its pen-down span, strokes split at
 * every pen-state change with the recording's last sample dropped, NCV over
 * strokes of more than 151 samples only, signed acceleration and jerk,
 * linear azimuth statistics, raw pressure. The tests check these against
 * BDALab's own numbers, which proves the kernels; penscope's metrics then
 * differ from them only by the documented choices. NAN where BDALab has no
 * value (or raises). */
typedef struct ink_bdalab {
    double n_strokes_on, n_strokes_air;
    double velocity_on_mean, velocity_on_std, velocity_air_mean;
    double accel_on_mean, accel_on_std, jerk_on_mean, jerk_on_std;
    double duration_on, duration_air, duration_overall, ratio_of_writing_durations;
    double stroke_length_on_mean, writing_width_on, writing_height_on;
    double pressure_mean, pressure_std, tilt_on_mean, tilt_on_std, azimuth_on_mean, azimuth_on_std;
    double ncv, ncv_used, ncv_skipped, ncv_relative;
    double stops_count, stops_sum, interruptions;
} ink_bdalab;
ps_status ink_bdalab_features(const ps_ink *ink, ink_bdalab *out);

/* Letter formation (letters.c) */
struct ps_ink_result;
ps_status ink_letters_analyse(const ps_ink *ink, const ps_ink_params *p, ps_ink_result *r);

/* Warnings on a result (dropped past PS_INK_MAX_WARNINGS). */
void ink_warn(ps_ink_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
