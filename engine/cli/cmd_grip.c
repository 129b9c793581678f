/* penscope grip: hands and landmarks in photos and videos (the hand stage of
 * DESIGN.md §5), one JSON record per input (DESIGN.md §4).
 *
 * Photos given together are analysed independently (static mode). The frames
 * of one video are tracked (MediaPipe's tracking: the palm detector runs only
 * while fewer hands than --max-hands are tracked, at most every
 * VIDEO_REDETECT_FRAMES frames once a hand is tracked); a video gives ONE
 * record whose detail.frames[] holds each frame's time and hands, and whose
 * metrics are the video aggregates.
 *
 * The record is written by grip_write_photo_record / grip_write_video_record:
 * hand metrics first, then the grip metrics (pencil, grasp) are appended by
 * the grip stage's writer where marked. */
#include "cli/cli.h"
#include "cli/grip_stage.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define VIDEO_REDETECT_FRAMES 15

static const char usage[] =
    "usage: penscope grip [options] IMAGE|VIDEO...\n"
    "\n"
    "Finds the hands in grip photos and videos and reports their 21 landmarks\n"
    "(MediaPipe Hands, run locally; a grip-view search takes over when the\n"
    "palm detector finds no hand). Photos are analysed independently; the\n"
    "frames of a video are tracked.\n"
    "\n"
    "  --json           one JSON record per input (JSON Lines)\n"
    "  --model full|lite  MediaPipe model size (default full)\n"
    "  --models DIR     folder of the .tflite models (default $PENSCOPE_MODELS)\n"
    "  --overlay DIR    write DIR/<name>.hands.png with the skeleton drawn\n"
    "                   and DIR/<name>.grip.png with the pencil and the grasp\n"
    "  --pencil-mm MM   physical pencil width for the mm scale (default 7)\n"
    "  --camera N       analyse camera N live: one status line per second, the\n"
    "                   session's aggregates at the end (Ctrl-C or --seconds S)\n"
    "  --show           show videos and the camera live in a window with the grip\n"
    "                   overlay (q or Esc: close it; a video's analysis goes on,\n"
    "                   a camera session ends); on by default for --camera when\n"
    "                   $DISPLAY or $WAYLAND_DISPLAY is set\n"
    "  --no-show        no window\n"
    "  -j, --threads N  threads for the neural networks (default: all cores)\n"
    "  -q, --quiet      no per-input lines without --json\n";

static const char *const accepted[] = {"json", "quiet", "threads", "models", "overlay", "model", "pencil-mm",
                                       "camera", "seconds", "show", "no-show", NULL};

/* ---- engine: loaded once per process (cli_analyse may run in threads) */

static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;
static ps_engine_t *cached_engine;
static char cached_key[4200];

static void free_cached_engine(void)
{
    ps_engine_free(cached_engine);
    cached_engine = NULL;
}

/* The engine for these options; NULL with *rc and ps_last_error() set on failure. */
static ps_engine_t *grip_engine(const cli_opts *o, ps_status *rc)
{
    *rc = PS_OK;
    char key[4200];
    const char *model = o->model ? o->model : "full";
    snprintf(key, sizeof key, "%s|%s|%d", cli_models_dir(o), model, o->threads);
    pthread_mutex_lock(&engine_lock);
    if (cached_engine && strcmp(key, cached_key) != 0)
        free_cached_engine();
    if (!cached_engine) {
        ps_engine_params ep;
        ps_engine_params_default(&ep);
        ep.models_dir = o->models_dir; /* NULL: the engine looks in $PENSCOPE_MODELS, the
                                          source tree's models/, then the installed ones */
        ep.model = !strcmp(model, "lite") ? PS_HAND_MODEL_LITE : PS_HAND_MODEL_FULL;
        ep.threads = o->threads;
        static int registered;
        if ((*rc = ps_engine_new(&ep, &cached_engine)) == PS_OK) {
            snprintf(cached_key, sizeof cached_key, "%s", key);
            if (!registered++)
                atexit(free_cached_engine);
        }
    }
    ps_engine_t *e = cached_engine;
    pthread_mutex_unlock(&engine_lock);
    return e;
}

/* ---- record writing (extended by the grip stage) */

