/* libFuzzer target for the CSV pen recordings reader: decode, then
 * analyse what was decoded (the shared body is in fuzz_ink_common.h). */
#include "fuzz_ink_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ink_one(data, size, PS_INK_CSV);
}
