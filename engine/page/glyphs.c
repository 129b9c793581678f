/* Printed letter models (models/glyphs/NAME.glyphs, made by tests/gen/psglyphs
 * from fonts) and the letter comparisons built on them: a letter found on the
 * page is normalised like a model (deslanted, its ink box fitted into 28 of
 * 32 pixels, centred), and two normalised letters are compared by their
 * symmetric mean chamfer distance in pixels of that 32-pixel box. */
#include "page/glyphs.h"
#include "page/recog.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void pg_glyph_dt(const uint8_t *bm, float *dt)
{
    /* two-pass 3-4 chamfer, divided by 3: close to Euclidean pixels */
    const float INF = 1e6f;
    for (int i = 0; i < PG_GN * PG_GN; i++)
        dt[i] = bm[i] ? 0 : INF;
    for (int y = 0; y < PG_GN; y++)
        for (int x = 0; x < PG_GN; x++) {
            float *d = &dt[y * PG_GN + x];
            if (x > 0 && d[-1] + 3 < *d) *d = d[-1] + 3;
            if (y > 0) {
                if (d[-PG_GN] + 3 < *d) *d = d[-PG_GN] + 3;
                if (x > 0 && d[-PG_GN - 1] + 4 < *d) *d = d[-PG_GN - 1] + 4;
                if (x + 1 < PG_GN && d[-PG_GN + 1] + 4 < *d) *d = d[-PG_GN + 1] + 4;
            }
        }
    for (int y = PG_GN - 1; y >= 0; y--)
        for (int x = PG_GN - 1; x >= 0; x--) {
            float *d = &dt[y * PG_GN + x];
            if (x + 1 < PG_GN && d[1] + 3 < *d) *d = d[1] + 3;
            if (y + 1 < PG_GN) {
                if (d[PG_GN] + 3 < *d) *d = d[PG_GN] + 3;
                if (x + 1 < PG_GN && d[PG_GN + 1] + 4 < *d) *d = d[PG_GN + 1] + 4;
                if (x > 0 && d[PG_GN - 1] + 4 < *d) *d = d[PG_GN - 1] + 4;
            }
        }
    for (int i = 0; i < PG_GN * PG_GN; i++)
        dt[i] = dt[i] >= INF ? 64 : dt[i] / 3;
}

float pg_glyph_distance(const uint8_t *a, const float *dta, const uint8_t *b, const float *dtb)
{
    double sa = 0, sb = 0;
    int na = 0, nb = 0;
    for (int i = 0; i < PG_GN * PG_GN; i++) {
        if (a[i]) {
            sa += dtb[i];
            na++;
        }
        if (b[i]) {
            sb += dta[i];
            nb++;
        }
    }
    if (!na || !nb)
        return 64;
    return (float)(0.5 * (sa / na + sb / nb));
}

static int class_of(const char *s)
{
    if (!strcmp(s, "x")) return PG_X;
    if (!strcmp(s, "tall")) return PG_TALL;
    if (!strcmp(s, "desc")) return PG_DESC;
    if (!strcmp(s, "dotted")) return PG_DOTTED;
    return -1;
}

