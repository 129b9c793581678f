/* The ink readers: every shared real recording through the .svc reader
 * (units, counts, pressure scale as BDALab's reference info says) and, each
 * rewritten as InkML and as CSV, through those readers too, with the same
 * analysis result; malformed files named by line; hostile XML refused;
 * limits; file names kept out of messages; allocation failures clean. */
#include "testutil.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "ink/ink_internal.h"
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static ps_status read_str(const char *text, ps_ink_format fmt, ps_ink *ink)
{
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    return ps_ink_read_memory(text, strlen(text), fmt, &rp, ink);
}

/* Fails with rc and a message containing want. */
static void expect_error(const char *text, ps_ink_format fmt, ps_status rc, const char *want)
{
    ps_ink ink;
    ps_status got = read_str(text, fmt, &ink);
    if (got != rc || !strstr(ps_last_error(), want))
        fprintf(stderr, "input %.40s...: got %d '%s', want %d '%s'\n", text, got, ps_last_error(), rc, want);
    assert_int_equal(got, rc);
    assert_non_null(strstr(ps_last_error(), want));
    assert_int_equal(ink.n, 0);
    assert_null(ink.x_mm);
}

static void rewrite_inkml(const ps_ink *k, ps_buf *b)
{
    ps_buf_puts(b, "<?xml version=\"1.0\"?>\n<ink xmlns=\"http://www.w3.org/2003/InkML\"><definitions><context>"
                   "<inkSource><traceFormat><channel name=\"X\" units=\"mm\"/><channel name=\"Y\" units=\"mm\"/>"
                   "<channel name=\"T\" units=\"s\"/><channel name=\"F\" max=\"1\"/><channel name=\"OA\" units=\"deg\"/>"
                   "<channel name=\"OE\" units=\"deg\"/></traceFormat></inkSource></context></definitions>\n");
    for (size_t i = 0; i < k->n;) {
        size_t j = i;
        ps_buf_printf(b, "<trace%s>", k->pen_down[i] ? "" : " type=\"penUp\"");
        for (; j < k->n && k->pen_down[j] == k->pen_down[i]; j++)
            ps_buf_printf(b, "%s%.17g %.17g %.17g %.17g %.17g %.17g", j > i ? ", " : "", k->x_mm[j], k->y_mm[j],
                          k->t_s[j], k->pressure[j], k->azimuth_deg[j], k->altitude_deg[j]);
        ps_buf_puts(b, "</trace>\n");
        i = j;
    }
    ps_buf_puts(b, "</ink>\n");
}

static void rewrite_csv(const ps_ink *k, ps_buf *b)
{
    ps_buf_puts(b, "x_mm,y_mm,t_s,pen,pressure,azimuth_deg,altitude_deg,comment\n");
    for (size_t i = 0; i < k->n; i++)
        ps_buf_printf(b, "%.17g,%.17g,%.17g,%d,%.17g,%.17g,%.17g,x\n", k->x_mm[i], k->y_mm[i], k->t_s[i],
                      k->pen_down[i], k->pressure[i], k->azimuth_deg[i], k->altitude_deg[i]);
}

static void same_metrics(const ps_ink *a, const ps_ink *b, const char *what)
{
    ps_ink_result ra, rb;
    assert_int_equal(ps_ink_analyse(a, NULL, &ra), PS_OK);
    assert_int_equal(ps_ink_analyse(b, NULL, &rb), PS_OK);
    const double *x = (const double *)&ra.m, *y = (const double *)&rb.m;
    for (size_t i = 0; i < sizeof ra.m / sizeof *x; i++) {
        bool same = (isnan(x[i]) && isnan(y[i])) || fabs(x[i] - y[i]) <= 1e-9 * fmax(1, fabs(x[i]));
        if (!same)
            fprintf(stderr, "%s: metric %zu %.17g vs %.17g\n", what, i, x[i], y[i]);
        assert_true(same);
    }
    ps_ink_result_release(&ra);
    ps_ink_result_release(&rb);
}

