/* The labels CSV of `penscope bench` (engine/assess/bench_labels.c): RFC
 * 4180 quoting, BOM and CRLF, comments, screening rules, numeric columns,
 * and refusals that name the line at fault. */
#include "testutil.h"
#include "assess/bench_labels.h"
#include <stdio.h>
#include <string.h>

static const char *cell(const ps_bench_labels *l, size_t row, size_t col)
{
    return l->cell[row * l->ncols + col];
}

static void test_parse(void **st)
{
    (void)st;
    const char text[] = "\xEF\xBB\xBF# made by hand\r\n"
                        "file,kind, grasp ,size,dysgraphia = stops >= 12.5\r\n"
                        "\r\n"
                        "a.jpg,grip,dynamic_tripod,3,yes\r\n"
                        "\"b,\"\"quoted\"\"\nname.png\",page,\"lateral tripod\",,FALSE\r\n"
                        "# between rows\n"
                        "c.svc,,, 4.5 ,\n";
    ps_bench_labels l;
    assert_int_equal(ps_bench_labels_parse(text, sizeof text - 1, &l), PS_OK);
    assert_int_equal(l.nrows, 3);
    assert_int_equal(l.ncols, 3);
    assert_string_equal(l.col[0].name, "grasp"); /* spaces around unquoted fields go */
    assert_false(l.col[0].numeric);
    assert_string_equal(l.col[1].name, "size");
    assert_true(l.col[1].numeric);
    assert_int_equal(l.col[1].labelled, 2);
    assert_string_equal(l.col[2].name, "dysgraphia");
    assert_string_equal(l.col[2].metric, "stops");
    assert_int_equal(l.col[2].op, PS_BENCH_GE);
    assert_true(l.col[2].threshold == 12.5);
    assert_false(l.col[2].numeric);
    assert_string_equal(l.file[0], "a.jpg");
    assert_string_equal(l.file[1], "b,\"quoted\"\nname.png");
    assert_string_equal(l.kind[1], "page");
    assert_null(l.kind[2]);
    assert_int_equal(l.line[0], 4);
    assert_int_equal(l.line[1], 5);
    assert_int_equal(l.line[2], 8); /* the quoted newline counts */
    assert_string_equal(cell(&l, 1, 0), "lateral tripod");
    assert_null(cell(&l, 1, 1));
    assert_string_equal(cell(&l, 2, 1), "4.5");
    assert_string_equal(cell(&l, 0, 2), "yes");
    assert_string_equal(cell(&l, 1, 2), "no"); /* FALSE is no */
    assert_null(cell(&l, 2, 2));
    ps_bench_labels_release(&l);
}

static void test_rules(void **st)
{
    (void)st;
    const struct {
        const char *header;
        ps_bench_op op;
        double v, yes, no;
    } cases[] = {
        {"r=m>=2", PS_BENCH_GE, 2, 2, 1.9},
        {"r=m>2", PS_BENCH_GT, 2, 2.1, 2},
        {"r=m<=-1", PS_BENCH_LE, -1, -1, -0.9},
        {"r=m<1e3", PS_BENCH_LT, 1000, 999, 1000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[64];
        int n = snprintf(text, sizeof text, "file,%s\nx,1\n", cases[i].header);
        ps_bench_labels l;
        assert_int_equal(ps_bench_labels_parse(text, (size_t)n, &l), PS_OK);
        assert_int_equal(l.col[0].op, cases[i].op);
        assert_true(l.col[0].threshold == cases[i].v);
        assert_true(ps_bench_rule_test(&l.col[0], cases[i].yes));
        assert_false(ps_bench_rule_test(&l.col[0], cases[i].no));
        ps_bench_labels_release(&l);
    }
}

static void expect_refused(const char *text, const char *message)
{
    ps_bench_labels l;
    ps_status rc = ps_bench_labels_parse(text, strlen(text), &l);
    if (rc == PS_OK)
        fail_msg("accepted: %s", text);
    if (!strstr(ps_last_error(), message))
        fail_msg("'%s' does not say '%s'", ps_last_error(), message);
    assert_int_equal(l.nrows, 0);
    assert_null(l.col);
}

static void test_refusals(void **st)
{
    (void)st;
    expect_refused("", "no header");
    expect_refused("# only a comment\n\n", "no header");
    expect_refused("kind,size\npage,1\n", "line 1: no 'file' column");
    expect_refused("file,size,size\nx,1,2\n", "line 1: column 'size' appears twice");
    expect_refused("file,a=m>1,a\nx,yes,2\n", "label 'a' appears twice");
    expect_refused("file,size\nx,1\ny,1,2\n", "line 3: 3 fields, the header has 2");
    expect_refused("file,size\nx,1\ny\n", "line 3: 1 fields, the header has 2");
    expect_refused("file,size\nx,1\n\"y,2\n", "line 3: a quote is never closed");
    expect_refused("file,size\n\"x\"z,1\n", "line 2: text after a closing quote");
    expect_refused("file,size\nx\"y,1\n", "line 2: a quote inside an unquoted field");
    expect_refused("file,size\n,1\n", "line 2: no file name");
    expect_refused("file,size\na,1\nb,2\na,3\n", "line 4: 'a' is listed twice (first on line 2)");
    expect_refused("file,r=m\nx,yes\n", "has no >=, >, <= or <");
    expect_refused("file,r=m>x\nx,yes\n", "not NAME=METRIC OP NUMBER");
    expect_refused("file,r=>3\nx,yes\n", "not NAME=METRIC OP NUMBER");
    expect_refused("file,r=m>3\nx,maybe\n", "line 2: column 'r' takes yes or no, not 'maybe'");
    expect_refused("file,bad name\nx,1\n", "line 1: column 'bad name' is not a metric name");
    const char nul[] = "file,size\nx,1\0\n";
    ps_bench_labels l;
    assert_int_equal(ps_bench_labels_parse(nul, sizeof nul - 1, &l), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "NUL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
