/* Small plane geometry shared by the stages: points, rectangles, rotated
 * rectangles (the hand ROI), angles. Angles are radians unless named _deg. */
#ifndef PS_CORE_GEOM_H
#define PS_CORE_GEOM_H
#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct ps_vec2 { float x, y; } ps_vec2;
typedef struct ps_vec3 { float x, y, z; } ps_vec3;
/* Axis-aligned box, half-open in pixels or normalised units as documented by the user. */
typedef struct ps_rectf { float x0, y0, x1, y1; } ps_rectf;
/* Rotated rectangle: centre, size, rotation (radians, image coordinates, y down). */
typedef struct ps_rotrect { float cx, cy, w, h, angle; } ps_rotrect;

static inline ps_vec2 ps_v2(float x, float y) { ps_vec2 v = {x, y}; return v; }
static inline ps_vec2 ps_v2_sub(ps_vec2 a, ps_vec2 b) { return ps_v2(a.x - b.x, a.y - b.y); }
static inline ps_vec2 ps_v2_add(ps_vec2 a, ps_vec2 b) { return ps_v2(a.x + b.x, a.y + b.y); }
static inline ps_vec2 ps_v2_scale(ps_vec2 a, float s) { return ps_v2(a.x * s, a.y * s); }
static inline float ps_v2_dot(ps_vec2 a, ps_vec2 b) { return a.x * b.x + a.y * b.y; }
static inline float ps_v2_cross(ps_vec2 a, ps_vec2 b) { return a.x * b.y - a.y * b.x; }
static inline float ps_v2_len(ps_vec2 a) { return sqrtf(a.x * a.x + a.y * a.y); }
static inline float ps_v2_dist(ps_vec2 a, ps_vec2 b) { return ps_v2_len(ps_v2_sub(a, b)); }
static inline ps_vec2 ps_v2_rotate(ps_vec2 a, float ang)
{
    float c = cosf(ang), s = sinf(ang);
    return ps_v2(c * a.x - s * a.y, s * a.x + c * a.y);
}

static inline ps_vec3 ps_v3_sub(ps_vec3 a, ps_vec3 b) { ps_vec3 r = {a.x - b.x, a.y - b.y, a.z - b.z}; return r; }
static inline float ps_v3_dot(ps_vec3 a, ps_vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static inline float ps_v3_len(ps_vec3 a) { return sqrtf(ps_v3_dot(a, a)); }
/* Angle between two vectors in degrees, 0..180; NaN when either is zero. */
float ps_v3_angle_deg(ps_vec3 a, ps_vec3 b);

/* Angle wrapped to [-pi, pi). */
float ps_angle_normalize(float a);
/* Distance from p to the segment a-b, and the parameter t in [0,1] of the closest point. */
float ps_point_segment_dist(ps_vec2 p, ps_vec2 a, ps_vec2 b, float *t);
/* Intersection over union of two boxes; 0 when the union is empty. */
float ps_rect_iou(ps_rectf a, ps_rectf b);

#endif
