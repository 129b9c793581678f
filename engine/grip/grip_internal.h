/* Private pieces of the grip stage shared by its files: the thresholds
 * struct (one field per entry of models/grip/grasp_thresholds.json) and small
 * landmark helpers. */
#ifndef PS_GRIP_INTERNAL_H
#define PS_GRIP_INTERNAL_H
#include "penscope.h"
#include "core/geom.h"

/* Field order matches the table in thresholds.c; every value is required. */
struct ps_grip_thresholds {
    /* contact */
    double contact_rel;
    double support_rel;
    double contact_depth_rel;
    /* thumb */
    double side_margin_rel;
    double thumb_dorsal_rel;
    double thumb_tuck_palmar_rel;
    double thumb_tuck_ulnar_rel;
    double thumb_tuck_max_pos;
    /* web space */
    double web_open_deg;
    double web_band_deg;
    /* index DIP */
    double dip_hyperext_deg;
    /* whole-hand grasps */
    double fist_pip_deg;
    double palm_axis_rel;
    double pronate_index_pip_deg;
    double pronate_index_axis_deg;
    double angle_band_deg;
    double dist_band_rel;
    /* confidence */
    double confidence_floor;
    double unsure_thumb_factor;
    double noise_xy_rel;
    double noise_z_rel;
    double noise_draws;
    /* pencil finder */
    double pencil_width_min_rel;
    double pencil_width_max_rel;
    double pencil_min_len_widths;
    double pencil_min_len_rel;
    double pencil_reach_rel;
    double pencil_min_confidence;
    double pencil_min_hand_px;
    /* video */
    double min_change_s;
    double finger_ratio_fingers;
    double min_tip_path_rel;
};

/* Landmark indices (MediaPipe order). */
enum {
    LM_WRIST = 0,
    LM_THUMB_CMC = 1, LM_THUMB_MCP = 2, LM_THUMB_IP = 3, LM_THUMB_TIP = 4,
    LM_INDEX_MCP = 5, LM_INDEX_PIP = 6, LM_INDEX_DIP = 7, LM_INDEX_TIP = 8,
    LM_MIDDLE_MCP = 9, LM_MIDDLE_PIP = 10, LM_MIDDLE_DIP = 11, LM_MIDDLE_TIP = 12,
    LM_RING_MCP = 13, LM_RING_PIP = 14, LM_RING_DIP = 15, LM_RING_TIP = 16,
    LM_LITTLE_MCP = 17, LM_LITTLE_PIP = 18, LM_LITTLE_DIP = 19, LM_LITTLE_TIP = 20,
    LM_COUNT = 21
};

static inline ps_vec2 lm2(const float (*lm)[3], int i) { return ps_v2(lm[i][0], lm[i][1]); }
static inline ps_vec3 lm3(const float (*lm)[3], int i)
{
    ps_vec3 v = {lm[i][0], lm[i][1], lm[i][2]};
    return v;
}

#endif
