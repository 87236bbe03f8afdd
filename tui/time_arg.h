/* tui/time_arg.h — a point in time typed on the command line (ISO 8601).
 *
 * OWNER: the lifecycle work (issue 13: prune's --modified-before and
 * --created-before).
 *
 * Accepted: `2024-01-01` (midnight UTC), `2024-01-01T13:11:06Z`, with
 * optional fractional seconds (`13:11:06.5Z`) and an offset instead of Z
 * (`+02:00`, `-0530`); `t` and `z` in lower case too. The date must exist
 * (no 2023-02-29) and the year be 1970..9999. Anything else is refused: a
 * time filter that deletes identities is never guessed from a loose reading.
 */
#ifndef TUI_TIME_ARG_H
#define TUI_TIME_ARG_H

#include <stddef.h>

/* Parses text into *epoch (seconds since 1970, UTC, with the fraction).
 * Returns 0, or -1 with a one-line reason in errbuf naming what is wrong. */
int time_arg_parse(const char *text, double *epoch, char *errbuf, size_t errsize);

/* (The other way round, epoch to text: export_iso8601() in tui/cmd_export.h.) */

#endif
