// OpenCV videoio behind a C boundary. Every entry point catches all
// exceptions (OpenCV throws cv::Exception, the standard library bad_alloc)
// and reports them as a status; nothing C++ escapes into the C engine.
#include "cv/cv.h"
extern "C" {
#include "core/log.h"
#include "core/status.h"
}
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <dlfcn.h>
#include <cmath>
#include <cstring>
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

// FFmpeg's messages ("moov atom not found") as penscope debug log lines.
void ffmpeg_to_ps_log(void *, int level, const char *fmt, va_list ap)
{
    if (level > 24) // above AV_LOG_WARNING: chatter
        return;
    char msg[256];
    std::vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = std::strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    ps_log(PS_LOG_DEBUG, "ffmpeg: %s", msg);
}

// The library never prints, but OpenCV logs warnings to stderr and its
// FFmpeg backend leaves FFmpeg's default logger (stderr) in place. OpenCV's
// log is silenced; FFmpeg's logger, reached through the already loaded
// libavutil (OpenCV links it; no FFmpeg headers needed), is sent to
// ps_log. This is process-wide: an embedding app that logs FFmpeg itself
// should install its callback after penscope opens its first video.
void quiet_opencv()
{
    static std::once_flag once;
    std::call_once(once, [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        using av_log_fn = void (*)(void *, int, const char *, va_list);
        void *sym = dlsym(RTLD_DEFAULT, "av_log_set_callback");
        if (sym)
            reinterpret_cast<void (*)(av_log_fn)>(sym)(ffmpeg_to_ps_log);
    });
}

// Runs f, turning any exception into a status with a message.
template <class F> ps_status guarded(const char *what, F f)
{
    try {
        return f();
    } catch (const cv::Exception &e) {
        return ps_fail(PS_ERR_CORRUPT, "%s: opencv: %s", what, e.err.c_str());
    } catch (const std::bad_alloc &) {
        return ps_fail(PS_ERR_NOMEM, "%s: out of memory", what);
    } catch (const std::exception &e) {
        return ps_fail(PS_ERR_INTERNAL, "%s: %s", what, e.what());
    } catch (...) {
        return ps_fail(PS_ERR_INTERNAL, "%s: unknown exception", what);
    }
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

ps_status open_with(cv::VideoCapture &cap, const char *what, bool ok)
{
    if (!ok || !cap.isOpened())
        return ps_fail(PS_ERR_CORRUPT, "%s", what);
    return PS_OK;
}

} // namespace

extern "C" ps_status ps_cv_video_open_file(const char *path, ps_cv_video **out)
{
    *out = nullptr;
    quiet_opencv();
    return guarded("cannot open video", [&] {
        auto v = std::make_unique<ps_cv_video>();
        bool ok = v->cap.open(path, cv::CAP_FFMPEG);
        ps_status rc = open_with(v->cap, "not a video penscope can read (no decodable video stream)", ok);
        if (rc == PS_OK)
            *out = v.release();
        return rc;
    });
}

extern "C" ps_status ps_cv_video_open_camera(int index, ps_cv_video **out)
{
    *out = nullptr;
    quiet_opencv();
    return guarded("cannot open camera", [&] {
        auto v = std::make_unique<ps_cv_video>();
        bool ok = v->cap.open(index, cv::CAP_ANY);
        if (!ok || !v->cap.isOpened())
            return ps_fail(PS_ERR_NOT_FOUND, "camera %d is not available", index);
        *out = v.release();
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_video_props_get(ps_cv_video *v, ps_cv_video_props *p)
{
    std::memset(p, 0, sizeof *p);
    return guarded("cannot read video properties", [&] {
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

extern "C" ps_status ps_cv_video_next(ps_cv_video *v, int *width, int *height, double *pos_msec)
{
    *width = *height = 0;
    *pos_msec = NAN;
    return guarded("cannot decode video frame", [&] {
        if (!v->cap.read(v->frame) || v->frame.empty())
            return PS_DONE;
        if (v->frame.depth() != CV_8U || (v->frame.channels() != 1 && v->frame.channels() != 3 &&
                                          v->frame.channels() != 4))
            return ps_fail(PS_ERR_UNSUPPORTED, "video frames of OpenCV type %d are not 8-bit images",
                           v->frame.type());
        *width = v->frame.cols;
        *height = v->frame.rows;
        double ms = v->cap.get(cv::CAP_PROP_POS_MSEC);
        *pos_msec = std::isfinite(ms) ? ms : NAN;
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_video_frame_rgb(ps_cv_video *v, uint8_t *dst, size_t stride)
{
    return guarded("cannot convert video frame", [&] {
        if (v->frame.empty())
            return ps_fail(PS_ERR_INVALID_ARG, "no frame to convert");
        cv::Mat rgb(v->frame.rows, v->frame.cols, CV_8UC3, dst, stride);
        int code = v->frame.channels() == 1 ? cv::COLOR_GRAY2RGB
                 : v->frame.channels() == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB;
        cv::cvtColor(v->frame, rgb, code);
        if (rgb.data != dst) // cvtColor reallocated: cannot happen with the right size and type
            return ps_fail(PS_ERR_INTERNAL, "frame conversion did not fill the caller's buffer");
        return PS_OK;
    });
}

extern "C" void ps_cv_video_close(ps_cv_video *v)
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

extern "C" ps_status ps_cv_video_writer_open(const char *path, const char *fourcc, double fps, int width,
                                             int height, ps_cv_video_writer **out)
{
    *out = nullptr;
    quiet_opencv();
    if (width <= 0 || height <= 0 || !(fps > 0) || !fourcc || std::strlen(fourcc) != 4)
        return ps_fail(PS_ERR_INVALID_ARG, "bad video size %dx%d, rate %g or FourCC", width, height, fps);
    // OpenCV opens with the process umask; creating the file first keeps it 0600.
    int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return ps_fail(PS_ERR_IO, "cannot create '%s': %s", path, std::strerror(errno));
    ::close(fd);
    return guarded("cannot write video", [&] {
        auto w = std::make_unique<ps_cv_video_writer>();
        w->width = width;
        w->height = height;
        bool mjpg = std::strcmp(fourcc, "MJPG") == 0;
        int code = cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
        bool ok = w->out.open(path, mjpg ? cv::CAP_OPENCV_MJPEG : cv::CAP_FFMPEG, code, fps,
                              cv::Size(width, height), true);
        if (!ok || !w->out.isOpened())
            return ps_fail(PS_ERR_IO, "cannot open '%s' for writing a %s video", path, fourcc);
        if (mjpg)
            w->out.set(cv::VIDEOWRITER_PROP_QUALITY, 95); // test videos: colours should survive
        *out = w.release();
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_video_writer_add(ps_cv_video_writer *w, const uint8_t *rgb, size_t stride)
{
    return guarded("cannot write video frame", [&] {
        cv::Mat src(w->height, w->width, CV_8UC3, const_cast<uint8_t *>(rgb), stride);
        cv::cvtColor(src, w->bgr, cv::COLOR_RGB2BGR);
        w->out.write(w->bgr);
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_video_writer_close(ps_cv_video_writer *w)
{
    if (!w)
        return PS_OK;
    ps_status rc = guarded("cannot finish video", [&] {
        w->out.release();
        return PS_OK;
    });
    delete w;
    return rc;
}
