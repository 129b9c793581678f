/* bench_hand: time of the whole hand pipeline (engine/hand) per static photo
 * and per tracked video frame, full and lite models.
 *
 * Baselines: (1) measured in the same run, the same pipeline on the nn
 * stage's plain C reference kernels (--no-ref skips it); (2) MediaPipe's own
 * time per static photo on the same 40 photos, as recorded with the data
 * (tests/data/hands/mediapipe_*.json summary: the official JS solution with
 * TFLite on CPU in headless Chromium; the record says which machine class).
 *
 * Static photo: ps_hands_detect in MediaPipe's mode (no grip search, 2
 * hands) on the 40 photos of tests/data/hands, decode excluded; mean over
 * photos of the median of --reps runs. Grip view: the same with the grip
 * search, on tight crops of the hands (the images the search exists for).
 * Tracked frame: ps_hands_track on a photo moving 3 px per frame (1 hand,
 * max_hands 1, and max_hands 2 with redetect every 15 frames as the CLI
 * does for videos). Single-thread times are the thread's CPU time (robust on
 * a shared machine); 2-thread times are wall time.
 * usage: bench_hand [--models DIR] [--data DIR] [--reps N] [--threads N] [--no-ref]
 * (--threads: the largest thread count timed, default 2). */
#include "penscope.h"
#include "hand/session.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_time.h"

#define NPHOTOS 40

typedef struct photo { ps_image img; int has_hand; float box[4]; } photo;

static photo photos[NPHOTOS];
static int nphotos;
static int use_cpu_clock = 1;

static double clock_now(void) { return use_cpu_clock ? bench_thread_cpu_s() : bench_wall_s(); }

/* mean over photos of the median time (ms) of ps_hands_detect */
static double time_static(ps_session_t *s, const ps_hands_params *hp, int reps, int crops, double *runs)
{
    double total = 0, lm = 0;
    int n = 0;
    for (int i = 0; i < nphotos; i++) {
        ps_image *img = &photos[i].img, crop = {0};
        if (crops) {
            if (!photos[i].has_hand)
                continue;
            const float *b = photos[i].box;
            crop = *img;
            crop.data = img->data + (size_t)b[1] * img->stride + (size_t)b[0] * 3;
            crop.width = (int)(b[2] - b[0]);
            crop.height = (int)(b[3] - b[1]);
            img = &crop;
        }
        double t[16];
        ps_hands_result r;
        for (int k = 0; k < reps; k++) {
            double t0 = clock_now();
            if (ps_hands_detect(s, img, hp, &r) != PS_OK) {
                fprintf(stderr, "bench_hand: %s\n", ps_session_errmsg(s));
                exit(1);
            }
            t[k] = (clock_now() - t0) * 1e3;
        }
        qsort(t, (size_t)reps, sizeof *t, bench_cmp_double);
        total += t[reps / 2];
        lm += r.landmark_runs + r.palm_runs;
        n++;
    }
    if (runs)
        *runs = lm / n;
    return total / n;
}

/* ms per tracked frame over nframes frames of photo 'which' moving sideways */
static double time_track(ps_session_t *s, const ps_hands_params *hp, int which, int nframes, int *palm_runs)
{
    const ps_image *src = &photos[which].img;
    ps_image fr;
    if (ps_image_alloc(&fr, src->width, src->height, 3) != PS_OK)
        exit(1);
    ps_hands_track_reset(s);
    double total = 0;
    *palm_runs = 0;
    for (int f = 0; f < nframes; f++) {
        int dx = (f % 40) * 3; /* back and forth across 120 px */
        for (int y = 0; y < src->height; y++)
            for (int x = 0; x < src->width; x++) {
                int sx = x - dx < 0 ? 0 : x - dx;
                memcpy(fr.data + (size_t)y * fr.stride + (size_t)x * 3, src->data + (size_t)y * src->stride + (size_t)sx * 3, 3);
            }
        ps_hands_result r;
        double t0 = clock_now();
        if (ps_hands_track(s, &fr, hp, &r) != PS_OK)
            exit(1);
        total += clock_now() - t0;
        *palm_runs += r.palm_runs;
    }
    ps_image_release(&fr);
    return total * 1e3 / nframes;
}

static double mediapipe_ms(const char *data, const char *model)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/mediapipe_%s.json", data, model);
    json_t *root = json_load_file(path, 0, NULL);
    double ms = NAN;
    if (root) {
        json_t *t = json_object_get(json_object_get(json_object_get(root, "summary"), "timing_ms_per_image"), "mean");
        if (json_is_number(t))
            ms = json_number_value(t);
        json_decref(root);
    }
    return ms;
}

