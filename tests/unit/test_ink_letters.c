/* Letter formation on synthetic letters drawn along penscope's own models
 * (models/letters/print.json) with noise and a minimum-jerk speed profile,
 * each with a known formation error injected (or none): the checks must
 * report exactly what was injected. */
#include "testutil.h"
#include "test_ink_synth.h"
#include <stdio.h>

static ps_letter_models_t *models;

static const char ALL[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static int setup(void **state)
{
    (void)state;
    char path[4096];
    const char *dir = getenv("PENSCOPE_MODELS");
    snprintf(path, sizeof path, "%s/letters/print.json", dir ? dir : "models");
    if (ps_letter_models_load(path, &models) != PS_OK) {
        fprintf(stderr, "%s\n", ps_last_error());
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ps_letter_models_free(models);
    return 0;
}

/* Writes one letter (with err) and judges it as text "ch". */
static ps_ink_letter judge_one(char ch, int variant, enum synth_error err, unsigned seed)
{
    synth s;
    synth_init(&s, 200, 0.1, seed);
    synth_letter(&s, models, ch, variant, 10, 10, 16, err);
    char text[2] = {ch, 0};
    ps_ink_params p;
    ps_ink_params_default(&p);
    p.text = text;
    p.models = models;
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
    assert_int_equal(r.n_letters, 1);
    ps_ink_letter L = r.letters[0];
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
    return L;
}

static void test_models_cover_all(void **state)
{
    (void)state;
    assert_int_equal(ps_letter_models_count(models), 62);
    for (const char *c = ALL; *c; c++)
        assert_true(ps_letter_models_has(models, *c));
    assert_false(ps_letter_models_has(models, '#'));
}

static void test_clean_letters(void **state)
{
    (void)state;
    int bad = 0;
    for (const char *c = ALL; *c; c++)
        for (int v = 0; v < models->letters[(unsigned char)*c].n_variants; v++) {
            ps_ink_letter L = judge_one(*c, v, SE_NONE, 7u + (unsigned)*c);
            if (!L.found || !L.legible || L.start_error || L.direction_errors || L.order_error ||
                L.stroke_count_error || L.reversal || L.variant != v || !(L.score > 80)) {
                fprintf(stderr, "'%c' v%d: legible %d start %d dir %d order %d count %d rev %d variant %d score %.1f shape %.3f\n",
                        *c, v, L.legible, L.start_error, L.direction_errors, L.order_error, L.stroke_count_error,
                        L.reversal, L.variant, L.score, L.shape_distance);
                bad++;
            }
        }
    assert_int_equal(bad, 0);
}

static void test_reversed_direction(void **state)
{
    (void)state;
    int bad = 0;
    for (const char *c = ALL; *c; c++) {
        ps_ink_letter L = judge_one(*c, 0, SE_REVERSE, 11u + (unsigned)*c);
        /* direction is a formation difference: the letter stays legible */
        if (L.direction_errors < 1 || !L.legible || L.reversal) {
            fprintf(stderr, "'%c' reversed: dir %d legible %d rev %d shape %.3f\n", *c, L.direction_errors, L.legible,
                    L.reversal, L.shape_distance);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Slanted writing (a page metric, not a formation difference): clean
 * letters stay clean and reversed strokes are still found. */
static void test_slanted_letters(void **state)
{
    (void)state;
    static const double slant[] = {-15, 20, 30};
    int bad = 0;
    for (int k = 0; k < 3; k++)
        for (const char *c = ALL; *c; c++)
            for (int err = 0; err < 2; err++) {
                synth s;
                synth_init(&s, 200, 0.1, 43u + (unsigned)*c);
                synth_letter(&s, models, *c, 0, 10, 10, 16, err ? SE_REVERSE : SE_NONE);
                double t = tan(slant[k] * M_PI / 180);
                for (size_t i = 0; i < s.ink.n; i++)
                    s.ink.x_mm[i] += t * (30 - s.ink.y_mm[i]); /* leaning right for positive angles */
                char text[2] = {*c, 0};
                ps_ink_params p;
                ps_ink_params_default(&p);
                p.text = text;
                p.models = models;
                ps_ink_result r;
                assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
                const ps_ink_letter *L = &r.letters[0];
                bool ok = err ? L->direction_errors >= 1 && L->legible
                              : L->legible && !L->start_error && !L->direction_errors && !L->order_error &&
                                    !L->stroke_count_error && !L->reversal;
                if (!ok) {
                    fprintf(stderr, "'%c' slant %g err %d: legible %d start %d dir %d order %d count %d rev %d\n", *c,
                            slant[k], err, L->legible, L->start_error, L->direction_errors, L->order_error,
                            L->stroke_count_error, L->reversal);
                    bad++;
                }
                ps_ink_result_release(&r);
                ps_ink_release(&s.ink);
            }
    assert_int_equal(bad, 0);
}

static void test_stroke_order(void **state)
{
    (void)state;
    int bad = 0, tried = 0;
    for (const char *c = ALL; *c; c++) {
        if (models->letters[(unsigned char)*c].variants[0].n_strokes < 2)
            continue;
        tried++;
        ps_ink_letter L = judge_one(*c, 0, SE_SWAP, 13u + (unsigned)*c);
        if (!L.order_error || !L.legible || L.stroke_count_error) {
            fprintf(stderr, "'%c' swapped: order %d legible %d count %d\n", *c, L.order_error, L.legible,
                    L.stroke_count_error);
            bad++;
        }
    }
    assert_true(tried >= 20);
    assert_int_equal(bad, 0);
}

static void test_start_point(void **state)
{
    (void)state;
    const char *closed = "oO0";
    for (const char *c = closed; *c; c++) {
        ps_ink_letter L = judge_one(*c, 0, SE_START, 17u);
        assert_int_equal(L.start_error, 1);
        assert_int_equal(L.direction_errors, 0);
        assert_true(L.legible);
    }
}

static void test_split_stroke(void **state)
{
    (void)state;
    int bad = 0;
    for (const char *c = ALL; *c; c++) {
        ps_ink_letter L = judge_one(*c, 0, SE_SPLIT, 19u + (unsigned)*c);
        if (!L.stroke_count_error || L.n_strokes != models->letters[(unsigned char)*c].variants[L.variant].n_strokes + 1) {
            /* a split a/d/g/q matches its two-stroke alternate: no error */
            if (!(L.variant > 0 && !L.stroke_count_error)) {
                fprintf(stderr, "'%c' split: count %d strokes %d model %d\n", *c, L.stroke_count_error, L.n_strokes,
                        L.model_strokes);
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
}

static void test_mirror_reversals(void **state)
{
    (void)state;
    const char *asym = "bdpqsz2345679JNSZ";
    int bad = 0;
    for (const char *c = asym; *c; c++) {
        ps_ink_letter L = judge_one(*c, 0, SE_MIRROR, 23u);
        if (!L.reversal || L.legible) {
            fprintf(stderr, "'%c' mirrored: reversal %d legible %d shape %.3f mirror %.3f\n", *c, L.reversal, L.legible,
                    L.shape_distance, L.mirror_distance);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    /* symmetric letters are never reversals */
    for (const char *c = "oxvwAHIMOTUVWX08"; *c; c++)
        assert_false(judge_one(*c, 0, SE_MIRROR, 29u).reversal);
}

/* A word with its i dot and t cross written after the whole word: the
 * letters are found by position, and the late dot is an order difference
 * only for its own letter. */
static void test_word_segmentation(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0.1, 31);
    const ps_letter_models_t *m = models;
    const char *word = "hit";
    /* h, then the i stem, then the t stem; then the i dot and the t cross */
    synth_letter(&s, m, 'h', 0, 10, 10, 16, SE_NONE);
    const lm_variant *vi = &m->letters['i'].variants[0], *vt = &m->letters['t'].variants[0];
    lm_pt stem[LM_MAX_POINTS], extra[LM_MAX_POINTS];
    double xi = 10 + 16 * 0.9, xt = xi + 16 * 0.5;
    for (int k = 0; k < vi->strokes[0].n; k++)
        stem[k] = (lm_pt){xi + 16 * vi->strokes[0].pts[k].x, 10 + 16 * vi->strokes[0].pts[k].y};
    lm_pt hop[2] = {{s.ink.x_mm[s.ink.n - 1], s.ink.y_mm[s.ink.n - 1]}, stem[0]};
    synth_path(&s, hop, 2, 80, 0);
    synth_path(&s, stem, vi->strokes[0].n, 40, 1);
    for (int k = 0; k < vt->strokes[0].n; k++)
        extra[k] = (lm_pt){xt + 16 * vt->strokes[0].pts[k].x, 10 + 16 * vt->strokes[0].pts[k].y};
    hop[0] = stem[vi->strokes[0].n - 1];
    hop[1] = extra[0];
    synth_path(&s, hop, 2, 80, 0);
    synth_path(&s, extra, vt->strokes[0].n, 40, 1);
    lm_pt dot = {xi + 16 * vi->strokes[1].pts[0].x, 10 + 16 * vi->strokes[1].pts[0].y};
    hop[0] = extra[vt->strokes[0].n - 1];
    hop[1] = dot;
    synth_path(&s, hop, 2, 80, 0);
    synth_path(&s, &dot, 1, 40, 1);
    for (int k = 0; k < vt->strokes[1].n; k++)
        extra[k] = (lm_pt){xt + 16 * vt->strokes[1].pts[k].x, 10 + 16 * vt->strokes[1].pts[k].y};
    hop[0] = dot;
    hop[1] = extra[0];
    synth_path(&s, hop, 2, 80, 0);
    synth_path(&s, extra, vt->strokes[1].n, 40, 1);

    ps_ink_params p;
    ps_ink_params_default(&p);
    p.text = word;
    p.models = models;
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
    assert_int_equal(r.n_letters, 3);
    int want_strokes[3] = {1, 2, 2};
    for (int l = 0; l < 3; l++) {
        const ps_ink_letter *L = &r.letters[l];
        assert_int_equal(L->ch, word[l]);
        assert_int_equal(L->n_strokes, want_strokes[l]);
        assert_true(L->legible);
        assert_int_equal(L->direction_errors, 0);
        assert_int_equal(L->stroke_count_error, 0);
        assert_int_equal(L->order_error, 0); /* the dot and cross still come after their stems */
    }
    assert_true(r.m.formation_score > 80);
    assert_true(r.m.letters_per_min > 0);
    assert_int_equal((int)r.m.direction_errors, 0);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
}

/* Words written letter by letter with size (+-15%) and slant (-5..15
 * degrees) varying per letter and 3 mm between letters: every letter gets
 * exactly its strokes and is judged as formed like its model. */
static void test_words_varying_letters(void **state)
{
    (void)state;
    static const char *words[] = {"cat", "dog", "hello", "quick", "brown", "fox", "jumps", "lazy", "Sam", "42", "minimum", "bib"};
    int bad = 0;
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        synth s;
        synth_init(&s, 200, 0.1, 101u + (unsigned)w);
        double x = 10;
        for (const char *c = words[w]; *c; c++) {
            double size = 14 * (0.85 + 0.3 * synth_rand(&s));
            size_t n0 = s.ink.n;
            synth_letter(&s, models, *c, 0, x, 10 + (1 - size / 14) * 7, size, SE_NONE);
            double shear = tan((synth_rand(&s) * 20 - 5) * M_PI / 180), xmax = -INFINITY;
            for (size_t i = n0; i < s.ink.n; i++) {
                s.ink.x_mm[i] += shear * (24 - s.ink.y_mm[i]);
                if (s.ink.pen_down[i])
                    xmax = fmax(xmax, s.ink.x_mm[i]);
            }
            x = xmax + 3;
        }
        ps_ink_params p;
        ps_ink_params_default(&p);
        p.text = words[w];
        p.models = models;
        ps_ink_result r;
        assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
        for (size_t l = 0; l < r.n_letters; l++) {
            const ps_ink_letter *L = &r.letters[l];
            bool ok = L->n_strokes == models->letters[(unsigned char)L->ch].variants[0].n_strokes && L->legible &&
                      !L->start_error && !L->direction_errors && !L->order_error && !L->stroke_count_error &&
                      !L->reversal;
            if (!ok) {
                fprintf(stderr, "%s: '%c' strokes %d legible %d\n", words[w], L->ch, L->n_strokes, L->legible);
                bad++;
            }
        }
        ps_ink_result_release(&r);
        ps_ink_release(&s.ink);
    }
    assert_int_equal(bad, 0);
}

/* Two lines of text: rows found top to bottom, letters by position in each;
 * the same text on one row falls back to one line with a warning. */
static void test_two_lines(void **state)
{
    (void)state;
    for (int rows = 2; rows >= 1; rows--) {
        synth s;
        synth_init(&s, 200, 0.1, 211u + (unsigned)rows);
        const char *lines[2] = {"cat", "dog"};
        double x = 10;
        for (int l = 0; l < 2; l++) {
            if (rows == 2)
                x = 10;
            for (const char *c = lines[l]; *c; c++) {
                synth_letter(&s, models, *c, 0, x, 10 + (rows == 2 ? l * 30 : 0), 14, *c == 'o' ? SE_REVERSE : SE_NONE);
                x += 14;
            }
        }
        ps_ink_params p;
        ps_ink_params_default(&p);
        p.text = "cat\ndog";
        p.models = models;
        ps_ink_result r;
        assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
        assert_int_equal(r.n_letters, 6);
        for (int l = 0; l < 6; l++) {
            const ps_ink_letter *L = &r.letters[l];
            assert_int_equal(L->ch, "catdog"[l]);
            assert_true(L->found && L->legible);
            assert_int_equal(L->direction_errors, L->ch == 'o');
        }
        bool warned = false;
        for (int w = 0; w < r.n_warnings; w++)
            warned |= strstr(r.warnings[w], "rows of writing") != NULL;
        assert_int_equal(warned, rows == 1);
        ps_ink_result_release(&r);
        ps_ink_release(&s.ink);
    }
}

/* A letter task: three letters written in their own time windows, one of
 * them backwards; letters are found by time, not position. */
static void test_letter_task(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0.1, 37);
    ps_ink_task_letter task[3];
    const char *chars = "aEo";
    for (int l = 0; l < 3; l++) {
        double t0 = s.t;
        /* all in the same place on the tablet, as a one-box-per-letter app would */
        synth_letter(&s, models, chars[l], 0, 10, 10, 16, l == 1 ? SE_REVERSE : SE_NONE);
        task[l] = (ps_ink_task_letter){chars[l], t0, s.t};
        s.t += 0.5;
    }
    ps_ink_params p;
    ps_ink_params_default(&p);
    p.task = task;
    p.n_task = 3;
    p.models = models;
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
    assert_int_equal(r.n_letters, 3);
    assert_int_equal(r.letters[0].direction_errors, 0);
    assert_true(r.letters[1].direction_errors >= 1);
    assert_int_equal(r.letters[2].direction_errors, 0);
    assert_int_equal((int)r.m.direction_errors, 1);
    for (int l = 0; l < 3; l++)
        assert_true(r.letters[l].legible);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
}

static void test_wrong_letter_is_not_legible(void **state)
{
    (void)state;
    /* an 'x' written where an 'o' was expected */
    synth s;
    synth_init(&s, 200, 0.1, 41);
    synth_letter(&s, models, 'x', 0, 10, 10, 16, SE_NONE);
    ps_ink_params p;
    ps_ink_params_default(&p);
    p.text = "o";
    p.models = models;
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
    assert_false(r.letters[0].legible);
    assert_true(r.letters[0].score < 50);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
}

static void test_models_refuse_bad_files(void **state)
{
    (void)state;
    const char *bad[] = {
        "{}",
        "{\"format\":\"penscope-letter-models/1\"}",
        "{\"format\":\"penscope-letter-models/1\",\"letters\":{\"ab\":[]}}",
        "{\"format\":\"penscope-letter-models/1\",\"letters\":{\"a\":[{\"strokes\":[]}]}}",
        "{\"format\":\"penscope-letter-models/1\",\"letters\":{\"a\":[{\"strokes\":[[[0,\"x\"]]]}]}}",
        "{\"format\":\"penscope-letter-models/1\",\"letters\":{\"a\":[{\"strokes\":[[[1e300,0]]]}]}}",
        "{\"format\":\"other\",\"letters\":{}}",
        "not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *path = tu_tmpfile("bad_models.json");
        assert_int_equal(tu_write_file(path, bad[i], strlen(bad[i])), 0);
        ps_letter_models_t *m = (ps_letter_models_t *)1;
        assert_int_not_equal(ps_letter_models_load(path, &m), PS_OK);
        assert_null(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models_cover_all),
        cmocka_unit_test(test_clean_letters),
        cmocka_unit_test(test_reversed_direction),
        cmocka_unit_test(test_slanted_letters),
        cmocka_unit_test(test_stroke_order),
        cmocka_unit_test(test_start_point),
        cmocka_unit_test(test_split_stroke),
        cmocka_unit_test(test_mirror_reversals),
        cmocka_unit_test(test_word_segmentation),
        cmocka_unit_test(test_words_varying_letters),
        cmocka_unit_test(test_two_lines),
        cmocka_unit_test(test_letter_task),
        cmocka_unit_test(test_wrong_letter_is_not_legible),
        cmocka_unit_test(test_models_refuse_bad_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
