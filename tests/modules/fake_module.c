/* penscope-fake.so: a module with a known table, for the loader's tests
 * (tests/unit/test_core_module.c): ABI 7, a 32-byte table whose value field
 * proves the right object was loaded. */
#include "core/module.h"

typedef struct fake_table {
    ps_module_head head;
    uint32_t value;
    uint32_t pad[5];
} fake_table;

static const fake_table table = {{7, sizeof(fake_table)}, 0xfeedu, {0}};

__attribute__((visibility("default"))) const fake_table *penscope_module_fake(void)
{
    return &table;
}