static void test_shared_recordings_every_reader(void **state)
{
    (void)state;
    json_error_t err;
    json_t *root = json_load_file(tu_shared("data/ink/bdalab_reference.json"), 0, &err);
    assert_non_null(root);
    const char *name;
    json_t *entry;
    int n = 0;
    json_object_foreach(json_object_get(root, "files"), name, entry) {
        json_t *info = json_object_get(entry, "info");
        bool pahaw = !strncmp(name, "pahaw/", 6);
        ps_ink_read_params rp;
        ps_ink_read_params_default(&rp);
        if (pahaw) {
            rp.columns = "y,x,time,pen_status,azimuth,altitude,pressure";
            rp.lpi = 1000;
        }
        char path[1024];
        snprintf(path, sizeof path, "data/ink/%s", name);
        ps_ink ink;
        assert_int_equal(ps_ink_read_file(tu_shared(path), PS_INK_AUTO, &rp, &ink), PS_OK);
        assert_int_equal(ink.format, PS_INK_SVC);
        assert_int_equal(ink.n, (size_t)json_integer_value(json_object_get(info, "n_samples_file")));
        assert_int_equal(ink.channels & 0xF, PS_INK_HAS_TIME | PS_INK_HAS_PRESSURE | PS_INK_HAS_AZIMUTH | PS_INK_HAS_ALTITUDE);
        const char *tu = json_string_value(json_object_get(info, "time_unit_in_file"));
        const char *xu = json_string_value(json_object_get(info, "xy_unit_in_file"));
        assert_non_null(strstr(ink.notes, !strcmp(tu, "ms") ? "time in ms" : "time in s"));
        assert_non_null(strstr(ink.notes, !strcmp(xu, "raw") ? "tablet counts" : "taken as mm"));
        double pmax = 0;
        for (size_t i = 0; i < ink.n; i++)
            pmax = fmax(pmax, ink.pressure[i] * ink.pressure_max);
        double want = json_number_value(json_object_get(info, "pressure_raw_max"));
        assert_true(fabs(pmax - want) <= 1e-9 * fmax(1, want));
        /* full scale: PaHaW (Intuos 4) 2047, jack 32767, signal.svc already 0..1 */
        assert_true(ink.pressure_max == (pahaw ? 2048 : want <= 1 ? 1 : 32768));
        assert_true(fabs(ink.fs_hz - 1 / json_number_value(json_object_get(info, "dt_median_s"))) < 1e-6 * ink.fs_hz);

        ps_buf b;
        ps_buf_init(&b);
        rewrite_inkml(&ink, &b);
        ps_ink other;
        ps_ink_read_params dp;
        ps_ink_read_params_default(&dp);
        assert_int_equal(ps_ink_read_memory(b.data, b.len, PS_INK_AUTO, &dp, &other), PS_OK);
        assert_int_equal(other.format, PS_INK_INKML);
        assert_int_equal(other.n, ink.n);
        same_metrics(&ink, &other, "inkml");
        ps_ink_release(&other);
        ps_buf_reset(&b);
        rewrite_csv(&ink, &b);
        assert_int_equal(ps_ink_read_memory(b.data, b.len, PS_INK_AUTO, &dp, &other), PS_OK);
        assert_int_equal(other.format, PS_INK_CSV);
        same_metrics(&ink, &other, "csv");
        ps_ink_release(&other);
        ps_buf_release(&b);
        ps_ink_release(&ink);
        n++;
    }
    json_decref(root);
    assert_int_equal(n, 131);
}

