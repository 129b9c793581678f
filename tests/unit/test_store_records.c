/* The reader of batch result files (engine/store/records.c) that merge and
 * batch --resume use: complete records come back byte for byte, a torn last
 * record is reported and not returned, bad JSON / UTF-8 / types and records
 * over the limit are refused with the line, CSV quotes may span lines. */
#include "testutil.h"
#include "core/alloc.h"
#include "store/records.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A reader over the bytes of text (fmemopen); close with done(). */
static FILE *g_f;

static void open_text(ps_records_reader *r, const char *text, size_t n, ps_records_format fmt, size_t max)
{
    g_f = fmemopen((void *)text, n, "r");
    assert_non_null(g_f);
    assert_int_equal(ps_records_init(r, g_f, fmt, max), PS_OK);
}

static void done(ps_records_reader *r)
{
    ps_records_release(r);
    fclose(g_f);
}

static void expect_record(ps_records_reader *r, const char *data, const char *file, size_t line)
{
    assert_int_equal(ps_records_next(r), PS_OK);
    assert_int_equal(r->len, strlen(data));
    assert_memory_equal(r->data, data, r->len);
    assert_int_equal(r->data[r->len], 0);
    if (file)
        assert_string_equal(r->file, file);
    else
        assert_null(r->file);
    assert_int_equal(r->line, line);
}

static void test_jsonl_good(void **st)
{
    (void)st;
    const char text[] = "{\"file\":\"a.jpg\",\"kind\":\"grip\",\"ok\":true}\n"
                        "{\"ok\":false,\"file\":\"b \\u00e9\\n.png\"}\r\n"
                        "{\"file\":\"\"}\n";
    ps_records_reader r;
    open_text(&r, text, sizeof text - 1, PS_RECORDS_JSONL, 0);
    expect_record(&r, "{\"file\":\"a.jpg\",\"kind\":\"grip\",\"ok\":true}\n", "a.jpg", 1);
    assert_false(r.is_header);
    expect_record(&r, "{\"ok\":false,\"file\":\"b \\u00e9\\n.png\"}\r\n", "b \xc3\xa9\n.png", 2);
    expect_record(&r, "{\"file\":\"\"}\n", "", 3);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_false(r.torn);
    assert_int_equal(r.end_ok, sizeof text - 1);
    assert_int_equal(ps_records_next(&r), PS_DONE); /* and stays done */
    done(&r);

    open_text(&r, "", 0, PS_RECORDS_JSONL, 0);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_false(r.torn);
    assert_int_equal(r.end_ok, 0);
    done(&r);
}

static void test_torn(void **st)
{
    (void)st;
    /* a run killed in the middle of its third record */
    const char text[] = "{\"file\":\"a\"}\n{\"file\":\"b\"}\n{\"file\":\"c\",\"metr";
    ps_records_reader r;
    open_text(&r, text, sizeof text - 1, PS_RECORDS_JSONL, 0);
    expect_record(&r, "{\"file\":\"a\"}\n", "a", 1);
    expect_record(&r, "{\"file\":\"b\"}\n", "b", 2);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_true(r.torn);
    assert_int_equal(r.end_ok, 26);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_true(r.torn); /* still known after another call */
    done(&r);

    /* a complete JSON object that lost only its newline is still torn */
    open_text(&r, "{\"file\":\"a\"}", 12, PS_RECORDS_JSONL, 0);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_true(r.torn);
    assert_int_equal(r.end_ok, 0);
    done(&r);

    /* CSV torn inside its header, and inside a quoted field */
    open_text(&r, "file,kind", 9, PS_RECORDS_CSV, 0);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_true(r.torn);
    done(&r);
    const char csv[] = "file,kind\na,page\n\"b\nc";
    open_text(&r, csv, sizeof csv - 1, PS_RECORDS_CSV, 0);
    expect_record(&r, "file,kind\n", NULL, 1);
    assert_true(r.is_header);
    expect_record(&r, "a,page\n", "a", 2);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_true(r.torn);
    assert_int_equal(r.end_ok, 17);
    done(&r);
}

