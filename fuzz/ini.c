/* fuzz/ini.c — libFuzzer harness for the shared config/credentials file
 * parser (api/ini.c): any bytes give a parse or an error naming a line,
 * never a crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "api/ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ini_file f;
    struct api_error err;

    api_error_clear(&err);
    if (ini_parse((const char *)data, size, "fuzz", &f, &err) == 0) {
        /* Walk everything the parser built. */
        for (size_t i = 0; i < f.n_sections; i++)
            for (size_t j = 0; j < f.sections[i].n_entries; j++) {
                const struct ini_entry *e = &f.sections[i].entries[j];
                (void)ini_sub_find(e, "endpoint_url");
                (void)strlen(e->value);
            }
        ini_free(&f);
    } else if (!strstr(err.message, "fuzz line ") && !strstr(err.message, "out of memory")) {
        __builtin_trap(); /* every parse error names the line */
    }
    return 0;
}
