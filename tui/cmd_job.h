/* tui/cmd_job.h — what the bulk-job verbs (inventory, prune) share: the
 * client paced by a capped adaptive rate limiter, and the loop that drives
 * a job to its end with Ctrl-C stopping it cleanly.
 *
 * OWNER: the lifecycle work (issue 13).
 */
#ifndef TUI_CMD_JOB_H
#define TUI_CMD_JOB_H

#include <stdbool.h>

#include "api/client.h"
#include "api/rate_limiter.h"

/* Exit code of a job stopped by Ctrl-C (128 + SIGINT, as shells report it). */
#define CMD_JOB_EXIT_STOPPED 130

/* A bulk job's limiter: paced at `share_percent` of the published quotas
 * from the first request, CUBIC after a throttle (api/rate_limiter.h); set
 * on the client. NULL when out of memory. The caller unsets it
 * (api_client_set_rate_limiter(c, NULL)) and frees it. */
struct api_rate_limiter *cmd_job_limiter(struct api_client *c, int share_percent);

struct cmd_job_driver {
    bool (*finished)(void *job);
    void (*stop)(void *job);  /* first Ctrl-C (SIGINT/SIGTERM/SIGHUP) */
    void (*abort)(void *job); /* second one */
    /* Called between rounds while the job waits on the owner (prune's
     * confirmation); may be NULL. */
    void (*idle)(void *job);
    void *job;
};

/* Drives the client until the job says it finished. While it runs,
 * SIGINT, SIGTERM and SIGHUP are caught (the previous handlers are put
 * back after). Returns the number of interrupts seen (0: ran to its end). */
int cmd_job_drive(struct api_client *c, const struct cmd_job_driver *d);

#endif
