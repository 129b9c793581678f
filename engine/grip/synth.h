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

/* A built hand in its own frame (metres; X radial, Y distal, Z palmar, right
 * hand), before any view: build once, pose in many views. */
typedef struct grip_hand_model {
    ps_grasp grasp;
    float p[21][3];
    float tip[3], end[3];    /* the pencil */
    float fit_error_m;
} grip_hand_model;
/* Builds grasp g's hand (see grip_synth_build); 0 or -1. */
int grip_synth_model(ps_grasp g, grip_hand_model *m);
/* Poses a built hand in front of the camera and projects it. */
void grip_synth_pose(const grip_hand_model *m, const grip_view *v, grip_synth *out);

/* The view used by default: 45 degrees from the thumb side. */
void grip_view_default(grip_view *v);
/* Builds grasp g (any but PS_GRASP_STATIC_TRIPOD, which needs movement; and
 * PS_GRASP_UNKNOWN gives a tripod hand with the pencil lying away from it).
 * Returns 0 on success, -1 for a grasp it cannot build. */
int grip_synth_build(ps_grasp g, const grip_view *v, grip_synth *out);



/* Drawing a synthetic grip photo (cairo): paper, optional skin-coloured
 * blobs, the pencil (hexagonal shading, wooden cone, lead), the hand as
 * skin-coloured capsules over it, so fingers cover parts of the barrel. */
typedef struct grip_scene {
    int width, height;
    unsigned seed;              /* paper noise and blob placement */
    float paper[3];             /* RGB 0..255 */
    int draw_pencil;            /* 0: no pencil (negative scenes) */
    float pencil_rgb[3];
    float pencil_width_scale;   /* 1 = the synth pencil's 7 mm width */
    int clear_pen;              /* translucent barrel with dark walls and an ink refill */
    int crayon;                 /* flat colour, no facets, a blunt cone of the same colour */
    int draw_hand;              /* hand capsules from the synth landmarks */
    int blobs;                  /* skin-coloured ellipses scattered on the paper */
    int ruled;                  /* ruled lines every ~1/12 of the height */
} grip_scene;
void grip_scene_default(grip_scene *s, int width, int height);
/* Renders into out (allocated RGB, release with ps_image_release). syn may be
 * NULL when neither pencil nor hand is drawn. */
ps_status grip_scene_render(const grip_scene *s, const grip_synth *syn, ps_image *out);
#endif
