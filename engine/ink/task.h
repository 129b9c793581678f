/* The letter task file of `penscope ink --text @FILE`: which letter was
 * written in which time window of a recording,
 *   {"letters": [{"char": "a", "start_s": 0, "end_s": 1.2}, ...]}
 * A file from the user, so untrusted: it has a fuzz target (fuzz_ink_task). */
#ifndef PS_INK_TASK_H
#define PS_INK_TASK_H
#include "penscope.h"
#include <stddef.h>

#define PS_INK_TASK_MAX_LETTERS 4096

/* Parses len bytes of JSON into *task (n letters, ps_free it). On failure
 * *task is NULL and the message says what is wrong ("line L: ..." for bad
 * JSON, "entry N needs ..." for a bad letter). */
ps_status ink_task_parse(const char *text, size_t len, ps_ink_task_letter **task, size_t *n);

#endif
