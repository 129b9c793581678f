/* Landmark smoothing for video: the One-Euro filter (Casiez, Roussel and
 * Vogel, CHI 2012), one per coordinate. A first-order low-pass whose cutoff
 * rises with the speed of the signal: a still hand is smoothed hard (the
 * landmark model's frame-to-frame jitter of a few pixels disappears), a
 * moving hand hardly at all (no lag in the movement metrics). */
#include "grip/grip_internal.h"
#include <math.h>
#include <string.h>

void ps_grip_smoother_init(ps_grip_smoother *s)
{
    memset(s, 0, sizeof *s);
    s->min_cutoff_hz = 1.5;
    s->beta = 0.02;
    s->d_cutoff_hz = 1.0;
}

void ps_grip_smoother_reset(ps_grip_smoother *s)
{
    s->primed = 0;
}

static float alpha_of(double cutoff_hz, double dt)
{
    double tau = 1.0 / (2 * M_PI * cutoff_hz);
    return (float)(1.0 / (1.0 + tau / dt));
}

void ps_grip_smoother_apply(ps_grip_smoother *s, double t_s, float (*lm)[3])
{
    double dt = t_s - s->t_prev;
    if (!s->primed || !(dt > 0) || dt > 1.0) {
        memcpy(s->x, lm, sizeof s->x);
        memset(s->dx, 0, sizeof s->dx);
        s->t_prev = t_s;
        s->primed = 1;
        return;
    }
    float ad = alpha_of(s->d_cutoff_hz, dt);
    for (int i = 0; i < LM_COUNT; i++)
        for (int k = 0; k < 3; k++) {
            float v = lm[i][k];
            if (!isfinite(v))
                continue;
            float d = (float)((v - s->x[i][k]) / dt);
            s->dx[i][k] += ad * (d - s->dx[i][k]);
            float a = alpha_of(s->min_cutoff_hz + s->beta * fabsf(s->dx[i][k]), dt);
            s->x[i][k] += a * (v - s->x[i][k]);
            lm[i][k] = s->x[i][k];
        }
    s->t_prev = t_s;
}
