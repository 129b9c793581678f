/* libFuzzer target for the letter task file of `penscope ink --text @FILE`
 * (ink_task_parse): any bytes give a status, never a crash; a task that
 * parses has 1 to 4096 letters, each one character with a finite window
 * whose end is not before its start. */
#include "core/alloc.h"
#include "ink/task.h"
#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    ps_ink_task_letter *t;
    size_t n;
    if (ink_task_parse((const char *)data, size, &t, &n) != PS_OK) {
        if (t || n)
            __builtin_trap();
        return 0;
    }
    if (n == 0 || n > PS_INK_TASK_MAX_LETTERS)
        __builtin_trap();
    for (size_t i = 0; i < n; i++)
        if (!t[i].ch || !isfinite(t[i].t0_s) || !isfinite(t[i].t1_s) || t[i].t1_s < t[i].t0_s)
            __builtin_trap();
    ps_free(t);
    return 0;
}
