/* A parametric hand holding a pencil, for tests and benchmarks: each grasp of
 * reference/grip-taxonomy.md is built from bone lengths and joint angles
 * (forward kinematics), the thumb and the contacting fingers placed on the
 * pencil by small inverse-kinematics solves, then posed in front of a camera
 * and projected. Not used by the analysis itself. */
#ifndef PS_GRIP_SYNTH_H
#define PS_GRIP_SYNTH_H
#include "penscope.h"

typedef struct grip_view {
    float yaw_deg;    /* rotation about the image vertical: 90 = camera on the thumb side */
    float pitch_deg;  /* about the image horizontal */
    float roll_deg;   /* in the image plane */
    float px_per_m;   /* orthographic scale */
    float cx, cy;     /* image position of the wrist */
    int left;         /* 1: mirror to a left hand */
} grip_view;

typedef struct grip_synth {
    float world[21][3];      /* metres, camera axes (x right, y down, z away) */
    float image[21][3];      /* pixels */
    ps_grip_pencil pencil;   /* projected; found = 1, confidence 1 */
    float pencil_world[2][3];/* tip, far end */
    float fit_error_m;       /* worst distance of a placed digit from its target (construction check) */
} grip_synth;

/* The view used by default: 45 degrees from the thumb side. */
void grip_view_default(grip_view *v);
/* Builds grasp g (any but PS_GRASP_STATIC_TRIPOD, which needs movement; and
 * PS_GRASP_UNKNOWN gives a tripod hand with the pencil lying away from it).
 * Returns 0 on success, -1 for a grasp it cannot build. */
int grip_synth_build(ps_grasp g, const grip_view *v, grip_synth *out);

#endif
