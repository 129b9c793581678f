// penscope-display.so: a window that shows frames, over OpenCV highgui.
// Loaded by dlopen from the CLI only (see display_abi.h); it links OpenCV
// highgui (Qt on Debian) and nothing of penscope. Every entry point catches
// all exceptions and reports them through err.
#include "modules/display/display_abi.h"
#include "modules/guarded.hpp"
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/highgui.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <exception>
#include <new>
#include <string>

struct ps_display_window {
    std::string title;
    cv::Mat bgr;
    bool shown = false;
};

namespace {

using ps_module::failf;
using ps_module::guarded;

// Largest window opened without scaling: a camera's 1920x1080 still fits a laptop screen.
constexpr int max_w = 1280, max_h = 800;

// Qt ends the process (qFatal) when it cannot reach a display, so the X
// server is tried first with libX11 (loaded here, already a dependency of
// Qt's xcb platform). Then Qt is told to use X11: its Wayland plugin may be
// absent, which is fatal too.
ps_status check_display(char *err, size_t cap)
{
    const char *d = std::getenv("DISPLAY");
    if (!d || !*d)
        return failf(err, cap, PS_ERR_UNSUPPORTED,
                     "the OpenCV window needs an X11 display (XWayland under Wayland) and $DISPLAY is not set");
    void *x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!x11)
        return failf(err, cap, PS_ERR_UNSUPPORTED, "cannot load libX11: %s", dlerror());
    using open_fn = void *(*)(const char *);
    using close_fn = int (*)(void *);
    auto xopen = reinterpret_cast<open_fn>(dlsym(x11, "XOpenDisplay"));
    auto xclose = reinterpret_cast<close_fn>(dlsym(x11, "XCloseDisplay"));
    void *dpy = xopen && xclose ? xopen(nullptr) : nullptr;
    if (dpy)
        xclose(dpy);
    // libX11 stays loaded: Qt's xcb plugin uses it next
    if (!dpy)
        return failf(err, cap, PS_ERR_IO, "cannot connect to the X display '%s'", d);
    setenv("QT_QPA_PLATFORM", "xcb", 1);
    return PS_OK;
}

bool visible(const std::string &title)
{
    return cv::getWindowProperty(title, cv::WND_PROP_VISIBLE) >= 1;
}

ps_status display_open(const char *title, int width, int height, ps_display_window **out, char *err, size_t cap)
{
    *out = nullptr;
    if (!title || width <= 0 || height <= 0)
        return failf(err, cap, PS_ERR_INVALID_ARG, "bad window title or size %dx%d", width, height);
    ps_status rc = check_display(err, cap);
    if (rc != PS_OK)
        return rc;
    return guarded(err, cap, "cannot open a window", PS_ERR_INTERNAL, [&] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        auto *w = new ps_display_window;
        w->title = title;
        try {
            cv::namedWindow(w->title, cv::WINDOW_NORMAL | cv::WINDOW_KEEPRATIO | cv::WINDOW_GUI_NORMAL);
            double s = std::min({1.0, double(max_w) / width, double(max_h) / height});
            cv::resizeWindow(w->title, std::max(1, int(width * s)), std::max(1, int(height * s)));
        } catch (...) {
            delete w;
            throw;
        }
        *out = w;
        return PS_OK;
    });
}

ps_status display_show(ps_display_window *w, const uint8_t *rgb, int width, int height, size_t stride, int wait_ms,
                       int *stop, char *err, size_t cap)
{
    *stop = 0;
    if (!w || !rgb || width <= 0 || height <= 0 || stride < size_t(width) * 3)
        return failf(err, cap, PS_ERR_INVALID_ARG, "bad frame for the window");
    return guarded(err, cap, "cannot show the frame", PS_ERR_INTERNAL, [&] {
        // closed by the user: imshow would open it again
        if (w->shown && !visible(w->title)) {
            *stop = 1;
            return PS_OK;
        }
        cv::Mat src(height, width, CV_8UC3, const_cast<uint8_t *>(rgb), stride);
        cv::cvtColor(src, w->bgr, cv::COLOR_RGB2BGR);
        cv::imshow(w->title, w->bgr);
        w->shown = true;
        int key = cv::waitKey(std::max(1, wait_ms));
        key &= 0xFF;
        if (key == 'q' || key == 'Q' || key == 27 || !visible(w->title))
            *stop = 1;
        return PS_OK;
    });
}

void display_close(ps_display_window *w)
{
    if (!w)
        return;
    try {
        if (w->shown && visible(w->title)) {
            cv::destroyWindow(w->title);
            cv::waitKey(1); // lets the toolkit take the window off the screen
        }
    } catch (...) {
        // nothing to report: the window goes away with the process anyway
    }
    delete w;
}

const ps_display_module table = {
    {PS_DISPLAY_MODULE_ABI, sizeof(ps_display_module)},
    display_open,
    display_show,
    display_close,
};

} // namespace

extern "C" __attribute__((visibility("default"))) const ps_display_module *penscope_module_display(void)
{
    return &table;
}
