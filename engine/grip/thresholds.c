/* Loading models/grip/grasp_thresholds.json: every threshold is an object
 * {"value": number, "why": "reasoning"} inside its section. All entries are
 * required, range-checked and unknown keys rejected, so a typo in the file is
 * an error naming the entry rather than a silently used default. */
#include "grip/grip_internal.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#define GRIP_THRESHOLDS_FORMAT "penscope-grip-thresholds"
#define GRIP_THRESHOLDS_VERSION 1
#define GRIP_THRESHOLDS_MAX_BYTES (1u << 20)

typedef struct entry {
    const char *section, *name;
    size_t offset;
    double lo, hi;   /* accepted range, inclusive */
} entry;

#define E(sec, f, lo, hi) { sec, #f, offsetof(struct ps_grip_thresholds, f), lo, hi }
static const entry entries[] = {
    E("contact", contact_rel, 0.01, 2.0),
    E("contact", support_rel, 0.01, 3.0),
    E("contact", contact_depth_rel, 0.01, 5.0),
    E("thumb", side_margin_rel, 0.0, 0.5),
    E("thumb", thumb_dorsal_rel, 0.0, 1.0),
    E("thumb", thumb_tuck_palmar_rel, 0.0, 1.0),
    E("thumb", thumb_tuck_ulnar_rel, 0.0, 1.0),
    E("thumb", thumb_tuck_max_pos, 0.0, 3.0),
    E("web_space", web_open_deg, 1.0, 179.0),
    E("web_space", web_band_deg, 0.1, 90.0),
    E("index_dip", dip_hyperext_deg, 0.0, 90.0),
    E("whole_hand", fist_pip_deg, 1.0, 179.0),
    E("whole_hand", palm_axis_rel, 0.01, 3.0),
    E("whole_hand", pronate_index_pip_deg, 1.0, 180.0),
    E("whole_hand", pronate_index_axis_deg, 0.0, 90.0),
    E("whole_hand", angle_band_deg, 0.1, 90.0),
    E("whole_hand", dist_band_rel, 0.001, 2.0),
    E("confidence", confidence_floor, 0.0, 1.0),
    E("confidence", unsure_thumb_factor, 0.0, 1.0),
    E("confidence", noise_xy_rel, 0.0, 0.5),
    E("confidence", noise_z_rel, 0.0, 1.0),
    E("confidence", noise_draws, 0.0, 256.0),
    E("pencil", pencil_width_min_rel, 0.001, 1.0),
    E("pencil", pencil_width_max_rel, 0.002, 2.0),
    E("pencil", pencil_min_len_widths, 0.5, 100.0),
    E("pencil", pencil_min_len_rel, 0.0, 10.0),
    E("pencil", pencil_reach_rel, 0.01, 5.0),
    E("pencil", pencil_min_confidence, 0.0, 1.0),
    E("pencil", pencil_min_hand_px, 0.0, 10000.0),
    E("video", min_change_s, 0.0, 60.0),
    E("video", finger_ratio_fingers, 0.0, 1.0),
    E("video", min_tip_path_rel, 0.0, 100.0),
};
#undef E
#define N_ENTRIES (sizeof entries / sizeof entries[0])

static const char *const sections[] = {
    "contact", "thumb", "web_space", "index_dip", "whole_hand", "confidence", "pencil", "video",
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

static int known_entry(const char *section, const char *name)
{
    for (size_t i = 0; i < N_ENTRIES; i++)
        if (!strcmp(entries[i].section, section) && !strcmp(entries[i].name, name))
            return 1;
    return 0;
}

static ps_status check_unknown_keys(json_t *root)
{
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) {
        if (!strcmp(key, "format") || !strcmp(key, "version") || !strcmp(key, "about"))
            continue;
        size_t s = 0;
        while (s < N_SECTIONS && strcmp(sections[s], key))
            s++;
        if (s == N_SECTIONS)
            return ps_fail(PS_ERR_CORRUPT, "grip thresholds: unknown section '%s'", key);
        if (!json_is_object(val))
            return ps_fail(PS_ERR_CORRUPT, "grip thresholds: section '%s' is not an object", key);
        const char *name;
        json_t *e;
        json_object_foreach(val, name, e) {
            if (!known_entry(key, name))
                return ps_fail(PS_ERR_CORRUPT, "grip thresholds: unknown entry '%s.%s'", key, name);
        }
    }
    return PS_OK;
}