static void write_hand(ps_json *j, const ps_hand *h)
{
    ps_json_obj_begin(j);
    ps_json_knum(j, "hand_score", h->score);
    ps_json_kstr(j, "handedness", h->handedness == PS_HANDEDNESS_RIGHT ? "right" : "left");
    ps_json_knum(j, "handedness_score", h->handedness_score);
    ps_json_kstr(j, "source", ps_hand_source_name(h->source));
    if (h->source == PS_HAND_FROM_TRACKING)
        ps_json_knull(j, "palm_score");
    else
        ps_json_knum(j, "palm_score", h->palm_score);
    ps_json_key(j, "landmarks");
    ps_json_arr_begin(j);
    for (int i = 0; i < PS_HAND_LANDMARKS; i++) {
        ps_json_arr_begin(j);
        for (int k = 0; k < 3; k++)
            ps_json_num(j, round(h->landmarks[i][k] * 100) / 100);
        ps_json_arr_end(j);
    }
    ps_json_arr_end(j);
    ps_json_key(j, "world_landmarks");
    ps_json_arr_begin(j);
    for (int i = 0; i < PS_HAND_LANDMARKS; i++) {
        ps_json_arr_begin(j);
        for (int k = 0; k < 3; k++)
            ps_json_num(j, round(h->world[i][k] * 1e5) / 1e5);
        ps_json_arr_end(j);
    }
    ps_json_arr_end(j);
    ps_json_key(j, "roi");
    ps_json_obj_begin(j);
    ps_json_knum(j, "cx", round(h->roi.cx * 100) / 100);
    ps_json_knum(j, "cy", round(h->roi.cy * 100) / 100);
    ps_json_knum(j, "w", round(h->roi.w * 100) / 100);
    ps_json_knum(j, "h", round(h->roi.h * 100) / 100);
    ps_json_knum(j, "angle_deg", round(h->roi.angle * 180 / M_PI * 100) / 100);
    ps_json_obj_end(j);
    ps_json_obj_end(j);
}

/* detail.hands[] */
static void write_hands(ps_json *j, const ps_hands_result *res)
{
    ps_json_key(j, "hands");
    ps_json_arr_begin(j);
    for (int i = 0; i < res->count; i++)
        write_hand(j, &res->hands[i]);
    ps_json_arr_end(j);
}

/* METRICS.md §1 hand metrics of the first (best) hand. */
static void write_hand_metrics(ps_json *j, const ps_hands_result *res)
{
    ps_json_kbool(j, "hand_found", res->count > 0);
    if (res->count > 0) {
        ps_json_knum(j, "hand_score", res->hands[0].score);
        ps_json_kstr(j, "handedness", res->hands[0].handedness == PS_HANDEDNESS_RIGHT ? "right" : "left");
    } else {
        ps_json_knull(j, "hand_score");
        ps_json_knull(j, "handedness");
    }
}

static void grip_write_photo_record(cli_record *r, const ps_engine_t *eng, const ps_image *img,
                                    const ps_hands_result *res, const grip_stage *gs)
{
    ps_json *j = &r->j;
    ps_json_kbool(j, "ok", true);
    ps_json_key(j, "metrics");
    ps_json_obj_begin(j);
    write_hand_metrics(j, res);
    /* grip metrics (pencil, grasp; issue 4) are appended here */
    grip_stage_write_metrics(gs, j);
    ps_json_obj_end(j);
    ps_json_key(j, "detail");
    ps_json_obj_begin(j);
    ps_json_kint(j, "width", img->width);
    ps_json_kint(j, "height", img->height);
    ps_json_kstr(j, "model", ps_engine_model_name(eng));
    write_hands(j, res);
    ps_json_kint(j, "palm_runs", res->palm_runs);
    ps_json_kint(j, "landmark_runs", res->landmark_runs);
    grip_stage_write_detail(gs, j); /* issue 4 */
    ps_json_obj_end(j);
    ps_json_key(j, "warnings");
    ps_json_arr_begin(j);
    if (res->count == 0)
        ps_json_str(j, "no hand found: hand metrics are null");
    grip_stage_write_warnings(gs, j); /* issue 4 */
    ps_json_arr_end(j);
    ps_json_obj_end(j);
}

/* ---- inputs */

typedef struct grip_run {
    const cli_opts *o;
    ps_engine_t *eng;
    ps_session_t *ses;
    grip_stage gs; /* issue 4: pencil, grasp, posture (cli/grip_stage.c) */
    bool show;     /* --show: videos play in a live window (cli/live_view.c) */
    char line[512];
} grip_run;

static ps_status write_overlay(const cli_opts *o, const char *path, const ps_image *img, const ps_hands_result *res)
{
    char out[4096];
    ps_status rc = cli_overlay_path(o, path, "hands", out, sizeof out);
    if (rc != PS_OK || !out[0])
        return rc;
    return ps_hands_overlay_write_png(out, img, res);
}

static void summarise(char *line, size_t cap, const ps_hands_result *res)
{
    if (res->count == 0) {
        snprintf(line, cap, "no hand");
        return;
    }
    int n = snprintf(line, cap, "%d hand%s", res->count, res->count > 1 ? "s" : "");
    for (int i = 0; i < res->count && n < (int)cap; i++)
        n += snprintf(line + n, cap - n, "%s %s (presence %.2f, %s)", i ? "," : ":",
                      res->hands[i].handedness == PS_HANDEDNESS_RIGHT ? "right" : "left", res->hands[i].score,
                      ps_hand_source_name(res->hands[i].source));
}

