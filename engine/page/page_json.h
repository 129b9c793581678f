/* The page result written into a caller's JSON writer (used by the CLI's
 * record: metrics, detail and warnings of DESIGN.md §4). */
#ifndef PS_PAGE_JSON_H
#define PS_PAGE_JSON_H
#include "penscope.h"
#include "core/json.h"
void pg_json_metrics(const ps_page_t *pg, ps_json *j);
void pg_json_detail(const ps_page_t *pg, ps_json *j);
void pg_json_warnings(const ps_page_t *pg, ps_json *j);
#endif
