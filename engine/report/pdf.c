/* The printable PDF report (A4): a title block, the methods paragraph, then
 * per metric a sentence and a chart, and the latest overlays on the last page.
 * Text wraps by measuring words with cairo's own font metrics. */
#include "report/report_internal.h"
#include "core/file.h"
#include "core/status.h"
#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 48.0

typedef struct pdf_ctx {
    cairo_t *cr;
    double y;
    int page;
    const char *code; /* the child's code, in every page's footer */
} pdf_ctx;

/* "penscope 0.1.0 · K7 · page 2": loose printed pages stay in order */
static void footer(pdf_ctx *p)
{
    char text[160];
    snprintf(text, sizeof text, "penscope %s \xc2\xb7 %s \xc2\xb7 page %d", ps_version(), p->code, p->page);
    cairo_save(p->cr);
    cairo_select_font_face(p->cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(p->cr, 8);
    cairo_set_source_rgb(p->cr, 0.45, 0.45, 0.45);
    cairo_text_extents_t e;
    cairo_text_extents(p->cr, text, &e);
    cairo_move_to(p->cr, PAGE_W - MARGIN - e.x_advance, PAGE_H - MARGIN / 2);
    cairo_show_text(p->cr, text);
    cairo_restore(p->cr);
}

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void new_page(pdf_ctx *p)
{
    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
}

static void need(pdf_ctx *p, double h)
{
    if (p->y + h > PAGE_H - MARGIN)
        new_page(p);
}

static void font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Writes text wrapped to the text width, advancing p->y. */
static void para(pdf_ctx *p, const char *text, double size, int bold)
{
    cairo_t *cr = p->cr;
    font(cr, size, bold);
    double lh = size * 1.35, width = PAGE_W - 2 * MARGIN;
    char line[1024] = "", word[256];
    const char *s = text;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, " ");
        if (n == 0)
            break;
        if (n >= sizeof word)
            n = sizeof word - 1;
        memcpy(word, s, n);
        word[n] = 0;
        s += strcspn(s, " ");
        char trial[1300];
        snprintf(trial, sizeof trial, "%s%s%s", line, line[0] ? " " : "", word);
        cairo_text_extents_t e;
        cairo_text_extents(cr, trial, &e);
        if ((e.x_advance > width || strlen(trial) >= sizeof line) && line[0]) {
            need(p, lh);
            font(cr, size, bold);
            cairo_move_to(cr, MARGIN, p->y + size);
            cairo_show_text(cr, line);
            p->y += lh;
            snprintf(line, sizeof line, "%s", word);
        } else if (strlen(trial) < sizeof line)
            memcpy(line, trial, strlen(trial) + 1);
    }
    if (line[0]) {
        need(p, lh);
        font(cr, size, bold);
        cairo_move_to(cr, MARGIN, p->y + size);
        cairo_show_text(cr, line);
        p->y += lh;
    }
}

typedef struct mem_reader {
    const unsigned char *p;
    size_t left;
} mem_reader;

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int len)
{
    mem_reader *r = closure;
    if (len > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, len);
    r->p += len;
    r->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

static void overlay(pdf_ctx *p, const char *title, const void *png, size_t len, int32_t day)
{
    if (!png || !len)
        return;
    mem_reader r = {png, len};
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_mem, &r);
    char head[128], date[16];
    ps_date_format(day, date);
    snprintf(head, sizeof head, "%s (%s)", title, date);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        need(p, 40);
        para(p, head, 12, 1);
        para(p, "The stored overlay image could not be read.", 10, 0);
        return;
    }
    double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
    double maxw = PAGE_W - 2 * MARGIN, maxh = 330;
    double sc = fmin(maxw / iw, maxh / ih);
    need(p, ih * sc + 30);
    para(p, head, 12, 1);
    cairo_save(p->cr);
    cairo_translate(p->cr, MARGIN, p->y + 4);
    cairo_scale(p->cr, sc, sc);
    cairo_set_source_surface(p->cr, img, 0, 0);
    cairo_paint(p->cr);
    cairo_restore(p->cr);
    p->y += ih * sc + 16;
    cairo_surface_destroy(img);
}

ps_status ps_report_write_pdf(const ps_report_input *in, const char *path)
{
    if (!in || !path || !in->child)
        return ps_fail(PS_ERR_INVALID_ARG, "a report needs a child and a path");
    FILE *f = ps_file_create_private(path, "wb");
    if (!f)
        return PS_ERR_IO;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write_file, f, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, "penscope progress report");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "penscope");
    pdf_ctx p = {cairo_create(surf), MARGIN, 1, in->child->code};
    cairo_t *cr = p.cr;
    cairo_set_source_rgb(cr, 0, 0, 0);

    char buf[2048], date[16];
    snprintf(buf, sizeof buf, "Handwriting and pencil grip progress: %s", in->child->code);
    para(&p, buf, 18, 1);
    ps_date_format(in->today, date);
    rp_subtitle(in, buf, sizeof buf);
    char line[2100];
    snprintf(line, sizeof line, "Report of %s. %s.", date, buf);
    para(&p, line, 10, 0);
    p.y += 6;
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    para(&p, rp_methods_text, 9, 0);
    p.y += 4;
    para(&p, rp_chart_key_text, 9, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    p.y += 10;

    size_t shown = 0;
    for (size_t i = 0; i < in->n; i++) {
        const ps_metric_progress *m = &in->metrics[i];
        if (!rp_has_content(m))
            continue;
        shown++;
        double chart_h = m->n ? 150 : 0;
        need(&p, 60 + chart_h);
        rp_title(m, buf, sizeof buf);
        para(&p, buf, 12, 1);
        ps_report_sentence(m, buf, sizeof buf);
        para(&p, buf, 10, 0);
        if (m->n) {
            rp_chart_draw(cr, m, MARGIN, p.y + 4, PAGE_W - 2 * MARGIN, chart_h);
            p.y += chart_h + 8;
        }
        p.y += 10;
        cairo_set_source_rgb(cr, 0, 0, 0);
    }
    if (!shown)
        para(&p, "Nothing has been recorded for this child yet.", 11, 0);
    overlay(&p, "Latest grip photo with the hand skeleton", in->grip_png, in->grip_png_len, in->grip_day);
    overlay(&p, "Latest worksheet with flagged letters", in->page_png, in->page_png_len, in->page_day);

    footer(&p);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    int bad = fclose(f) != 0;
    if (st != CAIRO_STATUS_SUCCESS || bad)
        return ps_fail(PS_ERR_IO, "cannot write the report '%s': %s", path,
                       st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : "write error");
    return PS_OK;
}
