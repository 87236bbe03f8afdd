/* api/mfa.h — asking the user for the code of an MFA device, when an
 * assumed role has mfa_serial.
 *
 * Two ways, both given through api_config_options (api/config.h):
 *  - api_mfa_prompt_fn, synchronous: the verbs read the terminal without
 *    echo. Used by the blocking wrappers (api_credentials_get(), api_call(),
 *    api_account_id()), and whenever no asker is given.
 *  - struct api_mfa_asker, asynchronous: the console opens a dialog and
 *    answers later, its loop running meanwhile. ask() is called from inside
 *    api_credentials_perform() (so from api_client_perform()), never from
 *    inside the call that started the request; it shows the question and
 *    returns at once. The console then calls api_mfa_answer(q, code), or
 *    api_mfa_answer(q, NULL) when the user cancelled, exactly once — unless
 *    withdraw(ctx, q) came first (the request was cancelled, e.g. Esc):
 *    then q is gone and must not be answered. The fetch resumes at the next
 *    api_credentials_perform(): api_mfa_answer() never calls back.
 * The code is copied, and wiped once sent; serials are ARNs or serial
 * numbers, never secrets.
 */
#ifndef API_MFA_H
#define API_MFA_H

#include <stddef.h>

/* Writes the code, NUL-terminated, into `code` (at most `size` bytes).
 * Returns 0, or -1 when the user cancelled or no code can be read (the
 * credentials then fail with API_ERR_CREDENTIALS). */
typedef int (*api_mfa_prompt_fn)(void *ctx, const char *serial, char *code, size_t size);

struct api_mfa_question;

struct api_mfa_asker {
    void (*ask)(void *ctx, struct api_mfa_question *q, const char *serial);
    void (*withdraw)(void *ctx, struct api_mfa_question *q);
    void *ctx;
};

/* The user's answer to q: the code, or NULL when they cancelled. */
void api_mfa_answer(struct api_mfa_question *q, const char *code);

/* ---- Private to api/ (the assumed-role source) ---- */

struct cred_loop;

/* Called at the next loop turn after the answer: `code` (NULL when none was
 * given) is wiped right after the call. The question is gone after it. */
typedef void (*mfa_answered_fn)(void *ctx, const char *code);

/* Asks, at the next turn of `loop`, through `asker` (copied). NULL when out
 * of memory. */
struct api_mfa_question *mfa_question_ask(struct cred_loop *loop, const struct api_mfa_asker *asker,
                                          const char *serial, mfa_answered_fn answered, void *ctx);

/* The fetch no longer needs the answer: the asker is told (withdraw) unless
 * it answered already; q is freed. NULL is fine. */
void mfa_question_withdraw(struct api_mfa_question *q);

#endif
