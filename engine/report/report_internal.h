/* Private pieces of the report stage: the chart, text layout helpers and the
 * plain-language wording shared by the PDF and HTML writers. */
#ifndef PS_REPORT_INTERNAL_H
#define PS_REPORT_INTERNAL_H
#include "penscope.h"
#include <cairo.h>
#include <stddef.h>

/* Draws a metric's chart into the box (x, y, w, h) in user units. */
void rp_chart_draw(cairo_t *cr, const ps_metric_progress *m, double x, double y, double w, double h);
/* Does the metric have anything to show (a number or a category value)? */
int rp_has_content(const ps_metric_progress *m);
/* "Grip distance (mm)" */
void rp_title(const ps_metric_progress *m, char *buf, size_t cap);
/* A value with its unit for prose: "14 mm", "52%", "3". */
void rp_value(double v, const char *unit, char *buf, size_t cap);
/* Is observation value v a reliable change from the baseline, and which
 * way: +1 better, -1 worse, 2 reliable without a good direction, 0 not. */
int rp_reliable_mark(const ps_metric_progress *m, double v);
/* The methods paragraph (what baseline, reliable change and norms mean). */
extern const char rp_methods_text[];
/* The key to the chart marks, said the same in HTML and PDF. */
extern const char rp_chart_key_text[];
/* Header line: "born 2018 · left-handed · 12 sessions from ... to ..." */
void rp_subtitle(const ps_report_input *in, char *buf, size_t cap);

#endif