static void test_csv(void **st)
{
    (void)st;
    const char text[] = "file,kind,ok,error\n"
                        "plain.png,page,true,\n"
                        "\"a,\"\"b\"\"\nc.png\",page,false,\"two\nlines\"\n"
                        ",page,true,\n"
                        "\"quotes at the end,\"\"\"\"\",x\n"
                        "\xff\xfe.png,page,true,\r\n";
    ps_records_reader r;
    open_text(&r, text, sizeof text - 1, PS_RECORDS_CSV, 0);
    expect_record(&r, "file,kind,ok,error\n", NULL, 1);
    assert_true(r.is_header);
    expect_record(&r, "plain.png,page,true,\n", "plain.png", 2);
    assert_false(r.is_header);
    expect_record(&r, "\"a,\"\"b\"\"\nc.png\",page,false,\"two\nlines\"\n", "a,\"b\"\nc.png", 3);
    expect_record(&r, ",page,true,\n", "", 6); /* the quoted newlines count as lines */
    expect_record(&r, "\"quotes at the end,\"\"\"\"\",x\n", "quotes at the end,\"\"", 7);
    expect_record(&r, "\xff\xfe.png,page,true,\r\n", "\xff\xfe.png", 8); /* CSV names are bytes */
    assert_int_equal(ps_records_next(&r), PS_DONE);
    assert_false(r.torn);
    done(&r);
}

static void test_duplicates(void **st)
{
    (void)st;
    /* the same input twice (two shards, or an old and a resumed run): the
     * reader returns both, merge and resume decide which one counts */
    const char text[] = "{\"file\":\"a\",\"ok\":true}\n{\"file\":\"a\",\"ok\":false}\n";
    ps_records_reader r;
    open_text(&r, text, sizeof text - 1, PS_RECORDS_JSONL, 0);
    expect_record(&r, "{\"file\":\"a\",\"ok\":true}\n", "a", 1);
    expect_record(&r, "{\"file\":\"a\",\"ok\":false}\n", "a", 2);
    assert_int_equal(ps_records_next(&r), PS_DONE);
    done(&r);
}

static void expect_refused(const char *text, ps_status want, const char *msg)
{
    ps_records_reader r;
    open_text(&r, text, strlen(text), PS_RECORDS_JSONL, 0);
    ps_status rc;
    while ((rc = ps_records_next(&r)) == PS_OK)
        ;
    assert_int_equal(rc, want);
    if (!strstr(ps_last_error(), msg))
        fail_msg("'%s': message '%s' lacks '%s'", text, ps_last_error(), msg);
    assert_int_equal(ps_records_next(&r), want); /* refusals are final */
    done(&r);
}

static void test_refusals(void **st)
{
    (void)st;
    expect_refused("{\"file\":\"a\"}\n{\"file\":\"\xff\"}\n", PS_ERR_CORRUPT, "line 2: not JSON");
    expect_refused("{\"file\":\"\xc3\"}\n", PS_ERR_CORRUPT, "line 1: not JSON");
    expect_refused("{\"file\":\"\xed\xa0\x80\"}\n", PS_ERR_CORRUPT, "line 1: not JSON"); /* a surrogate */
    expect_refused("{\"file\":3}\n", PS_ERR_CORRUPT, "line 1: not a batch record (no \"file\" string)");
    expect_refused("{\"file\":null}\n", PS_ERR_CORRUPT, "no \"file\" string");
    expect_refused("{\"file\":[\"a\"]}\n", PS_ERR_CORRUPT, "no \"file\" string");
    expect_refused("{\"File\":\"a\"}\n", PS_ERR_CORRUPT, "no \"file\" string");
    expect_refused("[\"file\",\"a\"]\n", PS_ERR_CORRUPT, "no \"file\" string");
    expect_refused("\"a\"\n", PS_ERR_CORRUPT, "line 1: not JSON");
    expect_refused("{\"file\":\"a\\u0000b\"}\n", PS_ERR_CORRUPT, "line 1: not JSON");
    expect_refused("{\"file\":\"a\"} {\"file\":\"b\"}\n", PS_ERR_CORRUPT, "line 1: not JSON");
    expect_refused("{\"file\":\"a\"}\n\n", PS_ERR_CORRUPT, "line 2: not JSON");
    const char nul[] = "{\"file\":\"a\"}\0\n";
    ps_records_reader r;
    open_text(&r, nul, sizeof nul - 1, PS_RECORDS_JSONL, 0);
    assert_int_equal(ps_records_next(&r), PS_ERR_CORRUPT);
    done(&r);
}

