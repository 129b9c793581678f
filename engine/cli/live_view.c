/* The live window of `penscope grip --show` (see live_view.h). */
#include "cli/live_view.h"
#include "core/alloc.h"
#include "cli/display_wire.h"
#include "core/status.h"
#include "io/io.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct live_view {
    pid_t pid;                /* the display process (display_server.c) */
    int sock;                 /* our end of its socket pair */
    bool open;                /* the window is up */
    char title[DISPLAY_MAX_TITLE + 1];
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

/* Why the display process is gone, for the warning. */
static void ended(live_view *lv, char *why, size_t cap)
{
    int st = 0;
    pid_t w = lv->pid > 0 ? waitpid(lv->pid, &st, 0) : -1;
    lv->pid = 0;
    if (w > 0 && WIFSIGNALED(st))
        snprintf(why, cap, "the window's process ended (signal %d); the display may have gone away", WTERMSIG(st));
    else
        snprintf(why, cap, "the window's process ended unexpectedly");
}

/* One request and its reply. false after a warning: the view is done. */
static bool ask(live_view *lv, const display_request *q, const void *payload, const ps_image *rows, int *stop)
{
    char msg[PS_ERRMSG_MAX] = "";
    display_reply r;
    bool sent = display_send_all(lv->sock, q, sizeof *q) && (!payload || display_send_all(lv->sock, payload, q->len));
    for (int y = 0; sent && rows && y < rows->height; y++)
        sent = display_send_all(lv->sock, rows->data + (size_t)y * rows->stride, (size_t)rows->width * 3);
    if (!sent || !display_recv_all(lv->sock, &r, sizeof r) || r.len >= sizeof msg || !display_recv_all(lv->sock, msg, r.len)) {
        ended(lv, msg, sizeof msg);
        warn(msg);
        return false;
    }
    if (r.status != PS_OK) {
        warn(msg[0] ? msg : "the window failed");
        return false;
    }
    if (stop)
        *stop = r.stop;
    return true;
}

/* The program to run as the display process: this one. */
static bool self_path(char *out, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", out, cap - 1);
    if (n <= 0 || (size_t)n >= cap - 1)
        return false;
    out[n] = 0;
    return true;
}

live_view *live_view_new(const char *title)
{
    if (!has_display()) {
        warn("no display ($DISPLAY and $WAYLAND_DISPLAY are not set)");
        return NULL;
    }
    char exe[4096];
    int sv[2];
    if (!self_path(exe, sizeof exe) || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        warn("cannot start the window's process");
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 3);                       /* its socket */
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);    /* stdout is grip's output */
    char *args[] = {exe, "__display", NULL};
    pid_t pid;
    int err = posix_spawn(&pid, exe, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    live_view *lv = err == 0 ? ps_calloc(1, sizeof *lv) : NULL;
    if (!lv) {
        if (err == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
        }
        close(sv[0]);
        warn(err ? "cannot start the window's process" : "out of memory");
        return NULL;
    }
    lv->pid = pid;
    lv->sock = sv[0];
    snprintf(lv->title, sizeof lv->title, "%s", title);
    display_request hello = {.op = DISPLAY_HELLO};
    if (!ask(lv, &hello, NULL, NULL, NULL)) {
        live_view_free(lv);
        return NULL;
    }
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
    if (frame->width > DISPLAY_MAX_SIDE || frame->height > DISPLAY_MAX_SIDE) {
        warn("the frame is too large for a window");
        return LIVE_FAILED;
    }
    if (!lv->open) {
        display_request q = {.op = DISPLAY_OPEN, .width = frame->width, .height = frame->height,
                             .len = (uint32_t)strlen(lv->title)};
        if (!ask(lv, &q, lv->title, NULL, NULL))
            return LIVE_FAILED;
        lv->open = true;
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
    display_request q = {.op = DISPLAY_FRAME, .width = c->width, .height = c->height, .wait_ms = wait_ms,
                         .len = (uint32_t)c->width * (uint32_t)c->height * 3u};
    if (!ask(lv, &q, NULL, c, &stop))
        return LIVE_FAILED;
    return stop ? LIVE_STOP : LIVE_SHOWN;
}

void live_view_free(live_view *lv)
{
    if (!lv)
        return;
    if (lv->pid > 0) { /* it closes the window and ends; waited for, so the window is gone on return */
        display_request q = {.op = DISPLAY_CLOSE};
        if (!display_send_all(lv->sock, &q, sizeof q))
            kill(lv->pid, SIGKILL);
        waitpid(lv->pid, NULL, 0);
    }
    close(lv->sock);
    ps_image_release(&lv->canvas);
    ps_free(lv);
}
