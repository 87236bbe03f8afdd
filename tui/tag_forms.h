/* tui/tag_forms.h — tagging a pool: add or change a tag (TagResource;
 * changing an existing value asks first) and remove one (UntagResource,
 * confirmed). Both name the pool by its ARN (api/arn.h), built from the
 * region, the account id (app_account_id; the add form asks for it when it
 * could not be found) and the pool id. The pane they were opened over is
 * reloaded after a change. */
#ifndef TUI_TAG_FORMS_H
#define TUI_TAG_FORMS_H

#include <json-c/json.h>

#include "tui/app.h"

/* `tags` ({"key": "value"}, borrowed and copied) are the pool's tags as
 * shown: a key already there asks before its value is replaced. */
void tag_add_form(struct app *a, const char *pool_id, json_object *tags);

void tag_remove_confirm(struct app *a, const char *pool_id, const char *pool_name, const char *key,
                        const char *value);

#endif
