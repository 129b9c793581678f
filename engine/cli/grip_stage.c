/* The grip stage of `penscope grip` (see grip_stage.h). Landmarks from the
 * hand stage are handed to the grip analysis as plain arrays; in videos they
 * are smoothed first with a One-Euro filter (engine/grip/smooth.c) so that
 * the movement metrics measure the hand, not the landmark model's jitter;
 * the landmarks reported in detail.frames[] stay the raw ones. */
#include "cli/grip_stage.h"
#include "cli/live_view.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include "grip/grip_json.h"
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static ps_grip_hand hand_of(const ps_hand *h)
{
    return h->handedness == PS_HANDEDNESS_RIGHT ? PS_GRIP_HAND_RIGHT : PS_GRIP_HAND_LEFT;
}

ps_status grip_stage_init(grip_stage *gs, const cli_opts *o)
{
    memset(gs, 0, sizeof *gs);
    ps_grip_params gp;
    ps_grip_params_default(&gp);
    gp.models_dir = cli_models_dir(o);
    if (o->pencil_mm > 0)
        gp.pencil_mm = o->pencil_mm;
    ps_grip_smoother_init(&gs->smooth);
    return ps_grip_new(&gp, &gs->grip);
}

void grip_stage_release(grip_stage *gs)
{
    ps_grip_free(gs->grip);
    ps_free(gs->frames);
    memset(gs, 0, sizeof *gs);
}

/* Every hand analysed; the kept one: a found pencil first, then the grasp confidence. */
static ps_status analyse_hands(grip_stage *gs, const ps_image *img, const ps_hands_result *res,
                               const float (*smoothed)[3])
{
    gs->have = res->count > 0;
    gs->hand_index = -1;
    memset(&gs->res, 0, sizeof gs->res);
    for (int i = 0; i < res->count; i++) {
        const ps_hand *h = &res->hands[i];
        ps_grip_result r;
        const float (*lm)[3] = i == 0 && smoothed ? smoothed : (const float(*)[3])h->landmarks;
        ps_status rc = ps_grip_analyse(gs->grip, img, lm, (const float(*)[3])h->world, hand_of(h), &r);
        if (rc != PS_OK)
            return rc;
        int better = gs->hand_index < 0 || (r.pencil_found && !gs->res.pencil_found) ||
                     (r.pencil_found == gs->res.pencil_found && r.grasp_confidence > gs->res.grasp_confidence);
        if (better) {
            gs->res = r;
            gs->hand_index = i;
        }
    }
    return PS_OK;
}

ps_status grip_stage_photo(grip_stage *gs, const ps_image *img, const ps_hands_result *res)
{
    return analyse_hands(gs, img, res, NULL);
}

void grip_stage_write_metrics(const grip_stage *gs, ps_json *j)
{
    ps_grip_json_metrics(j, gs->have ? &gs->res : NULL);
}

void grip_stage_write_detail(const grip_stage *gs, ps_json *j)
{
    if (!gs->have)
        return;
    ps_grip_json_detail(j, &gs->res);
    ps_json_kint(j, "grip_hand", gs->hand_index);
}

void grip_stage_write_warnings(const grip_stage *gs, ps_json *j)
{
    if (gs->have)
        ps_grip_json_warnings(j, &gs->res);
}

ps_status grip_stage_overlay(const grip_stage *gs, const cli_opts *o, const char *path, const ps_image *img,
                             const ps_hands_result *res)
{
    char out[4096];
    ps_status rc = cli_overlay_path(o, path, "grip", out, sizeof out);
    if (rc != PS_OK || !out[0])
        return rc;
    const float (*lm)[3] = gs->have && gs->hand_index >= 0 ? (const float(*)[3])res->hands[gs->hand_index].landmarks
                                                           : NULL;
    return ps_grip_overlay_write_png(out, img, lm, gs->have ? &gs->res : NULL);
}

void grip_stage_summary(const grip_stage *gs, char *line, size_t cap)
{
    size_t n = strlen(line);
    if (!gs->have || n >= cap)
        return;
    if (!gs->res.pencil_found)
        snprintf(line + n, cap - n, "; no pencil");
    else
        snprintf(line + n, cap - n, "; %s (%s, %.0f%% sure), grip %.0f mm", ps_grasp_name(gs->res.grasp),
                 ps_grasp_maturity_name(gs->res.grasp_maturity), 100 * gs->res.grasp_confidence,
                 gs->res.grip_distance_mm);
}

void grip_stage_video_begin(grip_stage *gs)
{
    gs->n_frames = 0;
    gs->shown_kept = 0;
    ps_grip_smoother_reset(&gs->smooth);
}

