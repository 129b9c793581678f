/* The live window of `penscope grip --show` (see live_view.h). */
#include "cli/live_view.h"
#include "core/alloc.h"
#include "core/module.h"
#include "core/status.h"
#include "io/io.h"
#include "modules/display/display_abi.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct live_view {
    const ps_display_module *mod;
    ps_display_window *win;
    char title[256];
    ps_image canvas;          /* the frame copy the overlay is drawn on, reused */
    double t0, wall0;         /* pacing: the first frame's time and when it was shown */
    bool started;
};

static bool has_display(void)
{
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

bool live_view_wanted(const cli_opts *o)
{
    if (o->show)
        return o->show > 0;
    return o->camera >= 0 && has_display();
}

/* One warning per process: a list of videos without a display is one fact. */
static void warn(const char *why)
{
    static bool warned;
    if (!warned)
        cli_error("warning: no live window: %s; the analysis runs on without it", why);
    warned = true;
}

live_view *live_view_new(const char *title)
{
    if (!has_display()) {
        warn("no display ($DISPLAY and $WAYLAND_DISPLAY are not set)");
        return NULL;
    }
    const void *table;
    if (ps_module_load("display", PS_DISPLAY_MODULE_ABI, sizeof(ps_display_module), &table) != PS_OK) {
        warn(ps_last_error());
        return NULL;
    }
    live_view *lv = ps_calloc(1, sizeof *lv);
    if (!lv) {
        warn("out of memory");
        return NULL;
    }
    lv->mod = table;
    snprintf(lv->title, sizeof lv->title, "%s", title);
    return lv;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int live_view_show(live_view *lv, const ps_image *frame, double t, const float (*lm)[3], const ps_grip_result *r,
                   bool paced)
{
    char err[PS_ERRMSG_MAX] = "";
    if (!lv->win && lv->mod->open(lv->title, frame->width, frame->height, &lv->win, err, sizeof err) != PS_OK) {
        warn(err);
        return LIVE_FAILED;
    }
    ps_image *c = &lv->canvas;
    if (!c->data || c->width != frame->width || c->height != frame->height) {
        ps_image_release(c);
        if (ps_image_alloc_uninit(c, frame->width, frame->height, 3) != PS_OK) {
            warn("out of memory for the window's frame");
            return LIVE_FAILED;
        }
    }
    for (int y = 0; y < frame->height; y++)
        memcpy(c->data + (size_t)y * c->stride, frame->data + (size_t)y * frame->stride, (size_t)frame->width * 3);
    /* a frame the overlay refuses (non-finite landmarks) is shown without it */
    if ((lm || r) && ps_grip_overlay_draw(c, lm, r) != PS_OK)
        ps_error_clear();
    int wait_ms = 1;
    double now = wall_now();
    if (!lv->started) {
        lv->started = true;
        lv->t0 = t;
        lv->wall0 = now;
    } else if (paced) {
        double ahead = (t - lv->t0) - (now - lv->wall0);
        if (ahead > 0.001)
            wait_ms = ahead > 10 ? 10000 : (int)(ahead * 1000);
    }
    int stop = 0;
    if (lv->mod->show(lv->win, c->data, c->width, c->height, c->stride, wait_ms, &stop, err, sizeof err) != PS_OK) {
        warn(err);
        return LIVE_FAILED;
    }
    return stop ? LIVE_STOP : LIVE_SHOWN;
}

void live_view_free(live_view *lv)
{
    if (!lv)
        return;
    if (lv->win)
        lv->mod->close(lv->win);
    ps_image_release(&lv->canvas);
    ps_free(lv);
}
