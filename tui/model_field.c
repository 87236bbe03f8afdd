/* tui/model_field.c — form validators from the service model (tui/model_field.h). */
#include "tui/model_field.h"

#include <stdio.h>
#include <string.h>

#include "api/arn.h"
#include "api/operations.h"
#include "api/validate.h"

const char *model_check(void *member, const char *value)
{
    static char why[sizeof((struct api_error *)0)->message];
    const struct model_member *m = member;
    struct api_error err;
    if (!m || api_validate_member(m->op, m->member, value, &err) == 0)
        return NULL;
    /* "Member: must ..." -> "must ...": the form shows it under the field. */
    const char *msg = err.message;
    size_t n = strlen(m->member);
    if (!strncmp(msg, m->member, n) && !strncmp(msg + n, ": ", 2))
        msg += n + 2;
    snprintf(why, sizeof why, "%s", msg);
    return why;
}

const char *model_check_role_arn(void *member, const char *value)
{
    const char *why = model_check(member, value);
    return why ? why : api_role_arn_problem(value);
}

int model_add_text(struct form *f, const char *key, const char *label, const char *value,
                   unsigned flags, const struct model_member *m)
{
    return form_add_text(f, key, label, value, flags, model_check, (void *)m);
}

const char *const *model_choices(const struct model_member *m, size_t *n)
{
    const struct api_shape *sh = api_shape_at(api_member_shape(m->op, m->member));
    *n = sh && sh->n_enum > 0 ? (size_t)sh->n_enum : 0;
    return *n ? sh->enum_values : NULL;
}

int model_add_choice(struct form *f, const char *key, const char *label, const char *value,
                     const struct model_member *m)
{
    size_t n, at = 0;
    const char *const *choices = model_choices(m, &n);
    if (!choices)
        return -1;
    for (size_t i = 0; value && i < n; i++)
        if (!strcmp(choices[i], value))
            at = i;
    return form_add_choice(f, key, label, choices, n, at);
}
