// bench_decode: penscope's JPEG decode against OpenCV's cv::imread on the
// same files in the same run. The files are made at start-up in a temp
// folder: phone-size photos (12 MP, one stored landscape with EXIF
// "rotate 90" as phones store portraits), a 2 MP and a VGA frame, from a
// sample photo scaled up with sensor-like noise so they compress like real
// photos. Both sides decode from the file, single-threaded, and apply the
// EXIF orientation. Prints the best time of each over N rounds (every
// round runs all decoders in turn, so load from other processes hits them
// alike) and ratios
// (imread time / penscope time: > 1 means penscope is faster).
#include "penscope.h"
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <time.h>
#include <turbojpeg.h>
#include <unistd.h>
#include <vector>

namespace {

// This thread's CPU time (user + kernel, so page faults count) by default:
// on a shared machine it is much steadier than wall time, and both sides
// run on this one thread. --wall switches to the monotonic clock.
bool g_wall = false;

double now_s()
{
    timespec ts;
    clock_gettime(g_wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct Photo {
    std::string path, label;
    int width, height, orientation;
    size_t bytes;
};

// A photo-like RGB image: the seed photo scaled up bilinearly (smooth
// structure) plus per-pixel noise (sensor grain, which is what makes real
// 12 MP JPEGs 3-6 MB). Without a seed, smooth gradients and waves.
std::vector<uint8_t> make_pixels(const ps_image *seed, int w, int h, int noise, unsigned salt)
{
    std::vector<uint8_t> px(static_cast<size_t>(w) * h * 3);
    uint32_t s = 2463534242u ^ salt;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < 3; c++) {
                double v;
                if (seed) {
                    double fx = (x + 0.5) * seed->width / w - 0.5, fy = (y + 0.5) * seed->height / h - 0.5;
                    int x0 = std::clamp(static_cast<int>(std::floor(fx)), 0, seed->width - 1);
                    int y0 = std::clamp(static_cast<int>(std::floor(fy)), 0, seed->height - 1);
                    int x1 = std::min(x0 + 1, seed->width - 1), y1 = std::min(y0 + 1, seed->height - 1);
                    double ax = std::clamp(fx - x0, 0.0, 1.0), ay = std::clamp(fy - y0, 0.0, 1.0);
                    auto at = [&](int xx, int yy) { return seed->data[yy * seed->stride + xx * 3 + c]; };
                    v = (1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x1, y0)) + ay * ((1 - ax) * at(x0, y1) + ax * at(x1, y1));
                } else {
                    v = 128 + 60 * std::sin(x * 0.004 + c) * std::cos(y * 0.003) + 30 * std::sin((x + y) * 0.05);
                }
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                v += static_cast<int>(s % (2 * noise + 1)) - noise;
                px[(static_cast<size_t>(y) * w + x) * 3 + c] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
            }
        }
    }
    return px;
}

// EXIF APP1 with only the orientation tag (little-endian TIFF).
std::vector<uint8_t> exif_orientation(int o)
{
    std::vector<uint8_t> t = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
                              static_cast<uint8_t>(o), 0, 0, 0, 0, 0, 0, 0};
    std::vector<uint8_t> seg = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
    seg.insert(seg.end(), t.begin(), t.end());
    size_t n = seg.size() - 2;
    seg[2] = static_cast<uint8_t>(n >> 8);
    seg[3] = static_cast<uint8_t>(n);
    return seg;
}

bool write_jpeg(const std::string &path, const std::vector<uint8_t> &px, int w, int h, int orientation)
{
    tjhandle tj = tjInitCompress();
    unsigned char *out = nullptr;
    unsigned long n = 0;
    // 4:2:0 at quality 92: what phone cameras write
    int rc = tjCompress2(tj, px.data(), w, w * 3, h, TJPF_RGB, &out, &n, TJSAMP_420, 92, 0);
    tjDestroy(tj);
    if (rc != 0)
        return false;
    FILE *f = fopen(path.c_str(), "wb");
    bool ok = f != nullptr;
    if (ok) {
        ok = fwrite(out, 1, 2, f) == 2;
        if (orientation != 1) {
            auto seg = exif_orientation(orientation);
            ok = ok && fwrite(seg.data(), 1, seg.size(), f) == seg.size();
        }
        ok = ok && fwrite(out + 2, 1, n - 2, f) == n - 2;
        ok = (fclose(f) == 0) && ok;
    }
    tjFree(out);
    return ok;
}

// One decoder to time: a name and a call that decodes the photo and
// reports the output size.
struct Candidate {
    std::string name;
    int denom;        // 1, 2, 4, 8
    bool is_cv, fast;
    bool is_floor = false; // bare tjDecompress2 from memory into a reused buffer
    double best = 1e30;
    int w = 0, h = 0;
};

