/* psgen: renders synthetic handwriting worksheets with known ground truth.
 *
 * A page is drawn with cairo at a chosen resolution: paper, a printed ruling
 * (none, single-ruled notebook, primary-school top/dashed-mid/base lines,
 * Seyès), then lines of text in a handwriting-style font, one glyph at a
 * time, so that every letter's size, baseline offset, spacing, slant,
 * mirror image and tremor is controlled. The true value of every page metric
 * of METRICS.md §2 is computed from what was placed (never from pixels), so
 * tests and the bench can check penscope against it. An optional phone-photo
 * pass adds perspective, a light gradient, blur, noise and JPEG loss.
 *
 * Used by tests/unit/test_page_*.c, bench/bench_page.c and the psgen tool. */
#ifndef PSGEN_H
#define PSGEN_H
#include "penscope.h"

enum psgen_ruling { PSGEN_NONE = 0, PSGEN_SINGLE = 1, PSGEN_PRIMARY = 2, PSGEN_SEYES = 3 };

typedef struct psgen_params {
    double dpi;               /* render resolution */
    double page_w_mm, page_h_mm;
    int ruling;               /* enum psgen_ruling */
    double ruling_pitch_mm;   /* single: line pitch; seyes: small-line pitch (2 mm);
                                 primary: base-to-base pitch of the groups. 0 = default */
    const char *font;         /* fontconfig family, e.g. "Andika" */
    const char *text;         /* lines separated by '\n'; words by spaces; a line
                                 ends at the first letter that would run past the
                                 page's right edge less 2 mm (the rest is not drawn) */
    const char *marks;        /* optional, same length as text: per letter
                                 'r' mirrored (reversal), 'o' open (closure cut),
                                 'u' / 'd' moved up / down by mark_offset_mm,
                                 't' touching the letter before it, '.' none */
    double touch_prob;        /* chance that a letter of a word is slid left until
                                 its ink meets the letter before it (besides 't') */
    double touch_depth_mm;    /* how far past the first contact a touching letter
                                 goes (the overlap of the two inks) */
    double mark_offset_mm;
    double x_height_mm;       /* wanted median x-height; unruled/single only
                                 (primary/seyes take it from the ruling) */
    double line_pitch_mm;     /* unruled line pitch; 0 = 3.2 x-heights */
    double margin_left_mm, margin_top_mm;
    double letter_gap_mm;     /* ink gap between letters of a word; < 0 = overlap */
    double letter_gap_sd_mm;
    double word_gap_mm;       /* ink gap between words */
    double word_gap_sd_mm;
    double slant_deg;         /* shear of every letter, positive leans right */
    double slant_sd_deg;      /* per-letter random slant */
    double size_sd;           /* per-letter relative size jitter (sd of the scale) */
    double baseline_sd_mm;    /* per-letter random vertical offset */
    double line_angle_sd_deg; /* per-line rotation, unruled pages only */
    double line_wave_mm;      /* wavy lines: the letters ride a sine of this amplitude */
    double line_wave_len_mm;  /* along the line with this wavelength (0 = 60 mm), a random
                                 phase per line; unruled pages only */
    double margin_drift_mm;   /* each line starts this much further right */
    double tremor_mm;         /* amplitude of a wobble added to the glyph outlines */
    double ink_gray;          /* 0..1 ink darkness (0 = black); default 0.25 */
    int rgb;                  /* 1: RGB output with blue/red ruling; 0: gray */
    unsigned seed;
    /* phone photo simulation (applied after rendering when photo != 0) */
    int photo;
    double photo_tilt;        /* perspective strength 0..0.2 (corner displacement / side) */
    double photo_rotate_deg;
    double photo_light;       /* 0..1 depth of a light gradient / shadow */
    double photo_blur_px;
    double photo_noise;       /* sd of gaussian noise, 0..255 */
    int photo_hand;           /* a hand resting on the page's lower right corner and a
                                 pencil lying across the lower half */
} psgen_params;

/* Defaults: A5 page (148 x 210 mm) at 200 dpi, Andika, no ruling, a short
 * pangram text, 3 mm x-height, 0.6 mm letter gaps, 2.4 mm word gaps. */
