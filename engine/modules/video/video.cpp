// penscope-video.so: OpenCV videoio behind the C table of video_abi.h.
// Loaded by dlopen from engine/cv/video.c only when a video or camera is
// opened; it links OpenCV and nothing of penscope. Every entry point catches
// all exceptions (OpenCV throws cv::Exception, the standard library
// bad_alloc) and reports them through err; nothing C++ escapes.
#include "modules/video/video_abi.h"
#include "modules/guarded.hpp"
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <exception>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <new>
#include <unistd.h>

struct ps_cv_video {
    cv::VideoCapture cap;
    cv::Mat frame;
};

struct ps_cv_video_writer {
    cv::VideoWriter out;
    cv::Mat bgr;
    int width, height;
};

namespace {

using ps_module::failf;
using ps_module::guarded;

std::atomic<void (*)(const char *)> host_log{nullptr};

// FFmpeg's messages ("moov atom not found") as lines for penscope's log.
void ffmpeg_to_host(void *, int level, const char *fmt, va_list ap)
{
    auto log = host_log.load();
    if (!log || level > 24) // above AV_LOG_WARNING: chatter
        return;
    char msg[256];
    std::vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = std::strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    log(msg);
}

// penscope never prints, but OpenCV logs warnings to stderr and its FFmpeg
// backend leaves FFmpeg's default logger (stderr) in place. OpenCV's log is
// silenced; FFmpeg's logger is sent to the host. libavutil is reached
// through this module's own handle (it is a dependency of OpenCV, loaded
// locally with the module, so not visible through RTLD_DEFAULT); no FFmpeg
// headers are needed. This is process-wide: an embedding app that logs
// FFmpeg itself should install its callback after penscope opens its first
// video.
void quiet_opencv()
{
    static std::once_flag once;
    std::call_once(once, [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        Dl_info self;
        if (!dladdr(reinterpret_cast<void *>(&ffmpeg_to_host), &self) || !self.dli_fname)
            return;
        void *h = dlopen(self.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
        if (!h)
            return;
        using av_log_fn = void (*)(void *, int, const char *, va_list);
        void *sym = dlsym(h, "av_log_set_callback");
        if (sym)
            reinterpret_cast<void (*)(av_log_fn)>(sym)(ffmpeg_to_host);
        dlclose(h); // drops the reference RTLD_NOLOAD took; the module stays loaded
    });
}

void fourcc_text(double v, char out[5])
{
    auto code = static_cast<unsigned long>(v > 0 && v < 4294967296.0 ? v : 0);
    for (int i = 0; i < 4; i++) {
        char c = static_cast<char>((code >> (8 * i)) & 0xFF);
        if (c < 32 || c > 126) { // not text: unknown
            out[0] = 0;
            return;
        }
        out[i] = c;
    }
    out[4] = 0;
}

void set_log(void (*log)(const char *line))
{
    host_log.store(log);
}

ps_status open_file(const char *path, ps_cv_video **out, char *err, size_t cap)
{
    *out = nullptr;
    quiet_opencv();
    return guarded(err, cap, "cannot open video", PS_ERR_CORRUPT, [&] {
        auto v = std::make_unique<ps_cv_video>();
        bool ok = v->cap.open(path, cv::CAP_FFMPEG);
        if (!ok || !v->cap.isOpened())
            return failf(err, cap, PS_ERR_CORRUPT, "not a video penscope can read (no decodable video stream)");
        *out = v.release();
        return PS_OK;
    });
}

ps_status open_camera(int index, ps_cv_video **out, char *err, size_t cap)
{
    *out = nullptr;
    quiet_opencv();
    return guarded(err, cap, "cannot open camera", PS_ERR_CORRUPT, [&] {
        auto v = std::make_unique<ps_cv_video>();
        bool ok = v->cap.open(index, cv::CAP_ANY);
        if (!ok || !v->cap.isOpened())
            return failf(err, cap, PS_ERR_NOT_FOUND, "camera %d is not available", index);
        *out = v.release();
        return PS_OK;
    });
}

ps_status props(ps_cv_video *v, ps_cv_video_props *p, char *err, size_t cap)
{
    std::memset(p, 0, sizeof *p);
    return guarded(err, cap, "cannot read video properties", PS_ERR_CORRUPT, [&] {
        p->width = static_cast<int>(v->cap.get(cv::CAP_PROP_FRAME_WIDTH));
        p->height = static_cast<int>(v->cap.get(cv::CAP_PROP_FRAME_HEIGHT));
        p->fps = v->cap.get(cv::CAP_PROP_FPS);
        p->frame_count = v->cap.get(cv::CAP_PROP_FRAME_COUNT);
        fourcc_text(v->cap.get(cv::CAP_PROP_FOURCC), p->fourcc);
        if (!std::isfinite(p->fps) || p->fps < 0)
            p->fps = 0;
        if (!std::isfinite(p->frame_count) || p->frame_count < 0)
            p->frame_count = 0;
        return PS_OK;
    });
}

ps_status next(ps_cv_video *v, int *width, int *height, double *pos_msec, char *err, size_t cap)
{
    *width = *height = 0;
    *pos_msec = NAN;
    return guarded(err, cap, "cannot decode video frame", PS_ERR_CORRUPT, [&] {
        if (!v->cap.read(v->frame) || v->frame.empty())
            return PS_DONE;
        if (v->frame.depth() != CV_8U || (v->frame.channels() != 1 && v->frame.channels() != 3 &&
                                          v->frame.channels() != 4))
            return failf(err, cap, PS_ERR_UNSUPPORTED, "video frames of OpenCV type %d are not 8-bit images",
                         v->frame.type());
        *width = v->frame.cols;
        *height = v->frame.rows;
        double ms = v->cap.get(cv::CAP_PROP_POS_MSEC);
        *pos_msec = std::isfinite(ms) ? ms : NAN;
        return PS_OK;
    });
}

ps_status frame_rgb(ps_cv_video *v, uint8_t *dst, size_t stride, char *err, size_t cap)
{
    return guarded(err, cap, "cannot convert video frame", PS_ERR_CORRUPT, [&] {
        if (v->frame.empty())
            return failf(err, cap, PS_ERR_INVALID_ARG, "no frame to convert");
        cv::Mat rgb(v->frame.rows, v->frame.cols, CV_8UC3, dst, stride);
        int code = v->frame.channels() == 1 ? cv::COLOR_GRAY2RGB
                 : v->frame.channels() == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB;
        cv::cvtColor(v->frame, rgb, code);
        if (rgb.data != dst) // cvtColor reallocated: cannot happen with the right size and type
            return failf(err, cap, PS_ERR_INTERNAL, "frame conversion did not fill the caller's buffer");
        return PS_OK;
    });
}

void close_video(ps_cv_video *v)
{
    if (!v)
        return;
    try {
        v->cap.release();
    } catch (...) {
        // nothing left to report: the handle goes away either way
    }
    delete v;
}

ps_status writer_open(const char *path, const char *fourcc, double fps, int width, int height,
                      ps_cv_video_writer **out, char *err, size_t cap)
{
    *out = nullptr;
    quiet_opencv();
    if (width <= 0 || height <= 0 || !(fps > 0) || !fourcc || std::strlen(fourcc) != 4)
        return failf(err, cap, PS_ERR_INVALID_ARG, "bad video size %dx%d, rate %g or FourCC", width, height, fps);
    // OpenCV opens with the process umask; creating the file first keeps it 0600.
    int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return failf(err, cap, PS_ERR_IO, "cannot create '%s': %s", path, std::strerror(errno));
    ::close(fd);
    return guarded(err, cap, "cannot write video", PS_ERR_CORRUPT, [&] {
        auto w = std::make_unique<ps_cv_video_writer>();
        w->width = width;
        w->height = height;
        bool mjpg = std::strcmp(fourcc, "MJPG") == 0;
        int code = cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
        bool ok = w->out.open(path, mjpg ? cv::CAP_OPENCV_MJPEG : cv::CAP_FFMPEG, code, fps,
                              cv::Size(width, height), true);
        if (!ok || !w->out.isOpened())
            return failf(err, cap, PS_ERR_IO, "cannot open '%s' for writing a %s video", path, fourcc);
        if (mjpg)
            w->out.set(cv::VIDEOWRITER_PROP_QUALITY, 95); // test videos: colours should survive
        *out = w.release();
        return PS_OK;
    });
}

ps_status writer_add(ps_cv_video_writer *w, const uint8_t *rgb, size_t stride, char *err, size_t cap)
{
    return guarded(err, cap, "cannot write video frame", PS_ERR_CORRUPT, [&] {
        cv::Mat src(w->height, w->width, CV_8UC3, const_cast<uint8_t *>(rgb), stride);
        cv::cvtColor(src, w->bgr, cv::COLOR_RGB2BGR);
        w->out.write(w->bgr);
        return PS_OK;
    });
}

ps_status writer_close(ps_cv_video_writer *w, char *err, size_t cap)
{
    if (!w)
        return PS_OK;
    ps_status rc = guarded(err, cap, "cannot finish video", PS_ERR_CORRUPT, [&] {
        w->out.release();
        return PS_OK;
    });
    delete w;
    return rc;
}

const ps_video_module table = {
    {PS_VIDEO_MODULE_ABI, sizeof(ps_video_module)},
    set_log,
    open_file,
    open_camera,
    props,
    next,
    frame_rgb,
    close_video,
    writer_open,
    writer_add,
    writer_close,
};

} // namespace

extern "C" __attribute__((visibility("default"))) const ps_video_module *penscope_module_video(void)
{
    return &table;
}
