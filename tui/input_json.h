/* tui/input_json.h — the JSON argument of `call`: inline text, @FILE, or -
 * (stdin).
 *
 * Contract: input_json_load() returns a new json-c object (caller owns it)
 * that is a JSON object, or NULL with one line in errbuf saying where and
 * what is wrong: "input JSON, line 2, column 7: unexpected character", a
 * file that cannot be read (naming it), input that is not an object, text
 * after the value. NULL `arg` means no argument: an empty object.
 * Inputs over INPUT_JSON_MAX bytes are refused (the API's own limits are far
 * below that).
 */
#ifndef TUI_INPUT_JSON_H
#define TUI_INPUT_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#define INPUT_JSON_MAX ((size_t)4 * 1024 * 1024)

json_object *input_json_load(const char *arg, FILE *stdin_stream, char *errbuf, size_t errsize);

/* Parses `len` bytes of text; `what` names the source in messages. */
json_object *input_json_parse(const char *text, size_t len, const char *what, char *errbuf,
                              size_t errsize);

#endif
