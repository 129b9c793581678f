/* The engine and session of the hand stage (private): the loaded models, the
 * per-thread inference sessions and scratch, the tracking state, and the two
 * inference steps every localisation strategy is built from. */
#ifndef PS_HAND_SESSION_H
#define PS_HAND_SESSION_H
#include "penscope.h"
#include "core/status.h"
#include "core/pool.h"
#include "hand/palm.h"
#include "hand/roi.h"
#include "nn/nn.h"

struct ps_engine {
    ps_nn_model *palm, *landmark;
    ps_hand_model model;
    int threads;
    ps_palm_anchor anchors[PS_PALM_ANCHORS];
    ps_errbuf err;
};

struct ps_session {
    ps_engine_t *eng;
    ps_pool *pool;
    ps_nn_session *palm, *landmark;
    ps_palm_det *cand;          /* PS_PALM_ANCHORS decoded candidates */
    void *skin_scratch;
    ps_image reduced;           /* working copy of big images (reduce.h) */
    ps_errbuf err;
    /* tracking */
    int track_w, track_h;
    int ntracked;
    ps_rotrect tracked[PS_HANDS_MAX];
    long frames_since_detect;
    long frames_since_search;
};

/* Runs the palm detector on a square view of img; writes at most cap
 * detections (image pixels, best first) with score >= min_score and their
 * number into *count. On failure the session message is set. */
ps_status ps_hand_palm_run(ps_session_t *s, const ps_image *img, ps_palm_view view, float min_score,
                           ps_palm_det *out, int cap, int *count);

/* Runs the landmark model on a ROI of img and fills h (landmarks, world,
 * score, handedness, roi; palm_score and source are left to the caller).
 * Returns PS_OK or a failure (session message set). */
ps_status ps_hand_landmark_run(ps_session_t *s, const ps_image *img, ps_rotrect roi, int mirrored,
                               ps_hand *h);

/* The grip-view search of DESIGN.md §5 (grip_search.c): candidates from the
 * palm detector at several zooms, skin regions, the whole frame and prior
 * ROIs (prior may be NULL), each tried at several rotations, refined by the
 * landmark-to-ROI step, kept by the presence score. Writes up to cap hands
 * and their number into *count; model runs are added to stats. */
ps_status ps_hand_grip_search(ps_session_t *s, const ps_image *img, const ps_hands_params *p,
                              const ps_rotrect *prior, int nprior, ps_hand *out, int cap, int *count,
                              ps_hands_result *stats);

#endif