static void test_svc_units_and_orientation(void **state)
{
    (void)state;
    ps_ink ink;
    /* counts at 5080 lpi: 5080 counts = 25.4 mm; ms; tenths of a degree; y up -> down */
    assert_int_equal(read_str("3\n0 0 1000 1 900 450 1023\n5080 5080 1010 1 1800 600 2047\n5080 0 1020 0 0 0 0\n",
                              PS_INK_SVC, &ink), PS_OK);
    assert_true(fabs(ink.x_mm[1] - 25.4) < 1e-12);
    assert_true(fabs(ink.y_mm[1] + 25.4) < 1e-12); /* y up in the file: -25.4 down the page */
    assert_true(fabs(ink.t_s[1] - 0.010) < 1e-12);
    assert_true(fabs(ink.azimuth_deg[1] - 180) < 1e-12);
    assert_true(fabs(ink.altitude_deg[0] - 45) < 1e-12);
    assert_true(fabs(ink.pressure[1] - 2047.0 / 2048) < 1e-12 && ink.pressure_max == 2048);
    assert_true(ink.channels & PS_INK_HAS_HOVER);
    ps_ink_release(&ink);
    /* a column order, a resolution, CRLF, trailing spaces, count mismatch */
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    rp.columns = "y, x,time,pen_status,azimuth,tilt,pressure";
    rp.lpi = 1000;
    const char *t = "5\r\n10 20 0 1 0 0 5 \r\n11 21 8 1 0 0 6\t\r\n";
    assert_int_equal(ps_ink_read_memory(t, strlen(t), PS_INK_SVC, &rp, &ink), PS_OK);
    assert_true(fabs(ink.x_mm[0] - 20 * 0.0254) < 1e-12 && fabs(ink.y_mm[0] + 10 * 0.0254) < 1e-12);
    assert_non_null(strstr(ink.notes, "count line says 5 samples, file has 2"));
    ps_ink_release(&ink);
    rp.columns = "x,y,time,pen_status,azimuth,altitude";
    assert_int_equal(ps_ink_read_memory(t, strlen(t), PS_INK_SVC, &rp, &ink), PS_ERR_INVALID_ARG);
    rp.columns = "x,y,time,pen_status,azimuth,altitude,x";
    assert_int_equal(ps_ink_read_memory(t, strlen(t), PS_INK_SVC, &rp, &ink), PS_ERR_INVALID_ARG);
    rp.columns = "x,y,time,pen,azimuth,altitude,force";
    assert_int_equal(ps_ink_read_memory(t, strlen(t), PS_INK_SVC, &rp, &ink), PS_ERR_INVALID_ARG);
    assert_non_null(strstr(ps_last_error(), "force"));
    /* repeated and backwards timestamps are kept and noted */
    assert_int_equal(read_str("3\n0 0 10 1 0 0 1\n1 1 10 1 0 0 1\n2 2 5 1 0 0 1\n", PS_INK_SVC, &ink), PS_OK);
    assert_non_null(strstr(ink.notes, "time goes backwards 1 time(s), first at line 4"));
    ps_ink_release(&ink);
}

static void test_malformed_svc(void **state)
{
    (void)state;
    expect_error("1 2 3 4 5 6 7\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 1: expected the sample count");
    expect_error("2\n1 2 3 1 0 0 5\n1 2 3\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 3: expected 7 values, found 3");
    expect_error("2\n1 2 3 1 0 0 5\n\n1 2 x 1 0 0 5\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 4: 'x' is not a number");
    expect_error("1\n1 2 3 2 0 0 5\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 2: pen status must be 0 or 1");
    expect_error("1\n1 2 3 1 0 0 -5\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 2: negative pressure");
    expect_error("1\n1 2 nan 1 0 0 5\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 2: 'nan' is not a number");
    expect_error("1\n1 2 1e999 1 0 0 5\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 2");
    expect_error("0\n", PS_INK_SVC, PS_ERR_CORRUPT, "no samples");
    expect_error("1e40\n1 2 3 1 0 0 5\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 1: 1e+40 is not a sample count");
    expect_error("2.5\n1 2 3 1 0 0 5\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 1: 2.5 is not a sample count");
    expect_error("  \n\n", PS_INK_SVC, PS_ERR_CORRUPT, "no sample count");
    expect_error("", PS_INK_AUTO, PS_ERR_CORRUPT, "empty");
    expect_error("1\n1 2 3 1 0 0 5 6\n", PS_INK_SVC, PS_ERR_CORRUPT, "line 2: expected 7 values, found 8");
}

static void test_csv(void **state)
{
    (void)state;
    ps_ink ink;
    assert_int_equal(read_str("X;Y_mm;t_ms;Pressure\n1;2;0;0\n2;3;10;512\n", PS_INK_CSV, &ink), PS_OK);
    assert_true(ink.x_mm[1] == 2 && ink.y_mm[1] == 3 && fabs(ink.t_s[1] - 0.01) < 1e-12);
    assert_int_equal(ink.pen_down[0], 0); /* no pen column: pressure > 0 is down */
    assert_int_equal(ink.pen_down[1], 1);
    assert_true(ink.pressure_max == 2048 && ink.azimuth_deg == NULL && ink.altitude_deg == NULL);
    ps_ink_release(&ink);
    assert_int_equal(read_str("x,y\n10,20\n11,21\n", PS_INK_AUTO, &ink), PS_OK);
    assert_int_equal(ink.format, PS_INK_CSV);
    assert_false(ink.channels & PS_INK_HAS_TIME); /* times come from fs */
    assert_true(fabs(ink.t_s[1] - 1.0 / PS_INK_DEFAULT_FS) < 1e-12);
    assert_true(fabs(ink.x_mm[1] - 11 * 25.4 / 5080) < 1e-12);
    ps_ink_release(&ink);
    expect_error("1,2\n3,4\n", PS_INK_CSV, PS_ERR_CORRUPT, "line 1: the header needs x and y");
    expect_error("x,y,t\n1,2,3\n1,2\n", PS_INK_CSV, PS_ERR_CORRUPT, "line 3: 2 values, the header has 3");
    expect_error("x,y,t\n1,2,3\n1,2,3,4\n", PS_INK_CSV, PS_ERR_CORRUPT, "line 3: more values");
    expect_error("x,y,t\n\n1,2,zz\n", PS_INK_CSV, PS_ERR_CORRUPT, "line 3, column 3: 'zz' is not a number");
    expect_error("x,y,pen\n1,2,0.5\n", PS_INK_CSV, PS_ERR_CORRUPT, "line 2: pen must be 0 or 1");
    expect_error("x,y,x_mm\n1,2,3\n", PS_INK_CSV, PS_ERR_CORRUPT, "repeats");
    expect_error("x,y\n", PS_INK_CSV, PS_ERR_CORRUPT, "no samples");
    expect_error("x,\x01y\n1,2\n", PS_INK_CSV, PS_ERR_CORRUPT, "plain text");
}

