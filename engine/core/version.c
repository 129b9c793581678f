/* Library version, kept equal to the header's macros. */
#include "penscope.h"

const char *ps_version(void) { return PS_VERSION_STRING; }
int ps_version_number(void) { return PS_VERSION_NUMBER; }
