// The error boundary of a C++ module: a module's entry points are called from
// C, so no exception may leave them. Both modules report through an err
// buffer the host owns (see the *_abi.h tables).
#ifndef PS_MODULES_GUARDED_HPP
#define PS_MODULES_GUARDED_HPP
#include "penscope.h"
#include <opencv2/core.hpp>
#include <cstdarg>
#include <cstdio>
#include <exception>
#include <new>

namespace ps_module {

// Writes the message into err (when there is one) and returns rc.
inline ps_status failf(char *err, size_t cap, ps_status rc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
inline ps_status failf(char *err, size_t cap, ps_status rc, const char *fmt, ...)
{
    if (err && cap) {
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(err, cap, fmt, ap);
        va_end(ap);
    }
    return rc;
}

// Runs f, turning any exception into a status with a message. An OpenCV
// error becomes cv_rc: bad data for a video (corrupt), a fault for a window.
template <class F> ps_status guarded(char *err, size_t cap, const char *what, ps_status cv_rc, F f)
{
    try {
        return f();
    } catch (const cv::Exception &e) {
        return failf(err, cap, cv_rc, "%s: opencv: %s", what, e.err.c_str());
    } catch (const std::bad_alloc &) {
        return failf(err, cap, PS_ERR_NOMEM, "%s: out of memory", what);
    } catch (const std::exception &e) {
        return failf(err, cap, PS_ERR_INTERNAL, "%s: %s", what, e.what());
    } catch (...) {
        return failf(err, cap, PS_ERR_INTERNAL, "%s: unknown exception", what);
    }
}

} // namespace ps_module

#endif
