/* Scoring a page analysis against psgen's truth, shared by the page tests and
 * bench_letters: letters counted per writing line, and the touching letters
 * of a rendered page seen as ink components. */
#ifndef PSGEN_EVAL_H
#define PSGEN_EVAL_H
#include "psgen.h"

typedef struct psgen_count_score {
    int lines;         /* truth lines */
    int lines_exact;   /* truth lines whose letter count was found exactly */
    int abs_err;       /* sum over truth lines of |letters found - letters written| */
    int letters, found;
} psgen_count_score;

/* Adds page pg's per-line letter counts (marks left out) against truth t to s.
 * A truth line is the detected line whose box holds the middle of its
 * x-height band at the line's middle letter (nearest baseline when several);
 * a truth line with no detected line counts all its letters as missed. Page
 * truth is mapped through a photo's perspective. */
void psgen_score_letter_counts(const psgen_truth *t, const ps_page_t *pg, psgen_count_score *s);

/* Touching letters judged one by one (bench_letters --pairs): pairs[a][b]
 * counts truth pairs "ab" (lower-case letters of a line, the second touching
 * the first) and split[a][b] those whose letters ended in different letters
 * of the analysis (each letter's truth ink pixel found in a letter of the
 * page); letters[c] counts truth letters c and oversplit[c] those whose ink
 * the split cut in two or more (more than one letter of the analysis has its
 * centre nearest to it, one of them a cut piece). Pages turned into photos
 * are skipped (no page pixels). */
typedef struct psgen_pair_score {
    int pairs[26][26], split[26][26];
    int letters[26], oversplit[26];
    int unknown; /* touching pairs whose ink pixel lay in no letter of the analysis */
} psgen_pair_score;
void psgen_score_touch_pairs(const psgen_truth *t, const ps_page_t *pg, psgen_pair_score *s);

/* Labels the ink of a rendered page (no photo) at half coverage and counts
 * what touching really made: *groups = components that hold two or more
 * letters' ink, *pairs = neighbouring letters of a line in one component,
 * *agree = letters whose truth touch_prev equals "in one component with the
 * letter before". Returns PS_OK or an error. */
ps_status psgen_touch_components(const psgen_truth *t, const ps_image *img, int *groups, int *pairs, int *agree);
/* The same labelling: *across = components holding letters of two writing
 * lines (a descender joined to an ascender below). */
ps_status psgen_crossline_components(const psgen_truth *t, const ps_image *img, int *across);

/* psgen marks for a reversal and closure page (marks has room for
 * strlen(text) + 1): with marked, every third letter that should close is
 * cut open ('o': the 2nd, 5th, ...) and every third other letter whose
 * mirror image differs is mirrored ('r': the 1st, 4th, ...), by the
 * engine's own letter sets (page/formcheck.h); the rest, or all without
 * marked, '.'. */
void psgen_formcheck_marks(const char *text, int marked, char *marks);

/* Renders page p (its truth into *t) and analyses it with the resolution
 * given as dpi (0: none, the analysis finds the scale) and the letter models
 * of models (NULL: the default folder): the steps every page test repeats.
 * On failure nothing is left to free. */
ps_status psgen_render_analyse(const psgen_params *p, double dpi, const char *models, psgen_truth *t,
                               ps_page_t **pg);
#endif
