/* The slant search's inner score on bit rows: a letter at most 64 pixels
 * wide is one 64-bit word per row, a shear moves each row by a whole number
 * of columns, and the vertical runs are found from where they start and end
 * (row & ~row above, row above & ~row), so the cost follows the number of
 * runs rather than of pixels. Same sums as the per-pixel count in segment.c. */
#include "page/page_internal.h"

typedef unsigned __int128 u128;

/* body for each column c set in v, lowest first */
#define FOR_EACH_BIT(v, c, body)                                                                                       \
    do {                                                                                                               \
        uint64_t lo_ = (uint64_t)(v), hi_ = (uint64_t)((v) >> 64);                                                     \
        while (lo_) {                                                                                                  \
            int c = __builtin_ctzll(lo_);                                                                              \
            lo_ &= lo_ - 1;                                                                                            \
            body;                                                                                                      \
        }                                                                                                              \
        while (hi_) {                                                                                                  \
            int c = 64 + __builtin_ctzll(hi_);                                                                         \
            hi_ &= hi_ - 1;                                                                                            \
            body;                                                                                                      \
        }                                                                                                              \
    } while (0)

int64_t pg_shear_runs(const uint64_t *rows, int h, int w, int off, int32_t shift0, int32_t step, int ncol,
                      int minrun)
{
    if (w > 64 || ncol <= 0)
        return -1;
    /* row r's pixel x lands in column ((x + off) 65536 - shift + 32768) >> 16
     * = x + off + ((32768 - shift) >> 16), shift = shift0 - step r */
    for (int r = 0; r < h; r += h - 1 > 0 ? h - 1 : 1) {
        int base = off + ((32768 - (shift0 - step * r)) >> 16);
        if (base < -63 || base + w > 128)
            return -1; /* outside the 128 columns (never for a real slant) */
        if (h == 1)
            break;
    }
    u128 keep = ncol >= 128 ? ~(u128)0 : (((u128)1 << ncol) - 1);
    int start[128];
    int64_t score = 0;
    u128 prev = 0;
    for (int r = 0; r <= h; r++) {
        u128 cur = 0;
        if (r < h) {
            int base = off + ((32768 - (shift0 - step * r)) >> 16);
            cur = base >= 0 ? (u128)rows[r] << base : (u128)(rows[r] >> -base);
            cur &= keep;
        }
        u128 starts = cur & ~prev, ends = prev & ~cur;
        FOR_EACH_BIT(ends, c, {
            int len = r - start[c];
            if (len >= minrun)
                score += (int64_t)len * len;
        });
        FOR_EACH_BIT(starts, c, { start[c] = r; });
        prev = cur;
    }
    return score;
}
