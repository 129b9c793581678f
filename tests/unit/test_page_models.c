/* Who owns the letter models (engine/page/models.c): each analysis reads the
 * models of its own params.models_dir, whatever folder an earlier analysis of
 * the process or of the same analyser used; an analyser loads them once and
 * keeps them for its later pages (freed with it); ps_page_analyse without an
 * analyser keeps nothing past its call. The folders are private copies of the
 * models: "full" (all of them), "other" (Comic Neue's glyphs alone, as the
 * reference models, so the split and --text read different models), and
 * throwaway copies that are emptied while an analyser still holds them. */
#include "testutil.h"
#include "psgen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *all_files[] = {"andika.glyphs", "comicneue.glyphs", "dejavusans.glyphs", "letters.recog"};

/* tmp/name/glyphs/ holding a copy of the models; other: with Comic Neue's
 * glyphs alone as the reference models (andika.glyphs), so the split and
 * --text read other models */
static const char *models_copy(const char *name, int other)
{
    static char dirs[8][1024];
    static int ndirs;
    assert_true(ndirs < 8);
    char *dir = dirs[ndirs++];
    snprintf(dir, sizeof dirs[0], "%s", tu_tmpfile(name));
    char sub[1100];
    snprintf(sub, sizeof sub, "%s/glyphs", dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(mkdir(sub, 0700), 0);
    for (int i = 0; i < 4; i++) {
        const char *from_name = all_files[i], *to_name = all_files[i];
        if (other && i > 0 && i < 3)
            continue;
        if (other && i == 0)
            from_name = "comicneue.glyphs";
        char from[1200], to[1200];
        snprintf(from, sizeof from, "%s/glyphs/%s", tu_models(), from_name);
        snprintf(to, sizeof to, "%s/%s", sub, to_name);
        size_t len;
        unsigned char *data = tu_read_file(from, &len);
        assert_non_null(data);
        assert_int_equal(tu_write_file(to, data, len), 0);
        free(data);
    }
    return dir;
}

/* the folder's files go away (the folder stays, empty) */
static void models_remove(const char *dir)
{
    for (int i = 0; i < 4; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/glyphs/%s", dir, all_files[i]);
        unlink(path);
    }
}

static const char text[] = "the quick brown fox jumps over the lazy dog\nmum made jam and warm muffins at noon";

/* a page whose letters touch (the split reads the models) */
static void touching_page(ps_image *img)
{
    psgen_params p;
    psgen_params_default(&p);
    p.font = "Andika";
    p.dpi = 300;
    p.page_h_mm = 45;
    p.text = text;
    p.letter_gap_mm = 0.7;
    p.touch_prob = 0.4;
    p.seed = 5;
    psgen_truth t;
    assert_int_equal(psgen_render(&p, img, &t), PS_OK);
    psgen_truth_release(&t);
}

/* the JSON of one analysis (with --text: both readers of the models), by an
 * analyser or (an NULL) alone */
static char *analyse(ps_page_analyser_t *an, const ps_image *img, const char *models)
{
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = 300;
    pp.models_dir = models;
    pp.text = "the quick brown fox jumps over the lazy dog mum made jam and warm muffins at noon";
    ps_page_t *pg = NULL;
    assert_int_equal(an ? ps_page_analyse_with(an, img, &pp, &pg) : ps_page_analyse(img, &pp, &pg), PS_OK);
    char *json = NULL;
    assert_int_equal(ps_page_to_json(pg, &json, NULL), PS_OK);
    ps_page_free(pg);
    return json;
}

static void expect_same(char *got, const char *want, const char *what)
{
    if (strcmp(got, want)) {
        print_error("%s: the result differs from the analysis alone with that folder\n", what);
        free(got);
        fail();
    }
    free(got);
}

/* each analysis reads its own folder's models, alone or in analysers, in
 * any order, with two analysers alive at once */
static void test_own_models(void **state)
{
    (void)state;
    const char *full = models_copy("full", 0);
    const char *other = models_copy("other", 1);

    ps_image img;
    touching_page(&img);
    char *json_full = analyse(NULL, &img, full), *json_other = analyse(NULL, &img, other);
    /* the folders really lead to different results (else this test could not fail) */
    assert_true(strcmp(json_full, json_other) != 0);
    expect_same(analyse(NULL, &img, full), json_full, "alone, full after other");

    ps_page_analyser_t *an, *an2;
    assert_int_equal(ps_page_analyser_new(1, &an), PS_OK);
    assert_int_equal(ps_page_analyser_new(1, &an2), PS_OK);
    expect_same(analyse(an, &img, other), json_other, "analyser, other first");
    expect_same(analyse(an, &img, full), json_full, "analyser, then full");
    expect_same(analyse(an, &img, other), json_other, "analyser, other again");
    expect_same(analyse(an2, &img, full), json_full, "second analyser, full");
    expect_same(analyse(an, &img, other), json_other, "first analyser, other, second alive");
    expect_same(analyse(an2, &img, full), json_full, "second analyser, full again");
    ps_page_analyser_free(an);
    expect_same(analyse(an2, &img, full), json_full, "second analyser after the first is freed");
    ps_page_analyser_free(an2);
    free(json_full);
    free(json_other);
    ps_image_release(&img);
}

/* an analyser loads its folder's models once and keeps them: its later
 * pages need the folder no more (fails with models loaded per page); an
 * analysis without an analyser keeps nothing past its call (fails with
 * models kept per process) */
static void test_models_held_by_their_owner(void **state)
{
    (void)state;
    ps_image img;
    touching_page(&img);
    const char *first = models_copy("first", 0);
    char *json = analyse(NULL, &img, first);
    assert_non_null(strstr(json, "\"letters\""));
    assert_null(strstr(json, "letter models not found"));

    const char *kept = models_copy("kept", 0);
    ps_page_analyser_t *an;
    assert_int_equal(ps_page_analyser_new(1, &an), PS_OK);
    expect_same(analyse(an, &img, kept), json, "analyser, first page");
    models_remove(kept);
    expect_same(analyse(an, &img, kept), json, "analyser, second page with the folder emptied");
    ps_page_analyser_free(an);

    /* alone: the folder is read by the call that needs it, not remembered */
    models_remove(first);
    char *gone = analyse(NULL, &img, first);
    if (!strstr(gone, "letter models not found") || !strstr(gone, "--text: no andika.glyphs")) {
        print_error("an analysis alone used models kept from an earlier call: %s\n", strstr(gone, "\"warnings\""));
        fail();
    }
    free(gone);
    free(json);
    ps_image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_models),
        cmocka_unit_test(test_models_held_by_their_owner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
