/* tui/options.h — the global command-line options (DESIGN.md "Command line").
 *
 * OWNER: the command-line verbs work (tui/main.c, tui/options.c).
 * Parsed once in main(); the console (tui/console.h) and the verbs read them.
 */
#ifndef TUI_OPTIONS_H
#define TUI_OPTIONS_H

#include <stdbool.h>

#include "api/config.h"

struct global_options {
    struct api_config_options config; /* --profile, --region, --endpoint-url, --read-only */
    const char *theme;                /* --theme NAME or path; NULL = default */
};

#endif
