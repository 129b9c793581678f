/* Names of the grip enums as written in JSON (METRICS.md §1), and the
 * maturity of each grasp per reference/grip-taxonomy.md: Schneck & Henderson
 * (1990) group palmar supinate and digital pronate as primitive, static tripod
 * and four finger as transitional, the tripods as mature; Schwellnus et al.
 * (2012) add the dynamic and lateral quadrupods to the mature grasps. Thumb
 * wrap, thumb tuck, five finger and interdigital brace have no place on those
 * developmental scales and are reported as atypical. */
#include "penscope.h"
#include <string.h>

static const char *const grasp_names[PS_GRASP_COUNT] = {
    "unknown", "dynamic_tripod", "lateral_tripod", "dynamic_quadrupod", "lateral_quadrupod",
    "static_tripod", "four_finger", "five_finger", "thumb_wrap", "thumb_tuck",
    "interdigital_brace", "digital_pronate", "palmar_supinate",
};

const char *ps_grasp_name(ps_grasp g)
{
    return (unsigned)g < PS_GRASP_COUNT ? grasp_names[g] : "unknown";
}

ps_grasp ps_grasp_from_name(const char *name)
{
    if (name)
        for (int g = 0; g < PS_GRASP_COUNT; g++)
            if (!strcmp(grasp_names[g], name))
                return (ps_grasp)g;
    return PS_GRASP_COUNT;
}

ps_grasp_maturity ps_grasp_maturity_of(ps_grasp g)
{
    switch (g) {
    case PS_GRASP_DYNAMIC_TRIPOD:
    case PS_GRASP_LATERAL_TRIPOD:
    case PS_GRASP_DYNAMIC_QUADRUPOD:
    case PS_GRASP_LATERAL_QUADRUPOD:
        return PS_MATURITY_MATURE;
    case PS_GRASP_STATIC_TRIPOD:
    case PS_GRASP_FOUR_FINGER:
        return PS_MATURITY_TRANSITIONAL;
    case PS_GRASP_DIGITAL_PRONATE:
    case PS_GRASP_PALMAR_SUPINATE:
        return PS_MATURITY_PRIMITIVE;
    case PS_GRASP_FIVE_FINGER:
    case PS_GRASP_THUMB_WRAP:
    case PS_GRASP_THUMB_TUCK:
    case PS_GRASP_INTERDIGITAL_BRACE:
        return PS_MATURITY_ATYPICAL;
    default:
        return PS_MATURITY_UNKNOWN;
    }
}

const char *ps_grasp_maturity_name(ps_grasp_maturity m)
{
    static const char *const n[] = {"unknown", "mature", "transitional", "primitive", "atypical"};
    return (unsigned)m < sizeof n / sizeof n[0] ? n[m] : "unknown";
}

const char *ps_thumb_position_name(ps_thumb_position t)
{
    static const char *const n[] = {"unknown", "opposed", "adducted", "wrapped", "tucked"};
    return (unsigned)t < sizeof n / sizeof n[0] ? n[t] : "unknown";
}

const char *ps_web_space_name(ps_web_space w)
{
    static const char *const n[] = {"unknown", "open", "closed"};
    return (unsigned)w < sizeof n / sizeof n[0] ? n[w] : "unknown";
}

const char *ps_movement_source_name(ps_movement_source m)
{
    static const char *const n[] = {"unknown", "fingers", "wrist", "arm"};
    return (unsigned)m < sizeof n / sizeof n[0] ? n[m] : "unknown";
}
