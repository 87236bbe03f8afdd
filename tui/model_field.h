/* tui/model_field.h — form fields checked by the service model: the
 * validator of every field that holds a model member is
 * api_validate_member() (api/validate.h), so a form and `call` accept and
 * refuse exactly the same values.
 *
 * A field names its member once, as a `struct model_member` (operation and
 * member path, in api_validate_member's syntax) that must outlive the form
 * (a static const is the usual). model_check is a form validator
 * (widgets/form.h) taking that struct as its context; its message is the
 * model's, without the member path (the form shows it under the field). */
#ifndef TUI_MODEL_FIELD_H
#define TUI_MODEL_FIELD_H

#include "widgets/form.h"

struct model_member {
    const char *op;     /* "CreateIdentityPool" */
    const char *member; /* "IdentityPoolName", "Roles{value}", ... */
};

/* form_validator: NULL when the value passes, else why (valid until the
 * next call). */
const char *model_check(void *member, const char *value);

/* The same, then api_role_arn_problem() (api/arn.h): for role ARNs, whose
 * model shape has a length and no pattern. */
const char *model_check_role_arn(void *member, const char *value);

/* The enum values the model allows for member `m` (into the model's table;
 * *n set), or NULL with *n 0 when the member is no enum. */
const char *const *model_choices(const struct model_member *m, size_t *n);

/* form_add_choice of the model's enum values, `value` selected (the first
 * when absent or unknown). -1 when the member is no enum, or out of memory. */
int model_add_choice(struct form *f, const char *key, const char *label, const char *value,
                     const struct model_member *m);

/* form_add_text with model_check as the validator. Returns the field index or -1. */
int model_add_text(struct form *f, const char *key, const char *label, const char *value,
                   unsigned flags, const struct model_member *m);

#endif
