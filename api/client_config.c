/* api/client_config.c — a client from a resolved configuration (api/client_config.h). */
#include "api/client_config.h"

#include <string.h>

struct api_client *api_client_new_for_config(const struct api_config *cfg, struct api_error *err)
{
    struct api_client_options o;
    memset(&o, 0, sizeof o);
    o.region = cfg->region;
    o.endpoint_url = cfg->endpoint_url;
    o.ca_bundle = cfg->ca_bundle;
    o.read_only = cfg->read_only;
    o.max_attempts = cfg->max_attempts;
    o.adaptive = cfg->retry_mode == API_RETRY_MODE_ADAPTIVE;
    o.credentials = cfg->credentials;
    return api_client_new(&o, err);
}
