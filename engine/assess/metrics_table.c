/* The metric registry: every metric of METRICS.md §1-3 with its unit, type,
 * good direction and a plain-language label for reports. This is data, kept in
 * METRICS.md order; tests check names against that file.
 *
 * Directions: UP/DOWN only where the handwriting literature ties the direction
 * to better writing (legibility, fluency, fewer errors); BAND where there is
 * a right amount rather than more-is-better (sizes, spacing, grip distance),
 * judged against the child's goal; NONE for descriptive values (counts of what
 * was on the page, angles that depend on the camera, detector scores). */
#include "penscope.h"
#include <string.h>

#define N PS_METRIC_NUMBER
#define B PS_METRIC_BOOL
#define C PS_METRIC_CATEGORY
#define UP PS_GOOD_UP
#define DOWN PS_GOOD_DOWN
#define BAND PS_GOOD_BAND
#define NONE PS_GOOD_NONE

static const ps_metric_info table[] = {
    /* 1. grip, per photo or frame */
    {"hand_found", "grip", "", B, NONE, "hand found"},
    {"hand_score", "grip", "", N, NONE, "hand detection score"},
    {"handedness", "grip", "", C, NONE, "writing hand"},
    {"pencil_found", "grip", "", B, NONE, "pencil found"},
    {"pencil_angle_deg", "grip", "deg", N, NONE, "pencil angle in the image"},
    {"fingers_on_pencil", "grip", "count", N, BAND, "fingers on the pencil"},
    {"thumb_position", "grip", "", C, NONE, "thumb position"},
    {"web_space_angle_deg", "grip", "deg", N, UP, "web space angle"},
    {"web_space", "grip", "", C, NONE, "web space"},
    {"grip_distance_mm", "grip", "mm", N, BAND, "grip distance"},
    {"grip_distance_rel", "grip", "hand scales", N, BAND, "grip distance (relative)"},
    {"index_dip_angle_deg", "grip", "deg", N, NONE, "index fingertip joint angle"},
    {"index_dip_hyperextended", "grip", "", B, DOWN, "index fingertip joint bent backwards"},
    {"grasp", "grip", "", C, NONE, "grasp"},
    {"grasp_maturity", "grip", "", C, NONE, "grasp maturity"},
    {"grasp_confidence", "grip", "", N, NONE, "grasp confidence"},
    /* grip, video aggregates */
    {"frames", "grip", "count", N, NONE, "video frames"},
    {"hand_found_pct", "grip", "%", N, NONE, "frames with a hand"},
    {"grasp_mode", "grip", "", C, NONE, "most frequent grasp"},
    {"mature_grasp_pct", "grip", "%", N, UP, "time in a mature grasp"},
    {"grasp_changes", "grip", "count", N, NONE, "grasp changes"},
    {"grip_distance_mm_mean", "grip", "mm", N, BAND, "mean grip distance"},
    {"grip_distance_mm_sd", "grip", "mm", N, NONE, "grip distance variation"},
    {"pencil_angle_sd_deg", "grip", "deg", N, NONE, "pencil angle variation"},
    {"movement_source", "grip", "", C, NONE, "movement source"},
    {"finger_movement_ratio", "grip", "ratio", N, UP, "share of movement from the fingers"},
    /* 2. page */
    {"lines", "page", "count", N, NONE, "lines on the page"},
    {"words", "page", "count", N, NONE, "words on the page"},
    {"letters", "page", "count", N, NONE, "letters on the page"},
    {"ruling", "page", "", C, NONE, "ruling"},
    {"x_height_mm", "page", "mm", N, BAND, "letter size (x-height)"},
    {"x_height_cv", "page", "ratio", N, DOWN, "letter size variation"},
    {"ascender_ratio", "page", "ratio", N, BAND, "tall-letter height ratio"},
    {"baseline_dev_mm", "page", "mm", N, DOWN, "distance from the line"},
    {"on_line_pct", "page", "%", N, UP, "letters on the line"},
    {"letter_gap_mm", "page", "mm", N, BAND, "space between letters"},
    {"letter_gap_cv", "page", "ratio", N, DOWN, "letter spacing variation"},
    {"word_gap_mm", "page", "mm", N, BAND, "space between words"},
    {"word_gap_cv", "page", "ratio", N, DOWN, "word spacing variation"},
    {"word_gap_ratio", "page", "x-heights", N, BAND, "word spacing (x-heights)"},
    {"collisions", "page", "count", N, DOWN, "letters touching"},
    {"slant_deg", "page", "deg", N, BAND, "slant"},
    {"slant_sd_deg", "page", "deg", N, DOWN, "slant variation"},
    {"line_angle_sd_deg", "page", "deg", N, DOWN, "line angle variation"},
    {"margin_drift_mm", "page", "mm per line", N, BAND, "margin drift"},
    {"stroke_width_mm", "page", "mm", N, NONE, "stroke width"},
    {"tremor_index", "page", "ratio", N, DOWN, "unsteady trace"},
    {"letters_expected", "page", "count", N, NONE, "letters expected"},
    {"letters_matched", "page", "count", N, NONE, "letters matched"},
    {"omissions", "page", "count", N, DOWN, "letters left out"},
    {"insertions", "page", "count", N, DOWN, "extra letters"},
    {"legibility_pct", "page", "%", N, UP, "legible letters"},
    {"reversals", "page ink", "count", N, DOWN, "reversed letters"},
    {"closure_fail", "page", "count", N, DOWN, "letters not closed"},
    {"form_score", "page", "0-100", N, UP, "letter form"},
    {"letters_per_min", "page ink", "letters/min", N, UP, "writing speed"},
    /* 3. ink */
    {"duration_s", "ink", "s", N, NONE, "duration"},
    {"on_surface_s", "ink", "s", N, NONE, "time on the surface"},
    {"in_air_s", "ink", "s", N, NONE, "time in the air"},
    {"air_surface_ratio", "ink", "ratio", N, DOWN, "in-air to on-surface time"},
    {"strokes", "ink", "count", N, NONE, "strokes"},
    {"pen_lifts", "ink", "count", N, NONE, "pen lifts"},
    {"path_mm", "ink", "mm", N, NONE, "path length"},
    {"width_mm", "ink", "mm", N, NONE, "writing width"},
    {"height_mm", "ink", "mm", N, NONE, "writing height"},
    {"velocity_mm_s_mean", "ink", "mm/s", N, UP, "pen speed"},
    {"velocity_mm_s_sd", "ink", "mm/s", N, NONE, "pen speed variation"},
    {"velocity_air_mm_s_mean", "ink", "mm/s", N, NONE, "pen speed in the air"},
    {"accel_mm_s2_mean", "ink", "mm/s2", N, NONE, "acceleration"},
    {"jerk_mm_s3_mean", "ink", "mm/s3", N, DOWN, "jerk"},
    {"ncv_per_stroke", "ink", "count", N, DOWN, "speed changes per stroke"},
    {"ncv_per_s", "ink", "count/s", N, DOWN, "speed changes per second"},
    {"stops", "ink", "count", N, DOWN, "stops inside strokes"},
    {"pressure_mean", "ink", "0-1", N, NONE, "pressure"},
    {"pressure_sd", "ink", "0-1", N, NONE, "pressure variation"},
    {"tilt_deg_mean", "ink", "deg", N, NONE, "pen tilt"},
    {"tilt_deg_sd", "ink", "deg", N, NONE, "pen tilt variation"},
    {"azimuth_deg_mean", "ink", "deg", N, NONE, "pen azimuth"},
    {"azimuth_deg_sd", "ink", "deg", N, NONE, "pen azimuth variation"},
    {"formation_score", "ink", "0-100", N, UP, "letter formation"},
    {"start_errors", "ink", "count", N, DOWN, "letters started in the wrong place"},
    {"direction_errors", "ink", "count", N, DOWN, "strokes in the wrong direction"},
    {"order_errors", "ink", "count", N, DOWN, "strokes in the wrong order"},
    {"stroke_count_errors", "ink", "count", N, DOWN, "wrong number of strokes"},
    /* reversals and letters_per_min are measured by page and ink alike: one
     * row each above, with kind "page ink". */
};

const ps_metric_info *ps_metric_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

const ps_metric_info *ps_metric_at(size_t i)
{
    return i < sizeof table / sizeof *table ? &table[i] : NULL;
}
