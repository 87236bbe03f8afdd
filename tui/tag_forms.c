/* tui/tag_forms.c — add, change and remove a pool's tags (tui/tag_forms.h). */
#include "tui/tag_forms.h"

#include <stdlib.h>
#include <string.h>

#include "api/arn.h"
#include "tui/form_send.h"
#include "tui/json_get.h"
#include "tui/model_field.h"
#include "tui/view_dialog.h"
#include "tui/view_form.h"

static const struct model_member tag_key = {"TagResource", "Tags{key}"};
static const struct model_member tag_value = {"TagResource", "Tags{value}"};
static const struct model_member account = {"GetId", "AccountId"};

struct tagging {
    char *pool_id;
    json_object *tags; /* as shown when the form opened */
};

static void tagging_free(void *p)
{
    struct tagging *t = p;
    free(t->pool_id);
    json_object_put(t->tags);
    free(t);
}

/* A guess for the form: the account of the pool's OpenID Connect or SAML
 * provider ARNs, when its description is read. The admin sees it and may
 * correct it. */
static void account_guess(struct app *a, char *buf, size_t cap)
{
    static const char *const lists[] = {"OpenIdConnectProviderARNs", "SamlProviderARNs"};
    buf[0] = '\0';
    for (size_t l = 0; l < 2; l++) {
        json_object *arns = jarr(app_pool_desc(a), lists[l]);
        for (size_t i = 0; arns && i < json_object_array_length(arns); i++)
            if (api_account_from_arn(jitem_str(arns, i), buf, cap, NULL, 0))
                return;
    }
    buf[0] = '\0';
}

static json_object *tag_input(struct app *a, const char *pool_id, const char *key,
                              const char *value)
{
    char arn[600];
    if (api_pool_arn(a->cfg.region, app_account_id(a), pool_id, arn, sizeof arn) < 0)
        arn[0] = '\0';
    json_object *in = json_object_new_object(), *tags = json_object_new_object();
    json_object_object_add(in, "ResourceArn", json_object_new_string(arn));
    json_object_object_add(tags, key, json_object_new_string(value));
    json_object_object_add(in, "Tags", tags);
    return in;
}

static unsigned tag_submit(struct app *a, struct view *v, void *ctx)
{
    struct tagging *t = ctx;
    struct form *f = view_form_of(v);
    if (!app_account_id(a) && app_account_set(a, form_text(f, "AccountId")) != 0) {
        form_set_error(f, "AccountId", "12 digits");
        return RES_REDRAW;
    }
    const char *key = form_text(f, "Key"), *value = form_text(f, "Value");
    const char *old = jstr(t->tags, key);
    json_object *in = tag_input(a, t->pool_id, key, value);
    struct form_send_opts o = {.op = "TagResource", .label = "Tag"};
    if (!old) {
        form_send(a, v, in, &o);
        return RES_REDRAW;
    }
    if (!strcmp(old, value)) {
        json_object_put(in);
        form_set_error(f, NULL, "The tag already has this value: nothing to send.");
        return RES_REDRAW;
    }
    char text[1200];
    snprintf(text, sizeof text, "The tag \"%.200s\" is \"%.300s\" now. Replace it with \"%.300s\"?",
             key, old, value);
    form_confirm_send(a, v, in, &o, "Change a tag", text);
    return RES_REDRAW;
}

void tag_add_form(struct app *a, const char *pool_id, json_object *tags)
{
    struct form *f = form_new("Add or change a tag");
    struct tagging *t = calloc(1, sizeof *t);
    if (!f || !t) {
        form_delete(f);
        free(t);
        return;
    }
    t->pool_id = app_strdup(pool_id);
    if (tags)
        json_object_deep_copy(tags, &t->tags, NULL);
    model_add_text(f, "Key", "Key", "", FORM_REQUIRED, &tag_key);
    form_set_hint(f, "Key", "1-128 characters; an existing key gets the new value (asked first)");
    model_add_text(f, "Value", "Value", "", 0, &tag_value);
    if (!app_account_id(a)) {
        /* The fallback: the account could not be found, so the admin says it. */
        char guess[16];
        account_guess(a, guess, sizeof guess);
        model_add_text(f, "AccountId", "Account id (for the pool's ARN)", guess, FORM_REQUIRED,
                       &account);
        form_set_hint(f, "AccountId", "not found (the Tags pane says why); asked once");
    }
    view_form_open(a, f, 0, tag_submit, t, tagging_free);
}

struct untag {
    char *key;
};

static void untag_free(void *p)
{
    struct untag *u = p;
    free(u->key);
    free(u);
}

static void untagged(struct app *a, json_object *out, void *ctx)
{
    (void)out;
    struct untag *u = ctx;
    app_status(a, STATUS_OK, "Tag %s removed.", u->key);
}

void tag_remove_confirm(struct app *a, const char *pool_id, const char *pool_name, const char *key,
                        const char *value)
{
    if (!app_account_id(a)) {
        app_status(a, STATUS_WARN,
                   "The account id is not known (%.300s): add a tag once (it asks), or set "
                   "AWS_ACCOUNT_ID or aws_account_id.",
                   a->account_error[0] ? a->account_error : "not found");
        return;
    }
    struct untag *u = calloc(1, sizeof *u);
    char arn[600];
    if (!u || api_pool_arn(a->cfg.region, app_account_id(a), pool_id, arn, sizeof arn) < 0) {
        free(u);
        return;
    }
    u->key = app_strdup(key);
    json_object *in = json_object_new_object(), *keys = json_object_new_array();
    json_object_object_add(in, "ResourceArn", json_object_new_string(arn));
    json_object_array_add(keys, json_object_new_string(key));
    json_object_object_add(in, "TagKeys", keys);
    char text[900];
    snprintf(text, sizeof text,
             "Remove the tag \"%.200s\" (value \"%.300s\") from pool \"%.200s\"?", key,
             value ? value : "", pool_name ? pool_name : "");
    struct form_send_opts o = {.op = "UntagResource",
                               .label = "Remove",
                               .after = untagged,
                               .ctx = u,
                               .free_ctx = untag_free};
    form_confirm_send(a, NULL, in, &o, "Remove tag", text);
}
