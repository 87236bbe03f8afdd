/* tui/principal_tags.h — principal tag attribute maps of a pool's
 * providers: the provider chosen among the pool's own (or typed), the map
 * read (GetPrincipalTagAttributeMap), edited, its changes shown, then sent
 * (SetPrincipalTagAttributeMap). In read-only mode the map is only shown. */
#ifndef TUI_PRINCIPAL_TAGS_H
#define TUI_PRINCIPAL_TAGS_H

#include <stddef.h>

#include <json-c/json.h>

#include "tui/app.h"

/* Reads the pool (for its providers), then asks which provider. */
void principal_tags_open(struct app *a, const char *pool_id);

/* The providers a pool's description names, in order: its Cognito user
 * pools, its login providers, its OpenID Connect and SAML provider ARNs.
 * Fills at most `max` pointers into `desc` and returns how many. */
size_t pool_providers(json_object *desc, const char **out, size_t max);

#endif
