#include "api/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void api_error_clear(struct api_error *err)
{
    memset(err, 0, sizeof *err);
}

int api_error_set(struct api_error *err, enum api_error_kind kind, const char *fmt, ...)
{
    va_list ap;

    api_error_clear(err);
    err->kind = kind;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

const char *api_error_kind_name(enum api_error_kind kind)
{
    switch (kind) {
    case API_ERR_NONE:
        return "OK";
    case API_ERR_TRANSPORT:
        return "Transport";
    case API_ERR_TLS:
        return "TLS";
    case API_ERR_HTTP:
        return "HTTP";
    case API_ERR_AWS:
        return "AWS";
    case API_ERR_READ_ONLY:
        return "ReadOnly";
    case API_ERR_INVALID_INPUT:
        return "InvalidInput";
    case API_ERR_CANCELLED:
        return "Cancelled";
    case API_ERR_CREDENTIALS:
        return "Credentials";
    }
    return "Unknown";
}

int api_error_exit_code(const struct api_error *err)
{
    if (err->kind != API_ERR_NONE && err->outcome_unknown)
        return 6;
    switch (err->kind) {
    case API_ERR_NONE:
        return 0;
    case API_ERR_INVALID_INPUT:
        return 2;
    case API_ERR_READ_ONLY:
        return 3;
    case API_ERR_TRANSPORT:
    case API_ERR_TLS:
        return 4;
    case API_ERR_CREDENTIALS:
        return 5;
    case API_ERR_AWS:
    case API_ERR_HTTP:
    case API_ERR_CANCELLED:
        return 1;
    }
    return 1;
}

char *api_error_format(const struct api_error *err, char *buf, unsigned long size)
{
    const char *kind =
        err->kind == API_ERR_AWS && err->code[0] ? err->code : api_error_kind_name(err->kind);
    char status[32] = "";

    if (err->kind == API_ERR_HTTP && err->http_status)
        snprintf(status, sizeof status, "HTTP %ld: ", err->http_status);
    if (err->request_id[0])
        snprintf(buf, size, "%s: %s%s (request id %s)", kind, status, err->message,
                 err->request_id);
    else
        snprintf(buf, size, "%s: %s%s", kind, status, err->message);
    return buf;
}
