/* tui/doctor_job.h — the credential doctor (api/doctor.h) run from the
 * console's event loop, so the screen never waits for it.
 *
 * Offline (doctor_job_start): api_doctor_run() over a memo source
 * (api/doctor_memo.h) at one `now`; each run that misses reads starts them
 * all at once, and the doctor runs again when they are in, until a run
 * misses nothing: only that run's report is handed over. The reads:
 * cognito-identity through app_call() (foreground: the status line shows
 * it, Esc cancels it), IAM through api_query_start() on an IAM client of
 * the job's, the key set through api_user_pool_jwks_start(); the last two
 * run on the loop of the settings' credentials (api/query_loop.h), which
 * the console's client drives, so the console loop needs nothing more.
 *
 * Live (doctor_job_live): GetId (GetOpenIdTokenForDeveloperIdentity for a
 * developer user) then GetCredentialsForIdentity, through app_call(): the
 * api guard refuses them in read-only mode (nothing sent), app_call()
 * journals each call that was sent, whatever its outcome (an answer lost:
 * "outcome unknown"), and neither is ever sent again by the job. The
 * verdict is api_doctor_live_record()'s, as the blocking path's.
 *
 * Events (the owner's `event` callback, from inside the loop's perform or
 * from a cancel): DOCTOR_JOB_PROGRESS when what it reads changes
 * (doctor_job_reading()); then exactly one of DONE (the report is filled),
 * FAILED (err: the pool could not be read, or the live step was stopped
 * before the service answered; the report is as it was) or STOPPED (Esc
 * cancelled its foreground request; nothing was filled). After the end the
 * job does nothing more; the owner frees it.
 *
 * Ownership: pool_id, login and report are borrowed and must outlive the
 * job. doctor_job_free() stops whatever is in flight (no event follows)
 * and may be called from the event callback of a cognito-identity read
 * (DONE, FAILED, STOPPED), never from elsewhere inside one of the job's
 * callbacks: the owner's view closing is fine, it closes from keys or from
 * those events. While it runs it counts in a->jobs (the spinner turns, and
 * quitting asks first).
 */
#ifndef TUI_DOCTOR_JOB_H
#define TUI_DOCTOR_JOB_H

#include <time.h>

#include "api/doctor.h"
#include "tui/app.h"

enum doctor_job_event {
    DOCTOR_JOB_PROGRESS,
    DOCTOR_JOB_DONE,
    DOCTOR_JOB_FAILED,
    DOCTOR_JOB_STOPPED
};

typedef void (*doctor_job_event_fn)(struct app *a, void *ctx, enum doctor_job_event ev,
                                    const struct api_error *err);

struct doctor_job;

/* Starts the offline steps. Returns 0 with *out running (its events come
 * from the loop, never inside this call); or, when it ended at once
 * (*out NULL then, no event): 1 with the report filled, or -1 with err
 * (the pool could not be read: a read refused before sending, such as no
 * credentials; out of memory). */
int doctor_job_start(struct app *a, const char *pool_id, const struct api_doctor_login *login,
                     time_t now, struct api_doctor_report *report, doctor_job_event_fn event,
                     void *ctx, struct doctor_job **out, struct api_error *err);

/* Starts the live step after a DONE offline job's `report`. NULL with err
 * when the first call is refused before sending (read-only: API_ERR_READ_ONLY). */
struct doctor_job *doctor_job_live(struct app *a, const char *pool_id,
                                   const struct api_doctor_login *login,
                                   struct api_doctor_report *report, doctor_job_event_fn event,
                                   void *ctx, struct api_error *err);

/* Whether it has not ended yet. */
bool doctor_job_running(const struct doctor_job *j);

/* What it waits for now, for people ("the role's trust policy (IAM
 * GetRole)"), or "" when nothing. */
const char *doctor_job_reading(const struct doctor_job *j);

/* Stops and frees it (see above). NULL is fine. */
void doctor_job_free(struct doctor_job *j);

#endif