// The floor under any TurboJPEG-based decoder: the file already in memory,
// the output buffer already faulted in, no EXIF work.
struct Floor {
    std::vector<uint8_t> jpeg, out;
};

void run_floor(const Photo &p, Candidate &c, Floor &fl)
{
    if (fl.jpeg.empty()) {
        FILE *f = fopen(p.path.c_str(), "rb");
        fl.jpeg.resize(p.bytes);
        if (!f || fread(fl.jpeg.data(), 1, p.bytes, f) != p.bytes)
            exit(1);
        fclose(f);
        fl.out.assign(static_cast<size_t>(p.width) * p.height * 3, 0);
    }
    tjhandle tj = tjInitDecompress();
    int sw = (p.width + c.denom - 1) / c.denom, sh = (p.height + c.denom - 1) / c.denom;
    double t0 = now_s();
    if (tjDecompress2(tj, fl.jpeg.data(), fl.jpeg.size(), fl.out.data(), sw, 0, sh, TJPF_RGB, 0) != 0)
        exit(1);
    c.best = std::min(c.best, now_s() - t0);
    tjDestroy(tj);
    c.w = sw;
    c.h = sh;
}

void run_once(const Photo &p, Candidate &c)
{
    double t0 = now_s();
    if (c.is_cv) {
        int flags = c.denom == 1 ? cv::IMREAD_COLOR
                  : c.denom == 2 ? cv::IMREAD_REDUCED_COLOR_2
                  : c.denom == 4 ? cv::IMREAD_REDUCED_COLOR_4 : cv::IMREAD_REDUCED_COLOR_8;
        cv::Mat m = cv::imread(p.path, flags);
        if (m.empty()) {
            fprintf(stderr, "bench_decode: imread failed on %s\n", p.path.c_str());
            exit(1);
        }
        c.w = m.cols;
        c.h = m.rows;
    } else {
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        dp.scale_denom = c.denom;
        dp.fast = c.fast;
        ps_image img;
        if (ps_image_decode_file(p.path.c_str(), &dp, &img, nullptr) != PS_OK) {
            fprintf(stderr, "bench_decode: %s\n", ps_last_error());
            exit(1);
        }
        c.w = img.width;
        c.h = img.height;
        ps_image_release(&img);
    }
    c.best = std::min(c.best, now_s() - t0);
}

void usage()
{
    printf("usage: bench_decode [--reps N] [--seed PHOTO.jpg] [--keep] [--wall]\n"
           "\n"
           "Times penscope's JPEG decode (full, fast, 1/2, 1/4, 1/8) against OpenCV's\n"
           "cv::imread (IMREAD_COLOR, IMREAD_REDUCED_COLOR_2/4/8) on generated photos,\n"
           "single-threaded, best of N interleaved rounds (default 7). Ratios are imread time over\n"
           "penscope time: above 1 means penscope is faster. The floor columns are a\n"
           "bare tjDecompress2 from memory into an already faulted-in buffer.\n"
           "  --seed PHOTO  photo to scale up into the test images (default: the\n"
           "                first sample in samples/hands, else a synthetic pattern)\n"
           "  --keep        keep the generated JPEGs and print their folder\n"
           "  --wall        time with the wall clock instead of this thread's CPU time\n");
}

} // namespace