ps_status grip_stage_video_frame(grip_stage *gs, double t, const ps_image *frame, const ps_hands_result *res,
                                 ps_json *fj)
{
    float smoothed[21][3];
    if (res->count > 0) {
        memcpy(smoothed, res->hands[0].landmarks, sizeof smoothed);
        ps_grip_smoother_apply(&gs->smooth, t, smoothed);
    } else {
        ps_grip_smoother_reset(&gs->smooth);
    }
    ps_status rc = analyse_hands(gs, frame, res, res->count > 0 ? (const float(*)[3])smoothed : NULL);
    if (rc != PS_OK)
        return rc;
    if (gs->n_frames == gs->cap_frames) {
        size_t cap = gs->cap_frames ? 2 * gs->cap_frames : 256, bytes;
        if (!ps_size_mul_ok(cap, sizeof *gs->frames, &bytes))
            return ps_fail(PS_ERR_LIMIT, "too many frames");
        ps_grip_frame *f = ps_realloc(gs->frames, bytes);
        if (!f)
            return ps_fail(PS_ERR_NOMEM, "out of memory for the frame records");
        gs->frames = f;
        gs->cap_frames = cap;
    }
    /* broken containers can repeat or step back a timestamp: keep time order */
    if (gs->n_frames && !(t >= gs->frames[gs->n_frames - 1].t_s))
        t = gs->frames[gs->n_frames - 1].t_s;
    const float (*lm)[3] = NULL;
    if (gs->have && gs->hand_index >= 0)
        lm = gs->hand_index == 0 ? (const float(*)[3])smoothed : (const float(*)[3])res->hands[gs->hand_index].landmarks;
    ps_grip_frame_from_result(&gs->frames[gs->n_frames++], t, gs->have, lm, gs->have ? &gs->res : NULL);
    if (lm)
        memcpy(gs->lm, lm, sizeof gs->lm);
    if (gs->have && !gs->shown_kept) {
        gs->shown_kept = 1;
        gs->shown = gs->res;
        gs->shown_hand = gs->hand_index;
    }
    ps_json_key(fj, "grip");
    ps_json_obj_begin(fj);
    ps_grip_json_metrics(fj, gs->have ? &gs->res : NULL);
    ps_json_obj_end(fj);
    return PS_OK;
}

void grip_stage_video_end(grip_stage *gs, ps_json *metrics)
{
    /* cannot fail: frames are in time order and the thresholds loaded */
    if (ps_grip_video_aggregate(gs->frames, gs->n_frames, ps_grip_thresholds(gs->grip), &gs->video) != PS_OK)
        memset(&gs->video, 0, sizeof gs->video);
    ps_grip_json_video_metrics(metrics, &gs->video, 0);
}

ps_status grip_stage_video_overlay(const grip_stage *gs, const cli_opts *o, const char *path, const ps_image *shown,
                                   const ps_hands_result *shown_res)
{
    if (!o->overlay_dir || !gs->shown_kept || !shown || !shown->data)
        return PS_OK;
    grip_stage one = *gs;  /* the kept frame's result, through the photo writer */
    one.have = 1;
    one.res = gs->shown;
    one.hand_index = gs->shown_hand < shown_res->count ? gs->shown_hand : 0;
    return grip_stage_overlay(&one, o, path, shown, shown_res);
}

void grip_stage_video_summary(const grip_stage *gs, char *line, size_t cap)
{
    size_t n = strlen(line);
    if (n >= cap || !gs->n_frames)
        return;
    /* no frame with a known grasp: no share of mature ones (null in the JSON) */
    char mature[16];
    if (isnan(gs->video.mature_grasp_pct))
        snprintf(mature, sizeof mature, "n/a");
    else
        snprintf(mature, sizeof mature, "%.0f%%", gs->video.mature_grasp_pct);
    snprintf(line + n, cap - n, "; grasp %s, mature %s, movement from %s", ps_grasp_name(gs->video.grasp_mode), mature,
             ps_movement_source_name(gs->video.movement_source));
}

int grip_stage_live_show(const grip_stage *gs, live_view *lv, const ps_image *frame, double t, bool paced)
{
    return live_view_show(lv, frame, t, gs->have ? (const float(*)[3])gs->lm : NULL, gs->have ? &gs->res : NULL, paced);
}

/* ---- live camera */

static volatile sig_atomic_t camera_stop;
static void on_sigint(int sig)
{
    (void)sig;
    camera_stop = 1;
}

