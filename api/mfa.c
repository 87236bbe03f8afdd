/* api/mfa.c — an MFA question asked asynchronously (contract in api/mfa.h). */
#include "api/mfa.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_loop.h"

struct api_mfa_question {
    struct api_mfa_asker asker;
    struct cred_watch *turn; /* the deferred call: ask, then resume */
    mfa_answered_fn answered_fn;
    void *ctx;
    char serial[256];
    char code[64];
    bool asked, answered, given;
};

static void question_free(struct api_mfa_question *q)
{
    cred_watch_remove(q->turn);
    OPENSSL_cleanse(q->code, sizeof q->code);
    free(q);
}

static void on_turn(void *ctx, short revents)
{
    struct api_mfa_question *q = ctx;

    (void)revents;
    if (!q->asked) {
        q->asked = true;
        q->asker.ask(q->asker.ctx, q, q->serial); /* may answer at once */
        return;
    }
    if (q->answered) {
        mfa_answered_fn fn = q->answered_fn;
        void *fn_ctx = q->ctx;
        char code[sizeof q->code];
        bool given = q->given;
        memcpy(code, q->code, sizeof code);
        question_free(q);
        fn(fn_ctx, given ? code : NULL);
        OPENSSL_cleanse(code, sizeof code);
    }
}

struct api_mfa_question *mfa_question_ask(struct cred_loop *loop, const struct api_mfa_asker *asker,
                                          const char *serial, mfa_answered_fn answered, void *ctx)
{
    struct api_mfa_question *q = calloc(1, sizeof *q);

    if (!q)
        return NULL;
    q->asker = *asker;
    q->answered_fn = answered;
    q->ctx = ctx;
    snprintf(q->serial, sizeof q->serial, "%s", serial);
    q->turn = cred_loop_watch(loop, -1, 0, 0, on_turn, q);
    if (!q->turn) {
        free(q);
        return NULL;
    }
    return q;
}

void api_mfa_answer(struct api_mfa_question *q, const char *code)
{
    if (!q || q->answered)
        return;
    q->answered = true;
    q->given = code && code[0] && strlen(code) < sizeof q->code;
    if (q->given)
        memcpy(q->code, code, strlen(code) + 1);
    cred_watch_set_deadline(q->turn, 0);
}

void mfa_question_withdraw(struct api_mfa_question *q)
{
    if (!q)
        return;
    if (q->asked && !q->answered && q->asker.withdraw)
        q->asker.withdraw(q->asker.ctx, q);
    question_free(q);
}