static void test_inkml(void **state)
{
    (void)state;
    ps_ink ink;
    /* difference encoding, units, pen-up traces, trace groups */
    const char *doc = "<ink xmlns='http://www.w3.org/2003/InkML'><traceFormat><channel name='X' units='cm'/>"
                      "<channel name='Y' units='cm'/><channel name='T' units='ms'/></traceFormat>"
                      "<trace>1 1 0, '1 '0 '10, \"0 \"1 \"0</trace><trace type='penUp'>9 9 40</trace>"
                      "<traceGroup><trace>!5 !5 !50</trace></traceGroup></ink>";
    assert_int_equal(read_str(doc, PS_INK_AUTO, &ink), PS_OK);
    assert_int_equal(ink.n, 5);
    double wx[] = {10, 20, 30, 90, 50}, wy[] = {10, 10, 20, 90, 50}, wt[] = {0, 0.01, 0.02, 0.04, 0.05};
    for (int i = 0; i < 5; i++) {
        assert_true(fabs(ink.x_mm[i] - wx[i]) < 1e-9);
        assert_true(fabs(ink.y_mm[i] - wy[i]) < 1e-9);
        assert_true(fabs(ink.t_s[i] - wt[i]) < 1e-12);
    }
    assert_int_equal(ink.pen_down[3], 0);
    ps_ink_release(&ink);
    /* tilt angles become altitude and azimuth; a resolution gives the scale */
    doc = "<ink><definitions><context><inkSource><traceFormat><channel name='X'/><channel name='Y'/>"
          "<channel name='OTx' units='deg'/><channel name='OTy' units='deg'/></traceFormat><channelProperties>"
          "<channelProperty channel='X' name='resolution' value='10' units='1/mm'/>"
          "<channelProperty channel='Y' name='resolution' value='10' units='1/mm'/></channelProperties>"
          "</inkSource></context></definitions><trace>10 20 0 0, 20 30 45 0</trace></ink>";
    assert_int_equal(read_str(doc, PS_INK_INKML, &ink), PS_OK);
    assert_true(fabs(ink.x_mm[1] - 2) < 1e-12 && fabs(ink.y_mm[1] - 3) < 1e-12);
    assert_true(fabs(ink.altitude_deg[0] - 90) < 1e-9 && fabs(ink.altitude_deg[1] - 45) < 1e-9);
    assert_true(fabs(ink.azimuth_deg[1] - 0) < 1e-9);
    assert_non_null(strstr(ink.notes, "no time channel"));
    ps_ink_release(&ink);
    /* default format X Y, no units: counts at --lpi */
    assert_int_equal(read_str("<ink><trace>0 0, 5080 0</trace></ink>", PS_INK_INKML, &ink), PS_OK);
    assert_true(fabs(ink.x_mm[1] - 25.4) < 1e-12);
    ps_ink_release(&ink);
    /* the layout of tablet-PC corpora (ImadocSen-OnDB style): inkSource in
     * definitions, unknown units, writer annotations, traces in a group, no
     * time and no pen-up traces */
    doc = "<ink>\n <definitions><inkSource id='s'><traceFormat id='f'><channel name='X' type='integer' units='ink'/>"
          "<channel name='Y' type='integer' units='ink'/></traceFormat></inkSource>"
          "<context id='c' inkSourceRef='#s'/></definitions>\n"
          " <annotationXML type='Writer characteristics'><name>writer-name</name><age>16-25</age></annotationXML>\n"
          " <traceGroup id='g'><annotationXML type='Ground truth'><label>il</label></annotationXML>\n"
          "  <trace id='t1' contextRef='#c'> 100 400, 100 300, 100 200</trace>\n"
          "  <trace id='t2' contextRef='#c'> 100 100, 101 101</trace>\n"
          "  <trace id='t3' contextRef='#c'> 300 400, 300 200</trace></traceGroup></ink>";
    assert_int_equal(read_str(doc, PS_INK_AUTO, &ink), PS_OK);
    assert_int_equal(ink.n, 7);
    assert_int_equal(ink.pen_down[3], 2); /* a new stroke after an unsampled lift */
    assert_int_equal(ink.pen_down[5], 2);
    assert_non_null(strstr(ink.notes, "tablet counts"));
    assert_non_null(strstr(ink.notes, "no time channel"));
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(&ink, NULL, &r), PS_OK);
    assert_true(r.m.strokes == 3 && r.m.pen_lifts == 2);
    assert_true(fabs(r.m.in_air_s - 2 / PS_INK_DEFAULT_FS) < 1e-12);
    ps_ink_result_release(&r);
    ps_ink_release(&ink);
    expect_error("<ink><trace>1 2, 3 4", PS_INK_INKML, PS_ERR_CORRUPT, "line 1: not well-formed XML");
    expect_error("<ink>\n<trace>1 2, 3 4 5</trace></ink>", PS_INK_INKML, PS_ERR_CORRUPT,
                 "line 2: point 2 of a trace has more values than the 2 channels");
    expect_error("<ink>\n\n<trace>1 2, 3 zz</trace></ink>", PS_INK_INKML, PS_ERR_CORRUPT, "line 3: bad value 'zz'");
    expect_error("<ink><trace>1</trace></ink>", PS_INK_INKML, PS_ERR_CORRUPT, "lacks X or Y");
    expect_error("<notink/>", PS_INK_INKML, PS_ERR_CORRUPT, "not <ink>");
    expect_error("<ink><annotation>x</annotation></ink>", PS_INK_INKML, PS_ERR_CORRUPT, "no <trace>");
    expect_error("<ink><traceFormat><channel name='F'/></traceFormat><trace>1</trace></ink>", PS_INK_INKML,
                 PS_ERR_UNSUPPORTED, "no X and Y");
    expect_error("<ink><traceFormat><channel name='X'/><channel name='Y'/><channel name='F'/></traceFormat>"
                 "<trace>1 2 -3</trace></ink>", PS_INK_INKML, PS_ERR_CORRUPT, "negative pressure");
}