static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void camera_status(const grip_stage *gs, const cli_opts *o, double t, double fps)
{
    if (o->json) {
        ps_buf b;
        ps_buf_init(&b);
        ps_json j;
        ps_json_init(&j, &b);
        ps_json_obj_begin(&j);
        ps_json_knum(&j, "t", round(t * 100) / 100);
        ps_json_knum(&j, "fps", round(fps * 10) / 10);
        ps_json_kbool(&j, "hand_found", gs->have);
        ps_grip_json_metrics(&j, gs->have ? &gs->res : NULL);
        ps_json_obj_end(&j);
        ps_buf_putc(&b, '\n');
        ps_buf_flush(&b, stdout);
        ps_buf_release(&b);
    } else {
        char line[256];
        snprintf(line, sizeof line, "%6.1f s %5.1f fps: %s", t, fps, gs->have ? "hand" : "no hand");
        grip_stage_summary(gs, line, sizeof line);
        printf("%s\n", line);
    }
    fflush(stdout);
}

int grip_stage_camera(grip_stage *gs, ps_session_t *ses, const cli_opts *o)
{
    ps_limits lim;
    ps_limits_default(&lim);
    lim.max_frames = UINT64_MAX;       /* a live stream: stopped by --seconds or Ctrl-C */
    lim.max_video_seconds = 1e12;
    ps_video_t *v = NULL;
    if (ps_video_open_camera(o->camera, &lim, &v) != PS_OK) {
        cli_error("%s", ps_last_error());
        return CLI_EXIT_FAILED;
    }
    char title[64];
    snprintf(title, sizeof title, "penscope grip: camera %d", o->camera);
    live_view *lv = live_view_wanted(o) ? live_view_new(title) : NULL;
    camera_stop = 0;
    void (*old)(int) = signal(SIGINT, on_sigint);
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    hp.redetect_frames = 15;
    ps_hands_track_reset(ses);
    grip_stage_video_begin(gs);
    ps_image frame = {0};
    ps_buf scratch;
    ps_buf_init(&scratch);
    double start = wall_now(), last = start, t = 0;
    int frames_since = 0, rc = CLI_EXIT_OK;
    while (!camera_stop) {
        ps_status st = ps_video_read(v, &frame, &t);
        if (st == PS_DONE)
            break;
        ps_hands_result res;
        if (st == PS_OK)
            st = ps_hands_track(ses, &frame, &hp, &res);
        if (st == PS_OK) {
            /* the per-frame grip object is not kept: the status lines say it */
            ps_buf_reset(&scratch);
            ps_json fj;
            ps_json_init(&fj, &scratch);
            ps_json_obj_begin(&fj);
            st = grip_stage_video_frame(gs, wall_now() - start, &frame, &res, &fj);
        }
        if (st != PS_OK) {
            cli_error("%s", ps_last_error());
            rc = CLI_EXIT_FAILED;
            break;
        }
        if (lv) {
            int shown = grip_stage_live_show(gs, lv, &frame, t, false);
            if (shown != LIVE_SHOWN) {
                live_view_free(lv);
                lv = NULL;
                if (shown == LIVE_STOP) /* q, Esc or the window closed: the session ends */
                    break;
            }
        }
        frames_since++;
        double now = wall_now();
        if (now - last >= 1.0) {
            camera_status(gs, o, now - start, frames_since / (now - last));
            last = now;
            frames_since = 0;
        }
        if (o->seconds > 0 && now - start >= o->seconds)
            break;
    }
    signal(SIGINT, old);
    live_view_free(lv);
    /* the session's aggregates */
    cli_record r;
    cli_record_begin(&r, "camera", "grip");
    ps_json *j = &r.j;
    ps_json_kbool(j, "ok", true);
    ps_json_key(j, "metrics");
    ps_json_obj_begin(j);
    grip_stage_video_end(gs, j);
    ps_json_kint(j, "frames", gs->video.frames);
    ps_json_knum(j, "hand_found_pct", gs->video.hand_found_pct);
    ps_json_obj_end(j);
    ps_json_key(j, "warnings");
    ps_json_arr_begin(j);
    ps_json_arr_end(j);
    ps_json_obj_end(j);
    if (o->json) {
        cli_record_emit(&r, stdout);
    } else {
        char line[512] = "";
        snprintf(line, sizeof line, "camera: %lld frames, hand in %.1f%%", (long long)gs->video.frames,
                 gs->video.frames ? gs->video.hand_found_pct : 0.0);
        grip_stage_video_summary(gs, line, sizeof line);
        printf("%s\n", line);
        cli_record_release(&r);
    }
    ps_buf_release(&scratch);
    ps_image_release(&frame);
    ps_video_free(v);
    return rc;
}
