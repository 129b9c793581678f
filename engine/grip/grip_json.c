/* Grip metrics, detail and warnings for the JSON record (see grip_json.h).
 * Numbers are rounded to what the measurement supports (0.1 deg, 0.1 mm,
 * 0.001 hand scales) so records stay short and stable. */
#include "grip/grip_json.h"
#include "grip/grip_internal.h"
#include <math.h>
#include <stdio.h>

static double round_to(double v, double step) { return isfinite(v) ? round(v / step) * step : NAN; }

void ps_grip_json_metrics(ps_json *j, const ps_grip_result *r)
{
    if (!r) {
        static const char *const keys[] = {
            "pencil_found", "pencil_angle_deg", "fingers_on_pencil", "thumb_position", "web_space_angle_deg",
            "web_space", "grip_distance_mm", "grip_distance_rel", "index_dip_angle_deg", "index_dip_hyperextended",
            "grasp", "grasp_maturity", "grasp_confidence",
        };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            ps_json_knull(j, keys[i]);
        return;
    }
    ps_json_kbool(j, "pencil_found", r->pencil_found);
    ps_json_knum(j, "pencil_angle_deg", round_to(r->pencil_angle_deg, 0.1));
    if (r->pencil_found)
        ps_json_kint(j, "fingers_on_pencil", r->fingers_on_pencil);
    else
        ps_json_knull(j, "fingers_on_pencil");
    if (r->thumb_position != PS_THUMB_UNKNOWN)
        ps_json_kstr(j, "thumb_position", ps_thumb_position_name(r->thumb_position));
    else
        ps_json_knull(j, "thumb_position");
    ps_json_knum(j, "web_space_angle_deg", round_to(r->web_space_angle_deg, 0.1));
    if (r->web_space != PS_WEB_UNKNOWN)
        ps_json_kstr(j, "web_space", ps_web_space_name(r->web_space));
    else
        ps_json_knull(j, "web_space");
    ps_json_knum(j, "grip_distance_mm", round_to(r->grip_distance_mm, 0.1));
    ps_json_knum(j, "grip_distance_rel", round_to(r->grip_distance_rel, 0.001));
    ps_json_knum(j, "index_dip_angle_deg", round_to(r->index_dip_angle_deg, 0.1));
    if (r->index_dip_hyperextended >= 0)
        ps_json_kbool(j, "index_dip_hyperextended", r->index_dip_hyperextended);
    else
        ps_json_knull(j, "index_dip_hyperextended");
    ps_json_kstr(j, "grasp", ps_grasp_name(r->grasp));
    if (r->grasp_maturity != PS_MATURITY_UNKNOWN)
        ps_json_kstr(j, "grasp_maturity", ps_grasp_maturity_name(r->grasp_maturity));
    else
        ps_json_knull(j, "grasp_maturity");
    ps_json_knum(j, "grasp_confidence", round_to(r->grasp_confidence, 0.001));
}

static void point(ps_json *j, const char *key, const float p[2])
{
    ps_json_key(j, key);
    ps_json_arr_begin(j);
    ps_json_num(j, round_to(p[0], 0.01));
    ps_json_num(j, round_to(p[1], 0.01));
    ps_json_arr_end(j);
}

