/* Robustness measurement of the grasp classifier (see robust.h).
 *
 * Noise levels: the hand landmark model's error on real photos is about
 * 0.14-0.5% of the image size in x and y, and larger in depth (z), which the
 * model infers from a single view. The table measures x/y noise at both ends
 * of that range, depth noise alone (three times the x/y level), the whole
 * hand turned a little (a real hand is never exactly at a nominal view), and
 * all of them together. World landmarks get the same noise in metres as the
 * image landmarks in pixels (one model output each), with independent draws. */
#include "grip/robust.h"
#include "grip/synth.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

/* Camera placements (grip_view angles, synth.h: yaw 0 sees the palm, 90 the
 * thumb side, 180 the back of the hand). A writing hand is pronated about
 * 45-60 degrees, so a camera straight above it sees the back of the hand and
 * the thumb side (yaw ~145); a side view at table height from the thumb side
 * is yaw 90; the synth's "45 degrees from the thumb side" is yaw 45; the
 * palm side (yaw ~25) is the view that hides most. */
const grip_robust_view grip_robust_views[GRIP_ROBUST_VIEWS] = {
    {"thumb45", 45, 10, 20},
    {"side", 90, 0, 0},
    {"above", 145, 10, -20},
    {"palm", 25, -10, -40},
};

const grip_robust_noise grip_robust_noises[GRIP_ROBUST_NOISES] = {
    {"none", 0, 0, 0},
    {"xy0.14%", 0.0014f, 0, 0},
    {"xy0.5%", 0.005f, 0, 0},
    {"z1.5%", 0, 0.015f, 0},
    {"rot10", 0, 0, 10},
    {"all", 0.003f, 0.009f, 10},
};

const float grip_robust_bin_lo[GRIP_ROBUST_BINS] = {0.0f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};

int grip_robust_grasp_measured(ps_grasp g)
{
    return g >= 0 && g < PS_GRASP_COUNT && g != PS_GRASP_STATIC_TRIPOD;
}

/* splitmix64: a well-mixed stream from any seed */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uniform01(uint64_t *s) { return ((mix(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
static float gauss(uint64_t *s)
{
    double u = uniform01(s), v = uniform01(s);
    return (float)(sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

static int bin_of(float conf)
{
    int b = 0;
    while (b + 1 < GRIP_ROBUST_BINS && conf >= grip_robust_bin_lo[b + 1])
        b++;
    return b;
}

ps_status grip_robust_run(const ps_grip_thresholds_t *th, unsigned seed0, int trials, grip_robust_table *out)
{
    if (!th || !out || trials < 1)
        return ps_fail(PS_ERR_INVALID_ARG, "grip robustness: bad arguments");
    memset(out, 0, sizeof *out);
    out->trials = trials;
    out->seed0 = seed0;
    for (int g = 0; g < PS_GRASP_COUNT; g++) {
        if (!grip_robust_grasp_measured((ps_grasp)g))
            continue;
        grip_hand_model model;
        if (grip_synth_model((ps_grasp)g, &model) < 0)
            return ps_fail(PS_ERR_INTERNAL, "grip robustness: cannot build %s", ps_grasp_name((ps_grasp)g));
        for (int v = 0; v < GRIP_ROBUST_VIEWS; v++)
            for (int k = 0; k < GRIP_ROBUST_NOISES; k++) {
                const grip_robust_noise *nz = &grip_robust_noises[k];
                grip_robust_cell *cell = &out->cell[g][v][k];
                for (int t = 0; t < trials; t++) {
                    unsigned seed = seed0 + (unsigned)t;
                    uint64_t rs = (uint64_t)seed * 0x100000001B3ull ^ (uint64_t)(g * 131 + v * 17 + k) << 40;
                    grip_view view;
                    grip_view_default(&view);
                    view.px_per_m = GRIP_ROBUST_PX_PER_M;
                    view.cx = 0.45f * GRIP_ROBUST_FRAME_PX;
                    view.cy = 700;
                    view.left = seed & 1;
                    view.yaw_deg = grip_robust_views[v].yaw_deg + nz->rot_deg * (float)(2 * uniform01(&rs) - 1);
                    view.pitch_deg = grip_robust_views[v].pitch_deg + nz->rot_deg * (float)(2 * uniform01(&rs) - 1);
                    view.roll_deg = grip_robust_views[v].roll_deg + nz->rot_deg * (float)(2 * uniform01(&rs) - 1);
                    grip_synth s;
                    grip_synth_pose(&model, &view, &s);
                    float sxy = nz->xy * GRIP_ROBUST_FRAME_PX, sz = nz->z * GRIP_ROBUST_FRAME_PX;
                    for (int i = 0; i < 21; i++) {
                        s.image[i][0] += sxy * gauss(&rs);
                        s.image[i][1] += sxy * gauss(&rs);
                        s.image[i][2] += sz * gauss(&rs);
                        s.world[i][0] += sxy / GRIP_ROBUST_PX_PER_M * gauss(&rs);
                        s.world[i][1] += sxy / GRIP_ROBUST_PX_PER_M * gauss(&rs);
                        s.world[i][2] += sz / GRIP_ROBUST_PX_PER_M * gauss(&rs);
                    }
                    ps_grip_result r;
                    ps_status rc = ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world,
                                                    view.left ? PS_GRIP_HAND_LEFT : PS_GRIP_HAND_RIGHT, &s.pencil,
                                                    7.0, &r);
                    if (rc)
                        return rc;
                    cell->n++;
                    if (r.grasp == (ps_grasp)g) {
                        cell->as_drawn++;
                    } else if (r.grasp == PS_GRASP_UNKNOWN) {
                        cell->unknown++;
                    } else {
                        cell->wrong++;
                        cell->wrong_as[r.grasp]++;
                    }
                    if (k > 0 && r.grasp != PS_GRASP_UNKNOWN) {
                        grip_robust_bin *b = &out->bin[bin_of(r.grasp_confidence)];
                        b->n++;
                        b->correct += r.grasp == (ps_grasp)g;
                    }
                }
            }
    }
    return PS_OK;
}