static void test_hostile_xml(void **state)
{
    (void)state;
    /* entity expansion, external entities and DTDs are refused before any use */
    const char *lol = "<?xml version='1.0'?><!DOCTYPE ink [<!ENTITY a 'aaaaaaaaaa'>"
                      "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>"
                      "<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]><ink><trace>&d;</trace></ink>";
    ps_ink ink;
    ps_status rc = read_str(lol, PS_INK_INKML, &ink); /* libxml2 may see the loop first */
    assert_true(rc == PS_ERR_UNSUPPORTED || rc == PS_ERR_CORRUPT);
    assert_true(strstr(ps_last_error(), "DOCTYPE") || strstr(ps_last_error(), "entity"));
    assert_null(ink.x_mm);
    const char *xxe = "<?xml version='1.0'?><!DOCTYPE ink [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                      "<ink><trace>&x;</trace></ink>";
    expect_error(xxe, PS_INK_INKML, PS_ERR_UNSUPPORTED, "DOCTYPE");
    const char *net = "<?xml version='1.0'?><!DOCTYPE ink SYSTEM 'http://192.0.2.1/ink.dtd'><ink><trace>1 2</trace></ink>";
    expect_error(net, PS_INK_INKML, PS_ERR_UNSUPPORTED, "DOCTYPE");
    /* deep nesting */
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "<ink>");
    for (int i = 0; i < 100; i++)
        ps_buf_puts(&b, "<traceGroup>");
    ps_buf_puts(&b, "<trace>1 2</trace>");
    for (int i = 0; i < 100; i++)
        ps_buf_puts(&b, "</traceGroup>");
    ps_buf_puts(&b, "</ink>");
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    assert_int_equal(ps_ink_read_memory(b.data, b.len, PS_INK_INKML, &rp, &ink), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "nested"));
    ps_buf_release(&b);
}

