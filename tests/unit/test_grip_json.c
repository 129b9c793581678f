/* The grip part of the JSON record: METRICS.md §1 names, nulls for what
 * was not measured, the criteria in detail; parsed back with jansson. */
#include "grip_testutil.h"
#include "grip/grip_json.h"
#include "grip/synth.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *record(const ps_grip_result *r)
{
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_obj_begin(&j);
    ps_json_key(&j, "metrics");
    ps_json_obj_begin(&j);
    ps_grip_json_metrics(&j, r);
    ps_json_obj_end(&j);
    if (r) {
        ps_json_key(&j, "detail");
        ps_json_obj_begin(&j);
        ps_grip_json_detail(&j, r);
        ps_json_obj_end(&j);
        ps_json_key(&j, "warnings");
        ps_json_arr_begin(&j);
        ps_grip_json_warnings(&j, r);
        ps_json_arr_end(&j);
    }
    ps_json_obj_end(&j);
    assert_true(ps_json_ok(&j));
    json_error_t err;
    json_t *root = json_loadb(b.data, b.len, 0, &err);
    ps_buf_release(&b);
    assert_non_null(root);
    return root;
}

static const char *const metric_names[] = {
    "pencil_found", "pencil_angle_deg", "fingers_on_pencil", "thumb_position", "web_space_angle_deg", "web_space",
    "grip_distance_mm", "grip_distance_rel", "index_dip_angle_deg", "index_dip_hyperextended", "grasp",
    "grasp_maturity", "grasp_confidence",
};

static void test_tripod_record(void **st)
{
    (void)st;
    grip_view v;
    grip_view_default(&v);
    grip_synth s;
    grip_synth_build(PS_GRASP_DYNAMIC_TRIPOD, &v, &s);
    ps_grip_result r;
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world, PS_GRIP_HAND_RIGHT,
                                      &s.pencil, 7.0, &r), PS_OK);
    json_t *root = record(&r);
    json_t *m = json_object_get(root, "metrics");
    for (size_t i = 0; i < sizeof metric_names / sizeof metric_names[0]; i++)
        assert_non_null(json_object_get(m, metric_names[i]));
    assert_true(json_is_true(json_object_get(m, "pencil_found")));
    assert_string_equal(json_string_value(json_object_get(m, "grasp")), "dynamic_tripod");
    assert_string_equal(json_string_value(json_object_get(m, "grasp_maturity")), "mature");
    assert_string_equal(json_string_value(json_object_get(m, "thumb_position")), "opposed");
    assert_string_equal(json_string_value(json_object_get(m, "web_space")), "open");
    assert_int_equal(json_integer_value(json_object_get(m, "fingers_on_pencil")), 3);
    assert_float_equal(json_number_value(json_object_get(m, "grip_distance_mm")), r.grip_distance_mm, 0.051);
    json_t *g = json_object_get(json_object_get(root, "detail"), "grip");
    assert_int_equal(json_array_size(json_object_get(g, "contacts")), 3);
    assert_int_equal(json_array_size(json_object_get(g, "criteria")), (size_t)r.n_criteria);
    json_t *c0 = json_array_get(json_object_get(g, "criteria"), 0);
    assert_string_equal(json_string_value(json_object_get(c0, "name")), "fingers");
    assert_true(json_is_object(json_object_get(g, "pencil")));
    assert_int_equal(json_array_size(json_object_get(root, "warnings")), 0);
    json_decref(root);
}

static void test_nulls(void **st)
{
    (void)st;
    json_t *root = record(NULL);
    json_t *m = json_object_get(root, "metrics");
    for (size_t i = 0; i < sizeof metric_names / sizeof metric_names[0]; i++)
        assert_true(json_is_null(json_object_get(m, metric_names[i])));
    json_decref(root);
    /* a hand without pencil and without world landmarks */
    grip_view v;
    grip_view_default(&v);
    grip_synth s;
    grip_synth_build(PS_GRASP_DYNAMIC_TRIPOD, &v, &s);
    ps_grip_result r;
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, NULL, PS_GRIP_HAND_RIGHT, NULL, 7.0, &r), PS_OK);
    root = record(&r);
    m = json_object_get(root, "metrics");
    assert_true(json_is_false(json_object_get(m, "pencil_found")));
    assert_string_equal(json_string_value(json_object_get(m, "grasp")), "unknown");
    assert_true(json_is_null(json_object_get(m, "grip_distance_mm")));
    assert_true(json_is_null(json_object_get(m, "web_space")));
    assert_true(json_is_null(json_object_get(m, "index_dip_hyperextended")));
    assert_true(json_is_null(json_object_get(json_object_get(json_object_get(root, "detail"), "grip"), "pencil")));
    assert_int_equal(json_array_size(json_object_get(root, "warnings")), 2);
    json_decref(root);
}

static void test_video_metrics(void **st)
{
    (void)st;
    ps_grip_video_result v;
    assert_int_equal(ps_grip_video_aggregate(NULL, 0, th, &v), PS_OK);
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_obj_begin(&j);
    ps_grip_json_video_metrics(&j, &v, 1);
    ps_json_obj_end(&j);
    json_t *root = json_loadb(b.data, b.len, 0, NULL);
    assert_non_null(root);
    static const char *const keys[] = {"frames", "hand_found_pct", "grasp_mode", "mature_grasp_pct", "grasp_changes",
                                       "grip_distance_mm_mean", "grip_distance_mm_sd", "pencil_angle_sd_deg",
                                       "movement_source", "finger_movement_ratio"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(json_object_get(root, keys[i]));
    assert_int_equal(json_integer_value(json_object_get(root, "frames")), 0);
    assert_true(json_is_null(json_object_get(root, "movement_source")));
    json_decref(root);
    ps_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tripod_record),
        cmocka_unit_test(test_nulls),
        cmocka_unit_test(test_video_metrics),
    };
    return cmocka_run_group_tests(tests, grip_thresholds_setup, grip_thresholds_teardown);
}