static ps_status read_entry(json_t *root, const entry *en, struct ps_grip_thresholds *t)
{
    json_t *sec = json_object_get(root, en->section);
    json_t *e = json_is_object(sec) ? json_object_get(sec, en->name) : NULL;
    if (!json_is_object(e))
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: missing entry '%s.%s'", en->section, en->name);
    json_t *v = json_object_get(e, "value");
    if (!json_is_number(v))
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: '%s.%s' has no numeric \"value\"", en->section, en->name);
    json_t *why = json_object_get(e, "why");
    if (!json_is_string(why) || json_string_length(why) == 0)
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: '%s.%s' has no \"why\" (every threshold states its reasoning)",
                       en->section, en->name);
    const char *k;
    json_t *x;
    json_object_foreach(e, k, x) {
        if (strcmp(k, "value") && strcmp(k, "why"))
            return ps_fail(PS_ERR_CORRUPT, "grip thresholds: '%s.%s' has an unknown key '%s'", en->section, en->name, k);
    }
    double d = json_number_value(v);
    if (!isfinite(d) || d < en->lo || d > en->hi)
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: '%s.%s' = %g is outside [%g, %g]",
                       en->section, en->name, d, en->lo, en->hi);
    memcpy((char *)t + en->offset, &d, sizeof d);
    return PS_OK;
}

static ps_status parse_root(json_t *root, struct ps_grip_thresholds *t)
{
    if (!json_is_object(root))
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: the top level is not an object");
    json_t *fmt = json_object_get(root, "format");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), GRIP_THRESHOLDS_FORMAT))
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: \"format\" is not \"%s\"", GRIP_THRESHOLDS_FORMAT);
    json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != GRIP_THRESHOLDS_VERSION)
        return ps_fail(PS_ERR_UNSUPPORTED, "grip thresholds: unsupported \"version\" (expected %d)",
                       GRIP_THRESHOLDS_VERSION);
    ps_status rc = check_unknown_keys(root);
    if (rc)
        return rc;
    for (size_t i = 0; i < N_ENTRIES; i++)
        if ((rc = read_entry(root, &entries[i], t)) != PS_OK)
            return rc;
    if (t->pencil_width_min_rel >= t->pencil_width_max_rel)
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: pencil.pencil_width_min_rel must be below pencil_width_max_rel");
    if (t->support_rel < t->contact_rel)
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: contact.support_rel must be at least contact_rel");
    return PS_OK;
}

ps_status ps_grip_thresholds_parse(const char *json, size_t len, ps_grip_thresholds_t **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "grip thresholds: out is NULL");
    *out = NULL;
    if (!json)
        return ps_fail(PS_ERR_INVALID_ARG, "grip thresholds: text is NULL");
    if (len > GRIP_THRESHOLDS_MAX_BYTES)
        return ps_fail(PS_ERR_LIMIT, "grip thresholds: file over %u bytes", GRIP_THRESHOLDS_MAX_BYTES);
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return ps_fail(PS_ERR_CORRUPT, "grip thresholds: invalid JSON at line %d: %s", jerr.line, jerr.text);
    struct ps_grip_thresholds t;
    memset(&t, 0, sizeof t);
    ps_status rc = parse_root(root, &t);
    json_decref(root);
    if (rc)
        return rc;
    ps_grip_thresholds_t *p = ps_malloc(sizeof *p);
    if (!p)
        return ps_fail(PS_ERR_NOMEM, "grip thresholds: out of memory");
    *p = t;
    *out = p;
    return PS_OK;
}

ps_status ps_grip_thresholds_load(const char *path, ps_grip_thresholds_t **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "grip thresholds: out is NULL");
    *out = NULL;
    if (!path)
        return ps_fail(PS_ERR_INVALID_ARG, "grip thresholds: path is NULL");
    unsigned char *data = NULL;
    size_t len = 0;
    ps_status rc = ps_file_read_all(path, GRIP_THRESHOLDS_MAX_BYTES, &data, &len);
    if (rc)
        return rc;
    rc = ps_grip_thresholds_parse((const char *)data, len, out);
    ps_free(data);
    if (rc)
        ps_error_prefix(path);
    return rc;
}

void ps_grip_thresholds_free(ps_grip_thresholds_t *t)
{
    ps_free(t);
}