void ps_grip_json_detail(ps_json *j, const ps_grip_result *r)
{
    static const char *const digit[5] = {"thumb", "index", "middle", "ring", "little"};
    ps_json_key(j, "grip");
    ps_json_obj_begin(j);
    ps_json_knum(j, "hand_scale_px", round_to(r->hand_scale_px, 0.01));
    ps_json_key(j, "pencil");
    if (r->pencil_found) {
        const ps_grip_pencil *p = &r->pencil;
        ps_json_obj_begin(j);
        point(j, "tip", p->tip);
        point(j, "end", p->end);
        ps_json_knum(j, "width_px", round_to(p->width_px, 0.01));
        ps_json_knum(j, "visible_len_px", round_to(p->visible_len_px, 0.1));
        ps_json_knum(j, "confidence", round_to(p->confidence, 0.001));
        ps_json_key(j, "color");
        ps_json_arr_begin(j);
        for (int c = 0; c < 3; c++)
            ps_json_int(j, (int64_t)lrintf(p->color[c]));
        ps_json_arr_end(j);
        ps_json_obj_end(j);
    } else {
        ps_json_null(j);
    }
    ps_json_key(j, "contacts");
    ps_json_arr_begin(j);
    for (int d = 0; d < 5; d++) {
        if (!(r->contact_mask & (1u << d)))
            continue;
        ps_json_obj_begin(j);
        ps_json_kstr(j, "digit", digit[d]);
        point(j, "at", r->contact_px[d]);
        ps_json_obj_end(j);
    }
    ps_json_arr_end(j);
    if (r->grip_digit >= 0 && r->grip_digit < 5)
        ps_json_kstr(j, "grip_distance_digit", digit[r->grip_digit]);
    else
        ps_json_knull(j, "grip_distance_digit");
    ps_json_knum(j, "grip_distance_px", round_to(r->grip_distance_px, 0.01));
    ps_json_kstr(j, "grasp_candidate", ps_grasp_name(r->grasp_candidate));
    ps_json_key(j, "criteria");
    ps_json_arr_begin(j);
    for (int i = 0; i < r->n_criteria; i++) {
        const ps_grip_criterion *c = &r->criteria[i];
        ps_json_obj_begin(j);
        ps_json_kstr(j, "name", c->name);
        ps_json_kstr(j, "text", c->text);
        ps_json_knum(j, "value", round_to(c->value, 0.001));
        ps_json_knum(j, "threshold", round_to(c->threshold, 0.001));
        ps_json_knum(j, "margin", round_to(c->margin, 0.001));
        ps_json_obj_end(j);
    }
    ps_json_arr_end(j);
    ps_json_obj_end(j);
}

void ps_grip_json_warnings(ps_json *j, const ps_grip_result *r)
{
    if (!r->pencil_found) {
        char w[256];
        snprintf(w, sizeof w, "no pencil found in contact with the hand (%s): pencil and grasp metrics are null or unknown",
                 r->pencil.why_not ? r->pencil.why_not : "no pencil given");
        ps_json_str(j, w);
    }
    else if (r->grasp == PS_GRASP_UNKNOWN && r->grasp_candidate != PS_GRASP_UNKNOWN)
        ps_json_str(j, "grasp below the confidence floor: reported as unknown (see detail.grip.grasp_candidate)");
    else if (r->grasp == PS_GRASP_UNKNOWN)
        ps_json_str(j, "the digits on the pencil match no grasp of the taxonomy: grasp unknown");
    if (!isfinite(r->web_space_angle_deg))
        ps_json_str(j, "no 3-D landmarks: web space and index DIP angles are null");
    if (r->pencil_found && !isfinite(r->grip_distance_mm) && isfinite(r->grip_distance_rel))
        ps_json_str(j, "no physical scale: grip_distance_mm is null (grip_distance_rel is in hand scales)");
}

void ps_grip_json_video_metrics(ps_json *j, const ps_grip_video_result *v, int with_counts)
{
    if (with_counts) {
        ps_json_kint(j, "frames", v->frames);
        ps_json_knum(j, "hand_found_pct", round_to(v->hand_found_pct, 0.01));
    }
    ps_json_kstr(j, "grasp_mode", ps_grasp_name(v->grasp_mode));
    ps_json_knum(j, "mature_grasp_pct", round_to(v->mature_grasp_pct, 0.01));
    ps_json_kint(j, "grasp_changes", v->grasp_changes);
    ps_json_knum(j, "grip_distance_mm_mean", round_to(v->grip_distance_mm_mean, 0.1));
    ps_json_knum(j, "grip_distance_mm_sd", round_to(v->grip_distance_mm_sd, 0.1));
    ps_json_knum(j, "pencil_angle_sd_deg", round_to(v->pencil_angle_sd_deg, 0.1));
    if (v->movement_source != PS_MOVEMENT_UNKNOWN)
        ps_json_kstr(j, "movement_source", ps_movement_source_name(v->movement_source));
    else
        ps_json_knull(j, "movement_source");
    ps_json_knum(j, "finger_movement_ratio", round_to(v->finger_movement_ratio, 0.001));
}