static ps_status grip_photo(grip_run *g, const char *path, cli_record *r)
{
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.channels = 3;
    ps_image img;
    ps_status rc = ps_image_decode_file(path, &dp, &img, NULL);
    if (rc != PS_OK)
        return rc;
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    ps_hands_result res;
    rc = ps_hands_detect(g->ses, &img, &hp, &res);
    if (rc != PS_OK) {
        ps_fail(rc, "%s: %s", path, ps_session_errmsg(g->ses));
    } else {
        rc = grip_stage_photo(&g->gs, &img, &res); /* issue 4 */
        if (rc == PS_OK)
            rc = write_overlay(g->o, path, &img, &res);
        if (rc == PS_OK)
            rc = grip_stage_overlay(&g->gs, g->o, path, &img, &res); /* issue 4 */
        if (rc == PS_OK) {
            grip_write_photo_record(r, g->eng, &img, &res, &g->gs);
            summarise(g->line, sizeof g->line, &res);
            grip_stage_summary(&g->gs, g->line, sizeof g->line); /* issue 4 */
        }
    }
    ps_image_release(&img);
    return rc;
}

static ps_status copy_image(ps_image *dst, const ps_image *src)
{
    ps_status rc = ps_image_alloc(dst, src->width, src->height, src->channels);
    if (rc != PS_OK)
        return rc;
    for (int y = 0; y < src->height; y++)
        memcpy(dst->data + (size_t)y * dst->stride, src->data + (size_t)y * src->stride,
               (size_t)src->width * src->channels);
    return PS_OK;
}

static ps_status grip_video(grip_run *g, const char *path, cli_record *r)
{
    ps_limits lim;
    ps_limits_default(&lim);
    ps_video_t *v = NULL;
    ps_status rc = ps_video_open_file(path, &lim, &v);
    if (rc != PS_OK)
        return rc;
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    hp.redetect_frames = VIDEO_REDETECT_FRAMES;
    ps_hands_track_reset(g->ses);
    live_view *lv = NULL;
    if (g->show) {
        char title[300];
        snprintf(title, sizeof title, "penscope grip: %.250s", ps_path_basename(path));
        lv = live_view_new(title);
    }
    ps_image frame = {0}, shown = {0};
    ps_hands_result res, shown_res = {0};
    int64_t frames = 0, with_hand = 0;
    ps_json *j = &r->j;
    ps_json_kbool(j, "ok", true);
    /* frames first into the detail, metrics after: the writer is streaming,
       so the per-frame list is built in its own buffer and spliced in */
    ps_buf fb;
    ps_buf_init(&fb);
    ps_json fj;
    ps_json_init(&fj, &fb);
    ps_json_arr_begin(&fj);
    grip_stage_video_begin(&g->gs); /* issue 4 */
    double t = 0;
    for (;;) {
        rc = ps_video_read(v, &frame, &t);
        if (rc == PS_DONE) {
            rc = PS_OK;
            break;
        }
        if (rc != PS_OK) {
            ps_fail(rc, "%s", ps_video_errmsg(v));
            break;
        }
        rc = ps_hands_track(g->ses, &frame, &hp, &res);
        if (rc != PS_OK) {
            ps_fail(rc, "%s: frame %lld: %s", path, (long long)frames, ps_session_errmsg(g->ses));
            break;
        }
        frames++;
        if (res.count > 0)
            with_hand++;
        if (res.count > 0 && !shown.data && g->o->overlay_dir) {
            if ((rc = copy_image(&shown, &frame)) != PS_OK)
                break;
            shown_res = res;
        }
        ps_json_obj_begin(&fj);
        ps_json_knum(&fj, "t", t);
        write_hand_metrics(&fj, &res);
        write_hands(&fj, &res);
        if ((rc = grip_stage_video_frame(&g->gs, t, &frame, &res, &fj)) != PS_OK) /* issue 4 */
            break;
        ps_json_obj_end(&fj);
        /* the window closed (q, Esc, by the user, or failed): the analysis goes on */
        if (lv && grip_stage_live_show(&g->gs, lv, &frame, t, true) != LIVE_SHOWN) {
            live_view_free(lv);
            lv = NULL;
        }
    }
    ps_json_arr_end(&fj);
    live_view_free(lv);
    ps_video_free(v);
    if (rc == PS_OK && shown.data)
        rc = write_overlay(g->o, path, &shown, &shown_res);
    if (rc == PS_OK && shown.data)
        rc = grip_stage_video_overlay(&g->gs, g->o, path, &shown, &shown_res); /* issue 4 */
    if (rc == PS_OK) {
        ps_json_key(j, "metrics");
        ps_json_obj_begin(j);
        ps_json_kint(j, "frames", frames);
        ps_json_knum(j, "hand_found_pct", frames ? 100.0 * with_hand / frames : NAN);
        /* grip video aggregates (issue 4) are appended here */
        grip_stage_video_end(&g->gs, j);
        ps_json_obj_end(j);
        ps_json_key(j, "detail");
        ps_json_obj_begin(j);
        ps_json_kstr(j, "model", ps_engine_model_name(g->eng));
        ps_json_kint(j, "width", frame.width);
        ps_json_kint(j, "height", frame.height);
        ps_buf_putc(&fb, '\0');
        ps_json_key(j, "frames");
        ps_json_raw(j, fb.data);
        ps_json_obj_end(j);
        ps_json_key(j, "warnings");
        ps_json_arr_begin(j);
        if (frames == 0)
            ps_json_str(j, "the video has no frames");
        ps_json_arr_end(j);
        ps_json_obj_end(j);
        snprintf(g->line, sizeof g->line, "%lld frames, hand in %.1f%%", (long long)frames,
                 frames ? 100.0 * with_hand / frames : 0.0);
        grip_stage_video_summary(&g->gs, g->line, sizeof g->line); /* issue 4 */
    }
    ps_buf_release(&fb);
    ps_image_release(&frame);
    ps_image_release(&shown);
    return rc;
}

