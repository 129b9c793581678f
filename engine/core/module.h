/* Optional parts of penscope that live in their own shared objects
 * (penscope-<name>.so) and are loaded with dlopen only when needed, so that
 * the heavy libraries behind them (OpenCV videoio with FFmpeg and GStreamer,
 * highgui with Qt) are not loaded into every process. A module exports one
 * function, penscope_module_<name>(), returning a table of function pointers
 * that starts with its ABI version and size (ps_module_head). The module
 * links nothing of penscope: it reports errors through the table.
 *
 * Where modules are looked for, in order (README.md, "Modules"):
 *   1. $PENSCOPE_MODULE_DIR, when set: only there;
 *   2. beside the binary that holds libpenscope (the shared library, or the
 *      program that linked it statically): <dir>/penscope/;
 *   3. <dir>/../<libdir>/penscope/ (an installed program in <prefix>/bin);
 *   4. the build tree's modules/ folder, only for binaries inside the build tree;
 *   5. the install folder, <prefix>/<libdir>/penscope/. */
#ifndef PS_CORE_MODULE_H
#define PS_CORE_MODULE_H
#include "penscope.h"
#include <stdint.h>

/* The start of every module's table. */
typedef struct ps_module_head {
    uint32_t abi;   /* the module ABI version the module was built for */
    uint32_t size;  /* sizeof the module's table */
} ps_module_head;

/* Loads module name ("video", "display") and returns its table in *table,
 * checked for ABI version abi and at least min_size bytes. The module stays
 * loaded for the life of the process (OpenCV and Qt do not support being
 * unloaded). On failure the message says where it looked and why each
 * candidate was refused. Thread-safe (dlopen is). */
ps_status ps_module_load(const char *name, uint32_t abi, size_t min_size, const void **table);

#endif