/* Parses one .glyphs file held in memory; appends to set. */
ps_status pg_glyphs_parse(pg_glyphset *set, const char *text, size_t len, int is_reference)
{
    const char *p = text, *end = text + len;
    char line[128];
#define NEXT_LINE()                                                                                      \
    ({                                                                                                   \
        size_t n_ = 0;                                                                                   \
        int ok_ = p < end;                                                                               \
        while (p < end && *p != '\n') {                                                                  \
            if (n_ + 1 < sizeof line)                                                                    \
                line[n_++] = *p;                                                                         \
            p++;                                                                                         \
        }                                                                                                \
        if (p < end)                                                                                     \
            p++;                                                                                         \
        line[n_] = 0;                                                                                    \
        ok_;                                                                                             \
    })
    if (!NEXT_LINE() || strcmp(line, "penscope-glyphs 1"))
        return ps_fail(PS_ERR_CORRUPT, "not a penscope glyph model file (version 1)");
    if (!NEXT_LINE() || strncmp(line, "font ", 5))
        return ps_fail(PS_ERR_CORRUPT, "glyph model file: no font line");
    while (NEXT_LINE()) {
        if (!line[0])
            continue;
        char ch, cls[16];
        float rel_h, aspect;
        if (sscanf(line, "glyph %c %15s %f %f", &ch, cls, &rel_h, &aspect) != 4 || !isalnum((unsigned char)ch) ||
            class_of(cls) < 0 || !(rel_h > 0 && rel_h < 10) || !(aspect > 0 && aspect < 20))
            return ps_fail(PS_ERR_CORRUPT, "glyph model file: bad glyph line '%.40s'", line);
        if (set->n >= PG_MAX_GLYPHS)
            return ps_fail(PS_ERR_LIMIT, "glyph model files: more than %d glyphs", PG_MAX_GLYPHS);
        pg_glyph *g = &set->g[set->n];
        memset(g, 0, sizeof *g);
        g->ch = ch;
        g->cls = class_of(cls);
        g->rel_h = rel_h;
        g->aspect = aspect;
        g->reference = is_reference;
        int ink = 0;
        for (int r = 0; r < PG_GN; r++) {
            if (!NEXT_LINE() || strlen(line) != PG_GN)
                return ps_fail(PS_ERR_CORRUPT, "glyph model file: glyph '%c' row %d is not %d characters", ch, r,
                               PG_GN);
            for (int c = 0; c < PG_GN; c++) {
                if (line[c] != '#' && line[c] != '.')
                    return ps_fail(PS_ERR_CORRUPT, "glyph model file: glyph '%c' has '%c'", ch, line[c]);
                g->bm[r * PG_GN + c] = line[c] == '#';
                g->mbm[r * PG_GN + (PG_GN - 1 - c)] = line[c] == '#';
                ink += line[c] == '#';
            }
        }
        if (!ink)
            return ps_fail(PS_ERR_CORRUPT, "glyph model file: glyph '%c' is empty", ch);
        pg_glyph_dt(g->bm, g->dt);
        pg_glyph_dt(g->mbm, g->mdt);
        g->mirror_d = pg_glyph_distance(g->bm, g->dt, g->mbm, g->mdt);
        set->n++;
    }
#undef NEXT_LINE
    return PS_OK;
}

ps_status pg_glyphs_load(pg_glyphset *set, const char *models_dir)
{
    memset(set, 0, sizeof *set);
    set->g = ps_malloc(sizeof(pg_glyph) * PG_MAX_GLYPHS);
    if (!set->g)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/glyphs", models_dir);
    DIR *d = opendir(dir);
    if (!d) {
        pg_glyphs_release(set);
        return ps_fail(PS_ERR_NOT_FOUND, "no letter models in '%s'", dir);
    }
    /* sorted order, so the set does not depend on the directory's */
    char names[16][256];
    int nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 16) {
        size_t l = strlen(e->d_name);
        if (l > 7 && l < 250 && !strcmp(e->d_name + l - 7, ".glyphs"))
            snprintf(names[nn++], sizeof names[0], "%s", e->d_name);
    }
    closedir(d);
    for (int i = 0; i < nn; i++)
        for (int j = i + 1; j < nn; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char t[256];
                memcpy(t, names[i], 256);
                memcpy(names[i], names[j], 256);
                memcpy(names[j], t, 256);
            }
    ps_status rc = PS_OK;
    for (int i = 0; i < nn && rc == PS_OK; i++) {
        char path[4096 + 512];
        int pn = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (pn < 0 || (size_t)pn >= sizeof path) {
            rc = ps_fail(PS_ERR_INVALID_ARG, "models folder path too long");
            break;
        }
        unsigned char *buf = NULL;
        size_t len = 0;
        rc = ps_file_read_all(path, 4u << 20, &buf, &len);
        if (rc == PS_OK) {
            rc = pg_glyphs_parse(set, (const char *)buf, len, !strcmp(names[i], PG_REFERENCE_GLYPHS));
            if (rc != PS_OK)
                ps_error_prefix(path);
        }
        ps_free(buf);
    }
    if (rc == PS_OK) {
        for (int i = 0; i < set->n; i++)
            set->has_reference |= set->g[i].reference;
        if (!set->has_reference)
            rc = ps_fail(PS_ERR_NOT_FOUND, "no %s in '%s'", PG_REFERENCE_GLYPHS, dir);
    }
    if (rc == PS_OK) {
        set->recog = ps_malloc(sizeof(pg_recog));
        rc = set->recog ? pg_recog_load(set->recog, models_dir) : ps_fail(PS_ERR_NOMEM, "out of memory");
        if (rc != PS_OK) {
            ps_free(set->recog);
            set->recog = NULL;
        }
    }
    if (rc != PS_OK)
        pg_glyphs_release(set);
    return rc;
}

void pg_glyphs_release(pg_glyphset *set)
{
    if (!set)
        return;
    ps_free(set->g);
    if (set->recog) {
        pg_recog_release(set->recog);
        ps_free(set->recog);
    }
    memset(set, 0, sizeof *set);
}

const pg_glyph *pg_glyphs_reference(const pg_glyphset *set, char ch)
{
    for (int i = 0; i < set->n; i++)
        if (set->g[i].reference && set->g[i].ch == ch)
            return &set->g[i];
    return NULL;
}