static void test_limits_and_privacy(void **state)
{
    (void)state;
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    rp.limits.max_ink_samples = 2;
    ps_ink ink;
    const char *t = "3\n1 1 1 1 0 0 1\n2 2 2 1 0 0 1\n3 3 3 1 0 0 1\n";
    assert_int_equal(ps_ink_read_memory(t, strlen(t), PS_INK_SVC, &rp, &ink), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_last_error(), "line 4"));
    const char *path = tu_tmpfile("jack_18-07-2014_M_0006_Doe_12-10-2020.svc");
    assert_int_equal(tu_write_file(path, t, strlen(t)), 0);
    rp.limits.max_file_bytes = 10;
    assert_int_equal(ps_ink_read_file(path, PS_INK_AUTO, &rp, &ink), PS_ERR_LIMIT);
    assert_null(strstr(ps_last_error(), "Doe"));
    assert_null(strstr(ps_last_error(), "2014"));
    assert_int_equal(ps_ink_read_file(tu_tmpfile("Jane_Doe_2019.svc"), PS_INK_AUTO, NULL, &ink), PS_ERR_NOT_FOUND);
    assert_null(strstr(ps_last_error(), "Doe"));
    assert_non_null(strstr(ps_last_error(), "the file"));
    const char *bad = "1\n1 2 x 1 0 0 5\n";
    assert_int_equal(tu_write_file(path, bad, strlen(bad)), 0);
    ps_ink_read_params_default(&rp);
    assert_int_equal(ps_ink_read_file(path, PS_INK_AUTO, &rp, &ink), PS_ERR_CORRUPT);
    assert_null(strstr(ps_last_error(), "Doe"));
}

/* Every allocation of reading and analysing can fail: a clean error each
 * time, nothing leaked (ASan checks the leaks). */
static void test_allocation_failures(void **state)
{
    (void)state;
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "200\n");
    for (int i = 0; i < 200; i++)
        ps_buf_printf(&b, "%d %d %d %d 100 500 %d\n", i * 3, (i * 7) % 50, i * 8, i % 40 < 30, 100 + i);
    ps_buf_puts(&b, "");
    for (long n = 1; n < 200; n++) {
        ps_ink ink;
        ps_alloc_fail_after(n);
        ps_status rc = ps_ink_read_memory(b.data, b.len, PS_INK_SVC, NULL, &ink);
        if (rc == PS_OK) {
            ps_ink_result r;
            ps_status rc2 = ps_ink_analyse(&ink, NULL, &r);
            if (rc2 == PS_OK)
                ps_ink_result_release(&r);
            else
                assert_int_equal(rc2, PS_ERR_NOMEM);
            ps_ink_release(&ink);
        } else
            assert_int_equal(rc, PS_ERR_NOMEM);
        ps_alloc_fail_after(0);
    }
    ps_buf_release(&b);
}

/* Readers and the analysis keep no shared state: threads reading the same
 * InkML (libxml2) and CSV at once get the same answers. */
static const char *thread_doc =
    "<ink><traceFormat><channel name='X' units='mm'/><channel name='Y' units='mm'/><channel name='T' units='s'/>"
    "</traceFormat><trace>0 0 0, 1 0 0.01, 2 1 0.02, 3 1 0.03</trace><trace>5 5 0.1, 6 5 0.11, 8 6 0.12</trace></ink>";

static void *read_many(void *arg)
{
    double *out = arg;
    for (int i = 0; i < 200; i++) {
        ps_ink ink;
        if (read_str(thread_doc, PS_INK_AUTO, &ink) != PS_OK)
            return NULL;
        ps_ink_result r;
        if (ps_ink_analyse(&ink, NULL, &r) == PS_OK) {
            *out = r.m.path_mm + r.m.in_air_s;
            ps_ink_result_release(&r);
        }
        ps_ink_release(&ink);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t th[4];
    double res[4] = {0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, read_many, &res[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    double want = 2 + sqrt(2) + 1 + hypot(2, 1) + 0.07; /* paths 3.414 and 3.236, 70 ms between traces */
    for (int i = 0; i < 4; i++) {
        if (fabs(res[i] - want) >= 1e-9)
            fprintf(stderr, "thread %d: %.12g, want %.12g\n", i, res[i], want);
        assert_true(fabs(res[i] - want) < 1e-9);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_recordings_every_reader),
        cmocka_unit_test(test_svc_units_and_orientation),
        cmocka_unit_test(test_malformed_svc),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_inkml),
        cmocka_unit_test(test_hostile_xml),
        cmocka_unit_test(test_limits_and_privacy),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
