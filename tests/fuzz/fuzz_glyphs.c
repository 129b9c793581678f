/* libFuzzer target for the printed-letter glyph models (models/glyphs/
 * *.glyphs, read by the page stage's pg_glyphs_parse): any bytes give a
 * status, never a crash, and a set that parses is looked up and compared
 * with itself the way the letter-form recogniser uses it. */
#include "page/glyphs.h"
#include "core/alloc.h"
#include <stdint.h>

static volatile float g_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (4u << 20))
        return 0;
    pg_glyphset set = {0};
    set.g = ps_malloc(sizeof(pg_glyph) * PG_MAX_GLYPHS);
    if (!set.g)
        return 0;
    if (pg_glyphs_parse(&set, (const char *)data, size, 1) == PS_OK) {
        set.has_reference = set.n > 0;
        for (int i = 0; i < set.n; i++) {
            const pg_glyph *g = &set.g[i], *ref = pg_glyphs_reference(&set, g->ch);
            if (ref)
                g_sink += pg_glyph_distance(g->bm, g->dt, ref->mbm, ref->mdt) + g->mirror_d;
        }
    }
    pg_glyphs_release(&set);
    return 0;
}