int main(int argc, char **argv)
{
    int reps = 7;
    bool keep = false;
    // the sample photo: $PS_SOURCE_DIR/samples, else from the source tree or a build folder in it
    std::string seed_path = "samples/hands/call_0413d5c5.jpg";
    if (const char *src = getenv("PS_SOURCE_DIR"))
        seed_path = std::string(src) + "/" + seed_path;
    else if (access(seed_path.c_str(), R_OK) != 0)
        seed_path = "../" + seed_path;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            reps = std::max(1, atoi(argv[++i]));
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed_path = argv[++i];
        } else if (!strcmp(argv[i], "--keep")) {
            keep = true;
        } else if (!strcmp(argv[i], "--wall")) {
            g_wall = true;
        } else {
            usage();
            return 2;
        }
    }
    cv::setNumThreads(1); // penscope decodes one image per thread; compare like with like

    ps_image seed{};
    bool have_seed = ps_image_decode_file(seed_path.c_str(), nullptr, &seed, nullptr) == PS_OK;
    char dir[] = "/tmp/penscope-bench-decode-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    // noise: grain amplitude in levels; 12 gives ~2.4 bits/pixel (a 3.6 MB
    // 12 MP file, like a phone photo of a textured scene), 3 a smoother
    // ~1 bit/pixel scene, to show how scaled decode depends on the bit rate.
    struct Spec {
        const char *label;
        int w, h, orientation, noise;
    } specs[] = {
        {"12MP landscape", 4032, 3024, 1, 12},
        {"12MP portrait (EXIF 6)", 4032, 3024, 6, 12},
        {"12MP smooth scene", 4032, 3024, 1, 3},
        {"2MP 1920x1080", 1920, 1080, 1, 12},
        {"VGA 640x480", 640, 480, 1, 12},
    };
    std::vector<Photo> photos;
    unsigned salt = 1;
    for (const Spec &s : specs) {
        Photo p{std::string(dir) + "/" + std::to_string(photos.size()) + ".jpg", s.label, s.w, s.h, s.orientation, 0};
        auto px = make_pixels(have_seed ? &seed : nullptr, s.w, s.h, s.noise, salt++);
        if (!write_jpeg(p.path, px, s.w, s.h, s.orientation)) {
            fprintf(stderr, "bench_decode: cannot write %s\n", p.path.c_str());
            return 1;
        }
        FILE *f = fopen(p.path.c_str(), "rb");
        fseek(f, 0, SEEK_END);
        p.bytes = static_cast<size_t>(ftell(f));
        fclose(f);
        photos.push_back(p);
    }
    ps_image_release(&seed);

    printf("# bench_decode: best of %d interleaved rounds, %s, single-threaded, from file, EXIF applied by both\n",
           reps, g_wall ? "wall time" : "thread CPU time");
    printf("# seed: %s; OpenCV %s; ratio = imread time / penscope time\n\n",
           have_seed ? seed_path.c_str() : "synthetic", CV_VERSION);
    printf("| photo | size | imread ms | penscope ms | ratio | fast ms | ratio |"
           " 1/2 ms | vs imread 1/2 | vs imread full | 1/4 ms | vs imread 1/4 | vs imread full |"
           " 1/8 ms | vs imread 1/8 | vs imread full | floor ms | floor 1/8 ms |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const Photo &p : photos) {
        Floor fl;
        Candidate floor_full{"floor", 1, false, false, true}, floor_8{"floor 1/8", 8, false, false, true};
        std::vector<Candidate> c = {
            {"imread", 1, true, false}, {"penscope", 1, false, false}, {"penscope fast", 1, false, true},
            {"imread 1/2", 2, true, false}, {"penscope 1/2", 2, false, false},
            {"imread 1/4", 4, true, false}, {"penscope 1/4", 4, false, false},
            {"imread 1/8", 8, true, false}, {"penscope 1/8", 8, false, false},
        };
        // Rounds run every candidate once, in turn, so that load from other
        // processes hits all of them alike; the best round of each is kept.
        for (Candidate &k : c) { // warm-up round: page cache, allocator, code
            run_once(p, k);
            k.best = 1e30;
        }
        for (int r = 0; r < reps; r++) {
            for (Candidate &k : c)
                run_once(p, k);
            run_floor(p, floor_full, fl);
            run_floor(p, floor_8, fl);
        }
        auto ms = [](const Candidate &k) { return k.best * 1e3; };
        double full = c[0].best;
        printf("| %s | %.1f MB | %.1f | %.1f | %.2fx | %.1f | %.2fx |", p.label.c_str(), p.bytes / 1e6, ms(c[0]),
               ms(c[1]), full / c[1].best, ms(c[2]), full / c[2].best);
        for (int k = 0; k < 3; k++) {
            const Candidate &cvr = c[3 + 2 * k], &psr = c[4 + 2 * k];
            if (cvr.w != psr.w || cvr.h != psr.h)
                fprintf(stderr, "bench_decode: %s is %dx%d, %s is %dx%d\n", psr.name.c_str(), psr.w, psr.h,
                        cvr.name.c_str(), cvr.w, cvr.h);
            printf(" %.1f | %.2fx | %.2fx |", ms(psr), cvr.best / psr.best, full / psr.best);
        }
        printf(" %.1f | %.1f |", floor_full.best * 1e3, floor_8.best * 1e3);
        if (c[0].w != c[1].w || c[0].h != c[1].h)
            fprintf(stderr, "bench_decode: full sizes differ: %dx%d vs %dx%d\n", c[1].w, c[1].h, c[0].w, c[0].h);
        printf("\n");
        fflush(stdout);
    }
    if (keep) {
        printf("\nfiles kept in %s\n", dir);
    } else {
        for (const Photo &p : photos)
            unlink(p.path.c_str());
        rmdir(dir);
    }
    return 0;
}