static void load_photos(const char *data)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/mediapipe_full.json", data);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        fprintf(stderr, "bench_hand: %s: %s\n", path, err.text);
        exit(1);
    }
    json_t *images = json_object_get(root, "images");
    for (size_t k = 0; k < json_array_size(images) && nphotos < NPHOTOS; k++) {
        json_t *im = json_array_get(images, k);
        snprintf(path, sizeof path, "%s/%s", data, json_string_value(json_object_get(im, "file")));
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        dp.channels = 3;
        photo *p = &photos[nphotos];
        if (ps_image_decode_file(path, &dp, &p->img, NULL) != PS_OK) {
            fprintf(stderr, "bench_hand: %s\n", ps_last_error());
            exit(1);
        }
        json_t *hands = json_object_get(im, "hands");
        p->has_hand = json_array_size(hands) > 0;
        if (p->has_hand) { /* the tight crop of the grip-view test: landmark box + 8% */
            float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
            json_t *lm = json_object_get(json_array_get(hands, 0), "landmarks");
            for (size_t i = 0; i < json_array_size(lm); i++) {
                float x = (float)json_number_value(json_array_get(json_array_get(lm, i), 0));
                float y = (float)json_number_value(json_array_get(json_array_get(lm, i), 1));
                x0 = fminf(x0, x), x1 = fmaxf(x1, x), y0 = fminf(y0, y), y1 = fmaxf(y1, y);
            }
            float mx = 0.08f * (x1 - x0), my = 0.08f * (y1 - y0);
            p->box[0] = fmaxf(0, floorf(x0 - mx));
            p->box[1] = fmaxf(0, floorf(y0 - my));
            p->box[2] = fminf((float)p->img.width, ceilf(x1 + mx));
            p->box[3] = fminf((float)p->img.height, ceilf(y1 + my));
        }
        nphotos++;
    }
    json_decref(root);
}

int main(int argc, char **argv)
{
    const char *models = getenv("PENSCOPE_MODELS");
    char data_default[4096];
    /* this file is bench/bench_hand.c: the data is in tests/data/hands beside it */
    snprintf(data_default, sizeof data_default, "%s", __FILE__);
    char *slash = strrchr(data_default, '/');
    if (slash) {
        *slash = '\0';
        slash = strrchr(data_default, '/');
    }
    if (slash)
        *slash = '\0';
    char models_default[4200], data_dir[4200];
    snprintf(models_default, sizeof models_default, "%s/models", slash ? data_default : ".");
    snprintf(data_dir, sizeof data_dir, "%s/tests/data/hands", slash ? data_default : ".");
    const char *data = data_dir;
    int reps = 3, do_ref = 1, max_threads = 2;
    if (!models)
        models = models_default;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models = argv[++i];
        else if (!strcmp(argv[i], "--data") && i + 1 < argc)
            data = argv[++i];
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            max_threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-ref"))
            do_ref = 0;
        else {
            printf("usage: bench_hand [--models DIR] [--data DIR] [--reps N] [--threads N] [--no-ref]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (reps < 1 || reps > 16)
        reps = 3;
    if (max_threads < 1 || max_threads > 64)
        max_threads = 2;
    load_photos(data);
    int track_photo = 0;
    for (int i = 0; i < nphotos; i++)
        if (photos[i].has_hand) {
            track_photo = i;
            break;
        }
    printf("bench_hand: %d photos from %s, models %s, %d reps\n", nphotos, data, models, reps);
    static const char *names[2] = {"full", "lite"};
    for (int m = 0; m < 2; m++) {
        for (int threads = 1; threads <= max_threads; threads++) {
            ps_engine_params ep;
            ps_engine_params_default(&ep);
            ep.models_dir = models;
            ep.model = m ? PS_HAND_MODEL_LITE : PS_HAND_MODEL_FULL;
            ep.threads = threads;
            ps_engine_t *e;
            ps_session_t *s;
            if (ps_engine_new(&ep, &e) != PS_OK || ps_session_new(e, &s) != PS_OK) {
                fprintf(stderr, "bench_hand: %s\n", ps_last_error());
                return 1;
            }
            use_cpu_clock = threads == 1;
            ps_hands_params mp, grip, t1, t2;
            ps_hands_params_default(&mp);
            mp.grip_search = 0;
            grip = mp;
            grip.grip_search = 1;
            t1 = mp;
            t1.max_hands = 1;
            t2 = mp;
            t2.redetect_frames = 15;
            double runs_static, runs_grip;
            double st = time_static(s, &mp, reps, 0, &runs_static);
            double gv = time_static(s, &grip, reps, 1, &runs_grip);
            int p1, p2;
            double tr1 = time_track(s, &t1, track_photo, 120, &p1);
            double tr2 = time_track(s, &t2, track_photo, 120, &p2);
            double mpms = mediapipe_ms(data, names[m]);
            printf("%s, %d thread%s (%s time):\n", names[m], threads, threads > 1 ? "s" : "",
                   threads > 1 ? "wall" : "CPU");
            printf("  static photo   %7.2f ms (%.1f model runs)   %.1fx faster than MediaPipe's recorded %.1f ms\n",
                   st, runs_static, mpms / st, mpms);
            printf("  grip view      %7.2f ms (%.1f model runs with the grip search, tight crops)\n", gv, runs_grip);
            printf("  tracked frame  %7.2f ms = %6.0f frames/s (max_hands 1; %d palm runs in 120 frames)\n", tr1,
                   1e3 / tr1, p1);
            printf("  tracked frame  %7.2f ms = %6.0f frames/s (max_hands 2, redetect every 15 frames; %d palm runs)\n",
                   tr2, 1e3 / tr2, p2);
            if (do_ref && threads == 1) {
                ps_nn_session_use_ref(s->palm, 1);
                ps_nn_session_use_ref(s->landmark, 1);
                double ref = time_static(s, &mp, 1, 0, NULL);
                printf("  baseline: reference kernels %.2f ms per static photo -> fast kernels %.1fx faster\n", ref,
                       ref / st);
            }
            ps_session_free(s);
            ps_engine_free(e);
        }
    }
    for (int i = 0; i < nphotos; i++)
        ps_image_release(&photos[i].img);
    return 0;
}
