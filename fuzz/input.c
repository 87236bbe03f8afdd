/* fuzz/input.c — libFuzzer harness for what a user types on the command
 * line: the argument parser (tui/options.c) with the export's checks on its
 * words (tui/cmd_export.c), and the JSON input of `call` (tui/input_json.c).
 * Byte 0 picks the parser; for the command line the rest is split at NUL
 * bytes into arguments.
 * Properties beyond "no crash, no leak, no sanitizer report":
 *   - a refused command line is described (the message may quote what was
 *     typed, newlines included: cli_report() escapes it to one line);
 *   - JSON input gives an object, or NULL with one line naming the source.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/cmd_export.h"
#include "tui/input_json.h"
#include "tui/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok)
{
    if (!ok)
        abort();
}

static void command_line(const char *text, size_t len)
{
    const char *argv[34] = {"cognito-tui"};
    int argc = 1;
    struct command_line cl;
    char why[512];

    for (size_t i = 0; i < len && argc < 33;) {
        argv[argc++] = text + i;
        i += strlen(text + i) + 1;
    }
    argv[argc] = NULL;
    if (options_parse(argc, argv, &cl, why, sizeof why) < 0) {
        require(why[0] != '\0');
        return;
    }
    if (cl.verb == CLI_EXPORT && export_check(&cl.export_, why, sizeof why) < 0)
        require(why[0] != '\0');
}

static void json_input(const char *text, size_t len)
{
    char why[512];
    json_object *o = input_json_parse(text, len, "fuzz input", why, sizeof why);

    if (o) {
        require(json_object_is_type(o, json_type_object));
        json_object_put(o);
    } else {
        require(strstr(why, "fuzz input") != NULL && strchr(why, '\n') == NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *text = malloc(size + 1); /* NUL-terminated, with a spare NUL for argv */
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = text[size] = '\0';
    if (data[0] & 1)
        json_input(text, size - 1);
    else
        command_line(text, size - 1);
    free(text);
    return 0;
}
