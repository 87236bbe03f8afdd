/* api/pagination.c — the NextToken rule and the blocking walk over every
 * page (api/pagination.h).
 *
 * The set of tokens seen is a json-c object used as a hash set, keyed by the
 * hex of the first 16 bytes of each token's SHA-256: a server may send tokens
 * of 64 KiB (the model's limit), and a walk of a huge pool has thousands. */
#include "api/pagination.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define DIGEST_BYTES 16

static int token_key(const char *token, char key[2 * DIGEST_BYTES + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL) != 1 || n < DIGEST_BYTES)
        return -1;
    for (size_t i = 0; i < DIGEST_BYTES; i++)
        snprintf(key + 2 * i, 3, "%02x", md[i]);
    return 0;
}

static enum api_page_step end_walk(struct api_page_walk *w, enum api_page_step step)
{
    free(w->token);
    w->token = NULL;
    return step;
}

enum api_page_step api_page_advance(struct api_page_walk *w, json_object *page)
{
    json_object *tok;
    const char *next = NULL;
    char key[2 * DIGEST_BYTES + 1];
    char *copy;

    w->pages++;
    if (json_object_object_get_ex(page, "NextToken", &tok) &&
        json_object_is_type(tok, json_type_string))
        next = json_object_get_string(tok);
    if (!next || !*next)
        return end_walk(w, API_PAGE_DONE);
    if (!w->seen && !(w->seen = json_object_new_object()))
        return end_walk(w, API_PAGE_NO_MEMORY);
    if (token_key(next, key) < 0)
        return end_walk(w, API_PAGE_NO_MEMORY);
    if (json_object_object_get_ex(w->seen, key, NULL))
        return end_walk(w, API_PAGE_REPEATED);
    if (json_object_object_add_ex(w->seen, key, NULL, JSON_C_OBJECT_ADD_KEY_IS_NEW) != 0 ||
        !(copy = strdup(next)))
        return end_walk(w, API_PAGE_NO_MEMORY);
    free(w->token);
    w->token = copy;
    return API_PAGE_NEXT;
}

void api_page_walk_free(struct api_page_walk *w)
{
    free(w->token);
    json_object_put(w->seen);
    memset(w, 0, sizeof *w);
}

int api_page_error(enum api_page_step step, const struct api_page_walk *w, const char *operation,
                   struct api_error *err)
{
    if (step == API_PAGE_REPEATED)
        return api_error_set(err, API_ERR_HTTP,
                             "%s: page %lu gave a NextToken an earlier page of this listing gave: "
                             "stopped, as following it would never end (the listing may be "
                             "incomplete)",
                             operation, w->pages);
    if (step == API_PAGE_NO_MEMORY)
        return api_error_set(err, API_ERR_INVALID_INPUT, "%s: out of memory following NextToken",
                             operation);
    return 0;
}

int api_paginate(struct api_client *c, const char *operation, json_object *input,
                 api_page_fn on_page, void *ctx, struct api_error *err)
{
    json_object *in = input ? json_object_get(input) : json_object_new_object();
    struct api_page_walk walk = API_PAGE_WALK_INIT;
    int rc = -1;

    if (!in)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    if (input) {
        json_object *copy = NULL;
        json_object_put(in);
        if (json_object_deep_copy(input, &copy, NULL) != 0 || !copy)
            return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        in = copy;
    }
    for (;;) {
        json_object *page = NULL;
        if (api_call(c, operation, in, &page, err) != 0)
            break;
        char rid[sizeof err->request_id];
        snprintf(rid, sizeof rid, "%s", err->request_id);
        int stop = on_page(ctx, page, err);
        if (stop < 0) {
            json_object_put(page);
            break;
        }
        enum api_page_step step = stop > 0 ? API_PAGE_DONE : api_page_advance(&walk, page);
        bool done = step == API_PAGE_DONE;
        json_object_put(page);
        if (api_page_error(step, &walk, operation, err) < 0) {
            snprintf(err->request_id, sizeof err->request_id, "%s", rid);
            break;
        }
        if (step == API_PAGE_NEXT &&
            json_object_object_add(in, "NextToken", json_object_new_string(walk.token)) != 0) {
            api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
            break;
        }
        if (done) {
            api_error_clear(err);
            snprintf(err->request_id, sizeof err->request_id, "%s", rid);
            rc = 0;
            break;
        }
    }
    api_page_walk_free(&walk);
    json_object_put(in);
    return rc;
}
