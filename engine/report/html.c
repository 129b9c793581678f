/* The HTML report: one self-contained file (inline CSS, charts as inline SVG
 * drawn by the same cairo code as the PDF, overlays as PNG data URIs), so it
 * opens offline and can be mailed as is. Nothing refers to the network. */
#include "report/report_internal.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/status.h"
#include <cairo-svg.h>
#include <stdio.h>
#include <string.h>

static void esc(ps_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': ps_buf_puts(b, "&lt;"); break;
        case '>': ps_buf_puts(b, "&gt;"); break;
        case '&': ps_buf_puts(b, "&amp;"); break;
        case '"': ps_buf_puts(b, "&quot;"); break;
        default: ps_buf_putc(b, *s);
        }
    }
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    ps_buf_append(closure, data, len);
    return ((ps_buf *)closure)->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* The chart as an <svg> element (the XML declaration dropped). */
static void svg_chart(ps_buf *out, const ps_metric_progress *m)
{
    ps_buf svg;
    ps_buf_init(&svg);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_buf, &svg, 640, 180);
    cairo_t *cr = cairo_create(s);
    rp_chart_draw(cr, m, 0, 0, 640, 180);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    const char *start = svg.len ? strstr(svg.data, "<svg") : NULL;
    if (st == CAIRO_STATUS_SUCCESS && start && !svg.failed) {
        ps_buf_puts(out, "<div class=\"chart\">");
        ps_buf_append(out, start, svg.len - (size_t)(start - svg.data));
        ps_buf_puts(out, "</div>\n");
    } else if (svg.failed)
        out->failed = true; /* out of memory: the whole report fails, not just this chart */
    else
        ps_buf_puts(out, "<p class=\"note\">(the chart could not be drawn)</p>\n");
    ps_buf_release(&svg);
}

static void base64(ps_buf *b, const unsigned char *p, size_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {tbl[v >> 18 & 63], tbl[v >> 12 & 63], i + 1 < n ? tbl[v >> 6 & 63] : '=',
                     i + 2 < n ? tbl[v & 63] : '='};
        ps_buf_append(b, q, 4);
    }
}

static void overlay(ps_buf *b, const char *title, const void *png, size_t len, int32_t day)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (!png || len < 8 || memcmp(png, sig, 8) != 0)
        return; /* only real PNG bytes go into a data URI */
    char date[16];
    ps_date_format(day, date);
    ps_buf_printf(b, "<h2>%s (%s)</h2>\n<img class=\"overlay\" alt=\"", title, date);
    esc(b, title);
    ps_buf_puts(b, "\" src=\"data:image/png;base64,");
    base64(b, png, len);
    ps_buf_puts(b, "\">\n");
}

ps_status ps_report_write_html(const ps_report_input *in, const char *path)
{
    if (!in || !path || !in->child)
        return ps_fail(PS_ERR_INVALID_ARG, "a report needs a child and a path");
    ps_buf b;
    ps_buf_init(&b);
    char buf[2048], date[16];
    ps_date_format(in->today, date);
    ps_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>penscope progress: ");
    esc(&b, in->child->code);
    ps_buf_puts(&b, "</title>\n<style>\n"
                    "body{font-family:sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}\n"
                    "h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.6em}\n"
                    ".note,.key{color:#555;font-size:.9em}.chart svg{max-width:100%;height:auto}\n"
                    ".overlay{max-width:100%}\n@media print{h2{break-after:avoid}.chart{break-inside:avoid}}\n"
                    "</style></head><body>\n<h1>Handwriting and pencil grip progress: ");
    esc(&b, in->child->code);
    ps_buf_puts(&b, "</h1>\n<p>Report of ");
    ps_buf_puts(&b, date);
    ps_buf_puts(&b, ". ");
    rp_subtitle(in, buf, sizeof buf);
    esc(&b, buf);
    ps_buf_puts(&b, ".</p>\n<p class=\"note\">");
    esc(&b, rp_methods_text);
    ps_buf_puts(&b, "</p>\n<p class=\"key\">");
    esc(&b, rp_chart_key_text);
    ps_buf_puts(&b, "</p>\n");
    size_t shown = 0;
    for (size_t i = 0; i < in->n; i++) {
        const ps_metric_progress *m = &in->metrics[i];
        if (!rp_has_content(m))
            continue;
        shown++;
        rp_title(m, buf, sizeof buf);
        ps_buf_puts(&b, "<h2>");
        esc(&b, buf);
        ps_buf_puts(&b, "</h2>\n<p>");
        ps_report_sentence(m, buf, sizeof buf);
        esc(&b, buf);
        ps_buf_puts(&b, "</p>\n");
        if (m->n)
            svg_chart(&b, m);
    }
    if (!shown)
        ps_buf_puts(&b, "<p>Nothing has been recorded for this child yet.</p>\n");
    overlay(&b, "Latest grip photo with the hand skeleton", in->grip_png, in->grip_png_len, in->grip_day);
    overlay(&b, "Latest worksheet with flagged letters", in->page_png, in->page_png_len, in->page_day);
    ps_buf_puts(&b, "</body></html>\n");
    if (b.failed) {
        ps_buf_release(&b);
        return ps_fail(PS_ERR_NOMEM, "out of memory writing the report");
    }
    FILE *f = ps_file_create_private(path, "w");
    if (!f) {
        ps_buf_release(&b);
        return PS_ERR_IO;
    }
    int ok = ps_buf_flush(&b, f);
    ok &= fclose(f) == 0;
    ps_buf_release(&b);
    return ok ? PS_OK : ps_fail(PS_ERR_IO, "cannot write the report '%s'", path);
}
