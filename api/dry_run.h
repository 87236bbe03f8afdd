/* api/dry_run.h — the text of the request `call --dry-run` prints
 * (DESIGN.md "Command line").
 *
 * Built on api_client_prepare() (api/client.h): the same checks and signing
 * as a real call, nothing sent.
 */
#ifndef API_DRY_RUN_H
#define API_DRY_RUN_H

#include <json-c/json.h>

#include "api/client.h"
#include "api/error.h"

/* Runs every check a real call would (table, read-only guard, validation),
 * signs at the current time, and writes the request that would be sent to
 * *text (malloc'd; caller frees): method and URL, headers one a line with the
 * signature and every secret (session token) redacted, a blank line, the
 * body with the members the model marks sensitive redacted. Sends nothing.
 * Returns 0, or -1 with err filled and *text NULL. */
int api_dry_run(struct api_client *c, const char *operation, json_object *input, char **text,
                struct api_error *err);

#endif
