/* The page analyser gives the same result whatever its number of threads:
 * the JSON of ps_page_analyse (no threads) against an analyser with 1, 2 and
 * 3 threads, byte for byte, twice each (the second time on reused buffers),
 * on pages that exercise every split of the work: row bands of the per-pixel
 * passes, lines of the segmentation (touching letters split, the writer's
 * typical letter distance taken over several short lines), a Seyès page
 * analysed at the finer scale, a page with expected text, a phone photo. */
#include "testutil.h"
#include "page/page_internal.h"
#include "psgen.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct page_case {
    const char *name;
    ps_image img;
    psgen_truth truth;
    ps_page_params pp;
    char *want;
} page_case;

static char *page_json(const ps_page_t *pg)
{
    char *j = NULL;
    assert_int_equal(ps_page_to_json(pg, &j, NULL), PS_OK);
    return j;
}

static void make_case(page_case *c, const char *name, const psgen_params *p, double dpi, const char *text)
{
    c->name = name;
    assert_int_equal(psgen_render(p, &c->img, &c->truth), PS_OK);
    ps_page_params_default(&c->pp);
    c->pp.dpi = dpi;
    c->pp.text = text;
}

/* Turns a gray or RGB scan by deg about its centre (nearest pixel, white
 * outside): a page the analyser deskews. */
static void turn(ps_image *img, double deg)
{
    int W = img->width, H = img->height, C = img->channels;
    uint8_t *out = malloc((size_t)W * H * C);
    assert_non_null(out);
    double a = deg * 3.14159265358979 / 180, c = cos(a), s = sin(a);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double dx = x - W / 2.0, dy = y - H / 2.0;
            int sx = (int)lround(W / 2.0 + c * dx + s * dy), sy = (int)lround(H / 2.0 - s * dx + c * dy);
            for (int k = 0; k < C; k++)
                out[((size_t)y * W + x) * C + k] =
                    sx >= 0 && sy >= 0 && sx < W && sy < H ? img->data[(size_t)sy * img->stride + (size_t)sx * C + k]
                                                           : 255;
        }
    for (int y = 0; y < H; y++)
        memcpy(img->data + (size_t)y * img->stride, out + (size_t)y * W * C, (size_t)W * C);
    free(out);
}

static void test_same_json_any_threads(void **state)
{
    (void)state;
    page_case cs[5];
    int n = 0;
    psgen_params p;
    /* short lines of touching letters: each line gives a few letters to the
     * typical distance, so it is built over several lines */
    psgen_params_default(&p);
    p.font = "Andika";
    p.dpi = 300;
    p.page_w_mm = 110;
    p.page_h_mm = 95;
    p.touch_prob = 0.35;
    p.rgb = 1;
    p.seed = 11;
    p.text = "we can swim in the sea\nthe dog ran to me\nwe go home now\nmy hat is red and big\nthe sun is hot\na fox and an owl";
    make_case(&cs[n++], "unruled, touching", &p, 300, NULL);
    psgen_params_default(&p);
    p.font = "Comic Neue";
    p.dpi = 300;
    p.page_h_mm = 70;
    p.ruling = PSGEN_SEYES;
    p.x_height_mm = 2.0;
    p.touch_prob = 0.3;
    p.rgb = 1;
    p.seed = 12;
    make_case(&cs[n++], "Seyes", &p, 300, NULL);
    psgen_params_default(&p);
    p.font = "Andika";
    p.dpi = 300;
    p.page_w_mm = 120;
    p.page_h_mm = 60;
    p.ruling = PSGEN_PRIMARY;
    p.x_height_mm = 4.0;
    p.slant_deg = 8;
    p.seed = 13;
    p.text = "the quick brown fox\njumps over the dog";
    make_case(&cs[n++], "primary print, --text", &p, 300, "the quick brown fox jumps over the dog");
    psgen_params_default(&p);
    p.font = "femkeklaver";
    p.dpi = 300;
    p.page_w_mm = 120;
    p.page_h_mm = 80;
    p.ruling = PSGEN_SINGLE;
    p.rgb = 1;
    p.seed = 14;
    p.photo = 1;
    p.photo_tilt = 0.06;
    p.photo_rotate_deg = 3;
    p.photo_light = 0.35;
    p.photo_noise = 3;
    make_case(&cs[n++], "photo", &p, 0, NULL);
    psgen_params_default(&p);
    p.font = "Breip";
    p.dpi = 300;
    p.page_w_mm = 100;
    p.page_h_mm = 60;
    p.ruling = PSGEN_SINGLE;
    p.seed = 15;
    make_case(&cs[n], "single, turned 2 deg (deskewed)", &p, 300, NULL);
    turn(&cs[n++].img, 2.0);
    for (int i = 0; i < n; i++) {
        ps_page_t *pg = NULL;
        assert_int_equal(ps_page_analyse(&cs[i].img, &cs[i].pp, &pg), PS_OK);
        assert_true(ps_page_line_count(pg) > 0);
        /* each page takes the path it is here for */
        int cut_lines = 0;
        for (int j = 0; j < pg->nline; j++) {
            int cut = 0;
            for (int m = pg->line[j].first; m < pg->line[j].first + pg->line[j].n; m++)
                cut |= (pg->letter[m].flags & PG_CUT) != 0;
            cut_lines += cut;
        }
        if (i == 0)
            assert_true(cut_lines >= 3);
        if (i == 1)
            assert_true(pg->ruling.kind == PS_RULING_SEYES && pg->factor < 1.2 && cut_lines >= 1);
        if (i == 3)
            assert_true(pg->rectified);
        if (i == 4)
            assert_true(pg->skew_deg > 1.5 && pg->skew_deg < 2.5);
        cs[i].want = page_json(pg);
        ps_page_free(pg);
    }
    for (int threads = 1; threads <= 3; threads++) {
        ps_page_analyser_t *an = NULL;
        assert_int_equal(ps_page_analyser_new(threads, &an), PS_OK);
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < n; i++) {
                ps_page_t *pg = NULL;
                assert_int_equal(ps_page_analyse_with(an, &cs[i].img, &cs[i].pp, &pg), PS_OK);
                char *got = page_json(pg);
                if (strcmp(got, cs[i].want))
                    fail_msg("%s, %d thread(s), round %d: the JSON differs from one thread's", cs[i].name, threads,
                             round);
                ps_free(got);
                ps_page_free(pg);
            }
        ps_page_analyser_free(an);
    }
    for (int i = 0; i < n; i++) {
        ps_free(cs[i].want);
        ps_image_release(&cs[i].img);
        psgen_truth_release(&cs[i].truth);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_json_any_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
