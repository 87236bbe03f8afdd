/* api/client_config.h — the client for a resolved configuration: the one
 * place that turns struct api_config (api/config.h) into
 * struct api_client_options (api/client.h), so the console and the verbs
 * never disagree on which setting goes where.
 */
#ifndef API_CLIENT_CONFIG_H
#define API_CLIENT_CONFIG_H

#include "api/client.h"
#include "api/config.h"
#include "api/error.h"

/* A client for `cfg`: its region, endpoint, CA bundle, read-only flag,
 * attempts, retry mode (adaptive or standard) and credentials provider. `cfg` must outlive the
 * client (the provider is borrowed; the strings are copied). Returns NULL with err filled (bad
 * endpoint URL, plain http to a non-loopback host). */
struct api_client *api_client_new_for_config(const struct api_config *cfg, struct api_error *err);

#endif