static void test_limit(void **st)
{
    (void)st;
    /* records up to the limit pass, one byte more is refused, torn or not */
    char text[256];
    int n1 = snprintf(text, sizeof text, "{\"file\":\"a\",\"pad\":\"%080d\"}\n", 0);
    int n2 = snprintf(text + n1, sizeof text - n1, "{\"file\":\"b\",\"pad\":\"%081d\"}\n", 0);
    assert_int_equal(n2, n1 + 1);
    ps_records_reader r;
    open_text(&r, text, (size_t)(n1 + n2), PS_RECORDS_JSONL, (size_t)n1);
    assert_int_equal(ps_records_next(&r), PS_OK);
    assert_int_equal(r.len, n1);
    assert_int_equal(ps_records_next(&r), PS_ERR_LIMIT);
    char want[64];
    snprintf(want, sizeof want, "line 2: a record longer than %d bytes", n1);
    assert_non_null(strstr(ps_last_error(), want));
    done(&r);
    /* the second record alone, torn by a byte, still over a limit of n1 - 1 */
    open_text(&r, text + n1, (size_t)n2 - 1, PS_RECORDS_JSONL, (size_t)n1 - 1);
    assert_int_equal(ps_records_next(&r), PS_ERR_LIMIT);
    done(&r);

    /* a quote that is never closed makes the rest of a CSV one record */
    const char csv[] = "file\n\"a\nb\nc\nd\ne\nf\n";
    open_text(&r, csv, sizeof csv - 1, PS_RECORDS_CSV, 8);
    assert_int_equal(ps_records_next(&r), PS_OK);
    assert_int_equal(ps_records_next(&r), PS_ERR_LIMIT);
    done(&r);

    /* a record far longer than the reader's chunk, under the default limit */
    size_t pad = 300 * 1000, n = pad + 40;
    char *big = malloc(n);
    assert_non_null(big);
    int k = snprintf(big, n, "{\"file\":\"big\",\"pad\":\"");
    memset(big + k, 'y', pad);
    size_t len = (size_t)k + pad;
    len += (size_t)snprintf(big + len, n - len, "\"}\n");
    open_text(&r, big, len, PS_RECORDS_JSONL, 0);
    assert_int_equal(ps_records_next(&r), PS_OK);
    assert_int_equal(r.len, len);
    assert_memory_equal(r.data, big, len);
    assert_string_equal(r.file, "big");
    assert_int_equal(ps_records_next(&r), PS_DONE);
    done(&r);
    free(big);
}

/* Every allocation failing in turn: a clean PS_ERR_NOMEM, never a crash or a
 * leak (ASan checks the leaks). */
static void test_out_of_memory(void **st)
{
    (void)st;
    const char text[] = "file,kind\n\"a\nb\",page\nc,page\n";
    int saw_nomem = 0;
    for (long fail = 1; fail < 40; fail++) {
        ps_records_reader r;
        FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
        assert_non_null(f);
        ps_alloc_fail_after(fail);
        ps_status rc = ps_records_init(&r, f, PS_RECORDS_CSV, 0);
        size_t records = 0;
        while (rc == PS_OK && (rc = ps_records_next(&r)) == PS_OK)
            records++;
        ps_alloc_fail_after(0);
        assert_true(rc == PS_DONE || rc == PS_ERR_NOMEM);
        if (rc == PS_DONE)
            assert_int_equal(records, 3);
        else
            saw_nomem = 1;
        ps_records_release(&r);
        fclose(f);
    }
    assert_true(saw_nomem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_good), cmocka_unit_test(test_torn),       cmocka_unit_test(test_csv),
        cmocka_unit_test(test_duplicates), cmocka_unit_test(test_refusals),   cmocka_unit_test(test_limit),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
