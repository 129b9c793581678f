/* Logging through the callback set by ps_log_set(); the library never prints. */
#ifndef PS_CORE_LOG_H
#define PS_CORE_LOG_H
#include "penscope.h"

void ps_log(ps_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define ps_log_debug(...) ps_log(PS_LOG_DEBUG, __VA_ARGS__)
#define ps_log_info(...) ps_log(PS_LOG_INFO, __VA_ARGS__)
#define ps_log_warn(...) ps_log(PS_LOG_WARN, __VA_ARGS__)

#endif
