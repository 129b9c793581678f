/* The grip stage's part of the JSON record (DESIGN.md §4): METRICS.md §1
 * names and units. Used by the CLI (penscope grip) and anything else that
 * writes records; private, not in penscope.h. */
#ifndef PS_GRIP_JSON_H
#define PS_GRIP_JSON_H
#include "penscope.h"
#include "core/json.h"

/* Appends the grip metrics as keys of the open "metrics" object. r may be
 * NULL (no hand): every grip metric is then null. */
void ps_grip_json_metrics(ps_json *j, const ps_grip_result *r);
/* Appends key "grip" with the geometry and the decision criteria to the open
 * "detail" object. */
void ps_grip_json_detail(ps_json *j, const ps_grip_result *r);
/* Appends warnings (strings) for unmeasured metrics to the open "warnings" array. */
void ps_grip_json_warnings(ps_json *j, const ps_grip_result *r);
/* Appends the video aggregates as keys of the open "metrics" object;
 * with_counts = 0 leaves out frames and hand_found_pct (written by the hand
 * stage's part of the record). */
void ps_grip_json_video_metrics(ps_json *j, const ps_grip_video_result *v, int with_counts);

#endif
