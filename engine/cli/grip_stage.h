/* The grip stage (issue 4) inside `penscope grip`: pencil, grasp and posture
 * metrics on top of the hand stage's landmarks, for photos and video frames.
 * cmd_grip.c calls these at the places marked "issue 4"; everything about
 * the grip metrics lives here and in engine/grip/. */
#ifndef PS_CLI_GRIP_STAGE_H
#define PS_CLI_GRIP_STAGE_H
#include "cli/cli.h"
#include "cli/live_view.h"
#include "core/buf.h"

typedef struct grip_stage {
    ps_grip_t *grip;            /* thresholds and params (pencil mm) */
    int have;                   /* the last photo/frame had a hand */
    int hand_index;             /* which hand of the result holds the pencil */
    ps_grip_result res;         /* that hand's grip result */
    float lm[21][3];            /* video: the landmarks behind res (smoothed for hand 0), for the live view */
    /* video */
    ps_grip_smoother smooth;
    ps_grip_frame *frames;
    size_t n_frames, cap_frames;
    ps_grip_video_result video;
    int shown_kept;             /* the first frame with a hand: its grip result, for the overlay */
    int shown_hand;
    ps_grip_result shown;
} grip_stage;

/* Loads the thresholds (models dir from the options) and --pencil-mm. */
ps_status grip_stage_init(grip_stage *gs, const cli_opts *o);
void grip_stage_release(grip_stage *gs);

/* Photos: analyses every hand of res and keeps the one holding a pencil
 * (the most confident grasp; the first hand when none has a pencil). */
ps_status grip_stage_photo(grip_stage *gs, const ps_image *img, const ps_hands_result *res);
/* Appends the grip metrics to the open "metrics" object, the grip detail
 * to the open "detail" object, the grip warnings to the open "warnings" array. */
void grip_stage_write_metrics(const grip_stage *gs, ps_json *j);
void grip_stage_write_detail(const grip_stage *gs, ps_json *j);
void grip_stage_write_warnings(const grip_stage *gs, ps_json *j);
/* --overlay: DIR/<name>.grip.png (skeleton, pencil, contacts, grasp label). */
ps_status grip_stage_overlay(const grip_stage *gs, const cli_opts *o, const char *path, const ps_image *img,
                             const ps_hands_result *res);
/* Appends ", <grasp> (<confidence>)" or ", no pencil" to a summary line. */
void grip_stage_summary(const grip_stage *gs, char *line, size_t cap);

/* Videos: begin, one call per frame (appends the frame's grip metrics as
 * key "grip" to the open frame object fj), then the aggregates appended to
 * the open "metrics" object (frames and hand_found_pct are the caller's). */
void grip_stage_video_begin(grip_stage *gs);
ps_status grip_stage_video_frame(grip_stage *gs, double t, const ps_image *frame, const ps_hands_result *res,
                                 ps_json *fj);
void grip_stage_video_end(grip_stage *gs, ps_json *metrics);
void grip_stage_video_summary(const grip_stage *gs, char *line, size_t cap);
/* --overlay for a video: DIR/<name>.grip.png on the frame the caller kept
 * (the first frame with a hand) with that frame's grip result. */
ps_status grip_stage_video_overlay(const grip_stage *gs, const cli_opts *o, const char *path, const ps_image *shown,
                                   const ps_hands_result *shown_res);


/* --show: the last video frame with its grip overlay in the live window
 * (live_view_show's result). */
int grip_stage_live_show(const grip_stage *gs, live_view *lv, const ps_image *frame, double t, bool paced);

/* Live camera (`penscope grip --camera N`): frames are analysed as they
 * come (hand tracking, then the grip stage); one status line per second
 * (a JSON object with --json); stops at the end of the stream, after
 * --seconds, on Ctrl-C, or on q/Esc/closing the live window (cli/live_view.c,
 * shown when live_view_wanted), then prints the video aggregates. Without a
 * window the analysis runs the same. Returns the CLI exit code. */
int grip_stage_camera(grip_stage *gs, ps_session_t *ses, const cli_opts *o);
#endif
