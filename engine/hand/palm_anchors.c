/* SSD anchors of the 192x192 palm detector (SsdAnchorsCalculator options of
 * palm_detection_cpu.pbtxt): 4 layers with strides 8,16,16,16; layers of
 * equal stride share a grid; 2 anchors per layer and cell (aspect 1 plus the
 * interpolated scale); fixed anchor size, so only centres matter. */
#include "hand/palm.h"
#include <math.h>

void ps_palm_anchors(ps_palm_anchor out[PS_PALM_ANCHORS])
{
    static const int strides[] = {8, 16, 16, 16};
    const int nlayers = (int)(sizeof strides / sizeof *strides);
    int n = 0;
    for (int layer = 0; layer < nlayers;) {
        int last = layer, per_cell = 0;
        while (last < nlayers && strides[last] == strides[layer]) {
            per_cell += 2;
            last++;
        }
        int fm = (PS_PALM_INPUT + strides[layer] - 1) / strides[layer];
        for (int y = 0; y < fm; y++)
            for (int x = 0; x < fm; x++)
                for (int a = 0; a < per_cell && n < PS_PALM_ANCHORS; a++) {
                    out[n].x = (x + 0.5f) / fm;
                    out[n].y = (y + 0.5f) / fm;
                    n++;
                }
        layer = last;
    }
}
