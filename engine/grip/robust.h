/* Robustness of the grasp classifier under realistic landmark noise, for the
 * unit test and bench_grip --robust: each grasp of the taxonomy built by the
 * parametric hand (synth.h), seen from the camera placements a grip photo is
 * taken from, its landmarks perturbed with seeded noise at the levels the
 * hand landmark model shows on real photos, and the classifier's output
 * counted: as drawn, unknown ("not sure"), or another grasp. Also the
 * calibration of grasp_confidence (share correct per confidence bin). Not
 * used by the analysis itself. */
#ifndef PS_GRIP_ROBUST_H
#define PS_GRIP_ROBUST_H
#include "penscope.h"

/* The frame the noise is measured against: a 1920 x 1080 photo with the hand
 * (wrist to middle fingertip ~0.16 m) about 45% of its height. */
#define GRIP_ROBUST_FRAME_PX 1920.0f
#define GRIP_ROBUST_PX_PER_M 3000.0f

typedef struct grip_robust_view {
    const char *name;
    float yaw_deg, pitch_deg, roll_deg;  /* grip_view angles */
} grip_robust_view;

typedef struct grip_robust_noise {
    const char *name;
    float xy;       /* SD of x and y noise, fraction of the frame's larger side (image and world alike) */
    float z;        /* SD of z noise (image z and world depth), same unit */
    float rot_deg;  /* the whole hand turned by up to this many degrees about each camera axis (uniform) */
} grip_robust_noise;

enum { GRIP_ROBUST_VIEWS = 4, GRIP_ROBUST_NOISES = 6, GRIP_ROBUST_BINS = 6 };
extern const grip_robust_view grip_robust_views[GRIP_ROBUST_VIEWS];
extern const grip_robust_noise grip_robust_noises[GRIP_ROBUST_NOISES];
/* lower edges of the confidence bins (the last bin runs to 1) */
extern const float grip_robust_bin_lo[GRIP_ROBUST_BINS];

typedef struct grip_robust_cell {
    int n, as_drawn, unknown, wrong;
    int wrong_as[PS_GRASP_COUNT];   /* which grasp the wrong ones were */
} grip_robust_cell;

typedef struct grip_robust_bin {
    int n, correct;
} grip_robust_bin;

typedef struct grip_robust_table {
    int trials;
    unsigned seed0;
    /* [grasp][view][noise]; grasp PS_GRASP_UNKNOWN = the pencil lying beside the hand */
    grip_robust_cell cell[PS_GRASP_COUNT][GRIP_ROBUST_VIEWS][GRIP_ROBUST_NOISES];
    /* confidence of a reported (not unknown) grasp vs being right, over the noisy conditions */
    grip_robust_bin bin[GRIP_ROBUST_BINS];
} grip_robust_table;

/* Whether grasp g is built and measured (all but static tripod, which needs video). */
int grip_robust_grasp_measured(ps_grasp g);

/* Runs trials draws per grasp x view x noise with seeds seed0 .. seed0 +
 * trials - 1 (odd seeds are left hands). Deterministic for given seeds. */
ps_status grip_robust_run(const ps_grip_thresholds_t *th, unsigned seed0, int trials, grip_robust_table *out);
#endif