/* One input into r (begun); on failure r is left for the caller to replace. */
static ps_status grip_one(grip_run *g, const char *path, cli_record *r)
{
    ps_error_clear();
    g->line[0] = '\0';
    switch (ps_input_kind_of(path)) {
    case PS_INPUT_IMAGE: return grip_photo(g, path, r);
    case PS_INPUT_VIDEO: return grip_video(g, path, r);
    default: return ps_fail(PS_ERR_UNSUPPORTED, "'%s' is not a photo or video penscope reads", path);
    }
}

static ps_status grip_setup(grip_run *g, const cli_opts *o)
{
    memset(g, 0, sizeof *g);
    g->o = o;
    ps_status rc;
    g->eng = grip_engine(o, &rc);
    if (!g->eng)
        return rc;
    rc = ps_session_new(g->eng, &g->ses);
    if (rc == PS_OK)
        rc = grip_stage_init(&g->gs, o); /* issue 4 */
    return rc;
}

ps_status cli_analyse_grip(const char *path, const cli_opts *o, ps_buf *out)
{
    /* batch runs analysers on many threads at once: one thread per network
       run here, so that N workers do not each start N pool threads */
    cli_opts one = *o;
    one.threads = 1;
    grip_run g;
    cli_record r;
    ps_status rc = grip_setup(&g, &one);
    if (rc == PS_OK) {
        cli_record_begin(&r, path, "grip");
        rc = grip_one(&g, path, &r);
        if (rc != PS_OK)
            cli_record_release(&r);
    }
    if (rc != PS_OK)
        cli_record_fail(&r, path, "grip", rc, ps_last_error());
    ps_buf_append(out, r.buf.data, r.buf.len);
    cli_record_release(&r);
    ps_session_free(g.ses);
    grip_stage_release(&g.gs); /* issue 4 */
    return rc;
}

int cmd_grip(int argc, char **argv)
{
    cli_opts o;
    cli_opts_default(&o);
    int first = cli_parse(argc, argv, &o, accepted, usage);
    if (first == -2)
        return CLI_EXIT_OK;
    if (first < 0)
        return CLI_EXIT_USAGE;
    if (first >= argc && o.camera < 0) {
        cli_error("grip needs at least one photo or video\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    grip_run g;
    if (grip_setup(&g, &o) != PS_OK) {
        cli_error("%s", ps_last_error());
        return CLI_EXIT_FAILED;
    }
    g.show = live_view_wanted(&o);
    if (o.camera >= 0) { /* issue 4: live camera (cli/grip_stage.c) */
        int ec = grip_stage_camera(&g.gs, g.ses, &o);
        ps_session_free(g.ses);
        grip_stage_release(&g.gs);
        return ec;
    }
    int failed = 0;
    for (int i = first; i < argc; i++) {
        cli_record r;
        cli_record_begin(&r, argv[i], "grip");
        ps_status rc = grip_one(&g, argv[i], &r);
        if (rc != PS_OK) {
            cli_record_release(&r);
            cli_record_fail(&r, argv[i], "grip", rc, ps_last_error());
            failed++;
            if (!o.json)
                cli_error("%s", ps_last_error());
        }
        if (o.json)
            cli_record_emit(&r, stdout);
        else {
            if (rc == PS_OK && !o.quiet)
                printf("%s: %s\n", argv[i], g.line);
            cli_record_release(&r);
        }
    }
    ps_session_free(g.ses);
    grip_stage_release(&g.gs); /* issue 4 */
    return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
