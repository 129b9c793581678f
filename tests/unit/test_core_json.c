/* The JSON writer: structure, escaping, invalid UTF-8, non-finite numbers,
 * and misuse detection. Output is checked byte for byte. */
#include "testutil.h"
#include "core/json.h"
#include "core/alloc.h"
#include <jansson.h>
#include <math.h>
#include <string.h>

static void expect(ps_buf *b, const char *want)
{
    assert_non_null(b->data);
    assert_string_equal(b->data, want);
}

static void test_nested(void **st)
{
    (void)st;
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_obj_begin(&j);
    ps_json_kstr(&j, "file", "a.jpg");
    ps_json_kbool(&j, "ok", true);
    ps_json_key(&j, "metrics");
    ps_json_obj_begin(&j);
    ps_json_knum(&j, "x", 1.5);
    ps_json_kint(&j, "n", -3);
    ps_json_knull(&j, "z");
    ps_json_obj_end(&j);
    ps_json_knums(&j, "box", (double[]){1, 2.5, -3, 4}, 4);
    ps_json_key(&j, "list");
    ps_json_arr_begin(&j);
    ps_json_arr_begin(&j);
    ps_json_arr_end(&j);
    ps_json_num(&j, 0.1);
    ps_json_str(&j, NULL);
    ps_json_obj_begin(&j);
    ps_json_obj_end(&j);
    ps_json_arr_end(&j);
    ps_json_obj_end(&j);
    assert_true(ps_json_ok(&j));
    expect(&b, "{\"file\":\"a.jpg\",\"ok\":true,\"metrics\":{\"x\":1.5,\"n\":-3,\"z\":null},"
               "\"box\":[1,2.5,-3,4],\"list\":[[],0.1,null,{}]}");
    ps_buf_release(&b);
}

static void test_escaping(void **st)
{
    (void)st;
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_arr_begin(&j);
    ps_json_str(&j, "q\"b\\s/\n\r\t\b\f\x01\x1f");
    ps_json_str(&j, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\x8a");   /* valid UTF-8 kept */
    ps_json_str(&j, "bad \xff \xc3 \xed\xa0\x80 \xc0\xaf end");      /* invalid -> U+FFFD */
    ps_json_strn(&j, "nul\0inside", 10);
    ps_json_arr_end(&j);
    assert_true(ps_json_ok(&j));
    expect(&b, "[\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\","
               "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\x8a\","
               "\"bad \\ufffd \\ufffd \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd end\","
               "\"nul\\u0000inside\"]");
    ps_buf_release(&b);
}

static void test_numbers(void **st)
{
    (void)st;
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_arr_begin(&j);
    ps_json_num(&j, NAN);
    ps_json_num(&j, INFINITY);
    ps_json_num(&j, -INFINITY);
    ps_json_num(&j, -0.0);
    ps_json_num(&j, 1e300);
    ps_json_num(&j, 123456789.125);
    ps_json_int(&j, INT64_MIN);
    ps_json_arr_end(&j);
    assert_true(ps_json_ok(&j));
    expect(&b, "[null,null,null,0,1e+300,123456789.1,-9223372036854775808]");
    ps_buf_release(&b);
}

static void test_misuse(void **st)
{
    (void)st;
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_obj_begin(&j);
    assert_false(ps_json_ok(&j)); /* unclosed */
    ps_json_key(&j, "k");
    ps_json_obj_end(&j); /* key without value */
    assert_false(ps_json_ok(&j));
    ps_buf_release(&b);

    ps_buf_init(&b);
    ps_json_init(&j, &b);
    for (int i = 0; i < PS_JSON_MAX_DEPTH + 2; i++)
        ps_json_arr_begin(&j);
    assert_false(ps_json_ok(&j));
    ps_buf_release(&b);
}

/* ps_json_decoded_text predicts what a JSON reader (jansson) gets back from
 * a string the writer wrote, invalid UTF-8 included: batch --resume matches
 * input names against its output that way. */
static void test_decoded_text(void **st)
{
    (void)st;
    static const char *const names[] = {"plain.png", "caf\xc3\xa9 \xf0\x9f\x96\x8a.jpg", "bad \xff \xc3 end",
                                        "\xed\xa0\x80 surrogate", "\xc0\xaf overlong", "cut \xe2\x82",
                                        "tab\tnewline\n\x01", "\xf4\x90\x80\x80 past U+10FFFF"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        ps_buf w, want;
        ps_buf_init(&w);
        ps_buf_init(&want);
        ps_json j;
        ps_json_init(&j, &w);
        ps_json_arr_begin(&j);
        ps_json_str(&j, names[i]);
        ps_json_arr_end(&j);
        json_error_t err;
        json_t *root = json_loadb(w.data, w.len, 0, &err);
        assert_non_null(root);
        const char *got = json_string_value(json_array_get(root, 0));
        assert_non_null(got);
        ps_json_decoded_text(&want, names[i], strlen(names[i]));
        ps_buf_putc(&want, 0);
        assert_string_equal(got, want.data);
        json_decref(root);
        ps_buf_release(&w);
        ps_buf_release(&want);
    }
}

static void test_alloc_failure(void **st)
{
    (void)st;
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_alloc_fail_after(1);
    ps_json_arr_begin(&j);
    ps_json_str(&j, "x");
    ps_json_arr_end(&j);
    ps_alloc_fail_after(0);
    assert_true(b.failed);
    assert_false(ps_json_ok(&j));
    ps_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_decoded_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