void psgen_params_default(psgen_params *p);
/* On top of the defaults: a child's variable hand (slant SD 6 deg, size SD
 * 8 %, baseline SD 0.25 mm, 0.05 mm tremor, 1 mm letter gaps), the
 * "child-like" style of the recogniser and formcheck benches. */
void psgen_params_child_like(psgen_params *p);
/* A phone photo of the page, as psgen --photo makes it: perspective (tilt
 * 0.08), a 4 degree turn, a light gradient of 0.4, 1 px of blur and noise
 * of SD 4; the colour (rgb) is left as it is. */
void psgen_params_phone_photo(psgen_params *p);

enum psgen_letter_class { PSGEN_X = 0, PSGEN_TALL = 1, PSGEN_DESC = 2, PSGEN_DOTTED = 3, PSGEN_OTHER = 4 };

typedef struct psgen_letter {
    char ch;
    int line, word;
    int cls;                   /* enum psgen_letter_class */
    int mark;                  /* the marks character ('.' when none) */
    double x0, y0, x1, y1;     /* ink box on the page, px (device, after all transforms) */
    double left_mm, right_mm;  /* ink extent along the line, unsheared, mm from the line start */
    double bottom_mm, top_mm;  /* ink bottom/top relative to the line's baseline, mm, up positive */
    double slant_deg;
    int touch_prev;            /* its ink and the previous letter's on the line are one
                                  piece (judged from the two glyphs alone, at half coverage) */
    int ink_x, ink_y;          /* a page pixel fully inked by this letter (-1 when none) */
} psgen_letter;

typedef struct psgen_line {
    double x0_px, base_y_px;   /* baseline start on the page */
    double angle_deg;          /* rotation of the line, positive = rising to the right (image y up) */
    double first_left_mm;      /* ink left of the first letter from the page's left edge */
    int nletters;
    double x_height_mm, baseline_dev_mm, slant_deg, letter_gap_mm, word_gap_mm;
} psgen_line;

/* The ground truth of one generated page, in the names of METRICS.md §2. */
typedef struct psgen_truth {
    int ruling;
    double dpi;
    int lines, words, letters;
    double x_height_mm, x_height_cv, ascender_ratio;
    double baseline_dev_mm, on_line_pct;
    double letter_gap_mm, letter_gap_cv;
    double word_gap_mm, word_gap_cv, word_gap_ratio;
    double slant_deg, slant_sd_deg;   /* from the shear applied (the font's own slant excluded) */
    double line_angle_sd_deg, margin_drift_mm;
    double ruling_pitch_mm;            /* printed reference pitch used by --ruling-mm */
    int reversals;                     /* mirrored letters that differ from their mirror image */
    int closure_cuts;                  /* cut letters among a b d g o p q 0 6 8 9 */
    int collisions;                    /* letters made to touch the one before */
    int touching;                      /* letters whose ink meets the one before (touch_prev) */
    int photo;                         /* the page was turned into a photo: */
    double photo_h[9];                 /* homography from page pixels to photo pixels */
    psgen_letter *letter;              /* [letters] */
    psgen_line *line;                  /* [lines] */
} psgen_truth;

/* Maps a point of the rendered page into the output image (the identity
 * unless the page was made into a photo). */
void psgen_page_to_image(const psgen_truth *t, double x, double y, double *ox, double *oy);

/* Renders a page into out (allocated, gray or RGB) and fills truth (release
 * with psgen_truth_release). Returns PS_OK or an error with ps_last_error(). */
ps_status psgen_render(const psgen_params *p, ps_image *out, psgen_truth *truth);
void psgen_truth_release(psgen_truth *t);

/* Writes the truth as one JSON object (metrics + per-line values). */
ps_status psgen_truth_write_json(const psgen_truth *t, const char *path);
/* Writes a PNG with an optional pHYs resolution (dpi <= 0: none). */
ps_status psgen_write_png(const char *path, const ps_image *img, double dpi);
/* Writes a JPEG (quality 1..100) with optional JFIF density. */
ps_status psgen_write_jpeg(const char *path, const ps_image *img, int quality, double dpi);

/* Geometric helpers for the invariant tests: scale an image by k (area
 * average / bilinear), and shear it horizontally by angle about row y0. */
ps_status psgen_scale(const ps_image *in, double k, ps_image *out);
ps_status psgen_shear(const ps_image *in, double angle_deg, ps_image *out);

#endif
