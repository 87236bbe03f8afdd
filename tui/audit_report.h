/* tui/audit_report.h — the audit's findings written out: table (people at
 * a terminal), JSON, CSV, SARIF 2.1.0 (CI systems), Markdown (a report).
 *
 * JSON: {"generated_at", "account", "regions", "pools_audited",
 *        "findings": [{"check", "severity", "region", "pool_id", "pool_name",
 *                      "resource", "title", "evidence", "fix"}]}
 *   evidence is JSON (the policy statement or the setting); fix is text (for
 *   trust findings it ends with the corrected trust policy to paste).
 * CSV: those finding keys as columns (evidence as compact JSON), one row a
 *   finding, through tui/csv.h.
 * SARIF 2.1.0: one run; the driver lists every check as a rule (id, name,
 *   descriptions, help = the fix, level); one result per finding, ruleId =
 *   the check id, level from the severity (high: error, medium: warning,
 *   low and info: note), the pool's ARN as its location (artifact URI and
 *   logical location).
 * Markdown: a summary, then the findings grouped by pool, each with its
 *   evidence in a code block and its fix.
 *
 * `terminal`: the output is a terminal: service text is escaped
 * (tui/csv.h's rules) so it cannot drive the terminal. Returns 0, or -1 on
 * a write error.
 */
#ifndef TUI_AUDIT_REPORT_H
#define TUI_AUDIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "tui/audit_checks.h"

enum audit_format {
    AUDIT_FORMAT_TABLE,
    AUDIT_FORMAT_JSON,
    AUDIT_FORMAT_CSV,
    AUDIT_FORMAT_SARIF,
    AUDIT_FORMAT_MARKDOWN,
};

/* "table", "json", "csv", "sarif", "markdown": 0 with *out, or -1. */
int audit_format_parse(const char *text, enum audit_format *out);

struct audit_report_meta {
    const char *generated_at; /* ISO 8601 UTC */
    const char *account;      /* 12 digits, or NULL when unknown */
    const char *const *regions;
    size_t n_regions;
    size_t pools_audited;
};

/* The JSON document above (new object, caller puts). */
json_object *audit_report_json(const struct audit_report_meta *m, const struct audit_findings *f);

/* The SARIF log (new object, caller puts). */
json_object *audit_report_sarif(const struct audit_report_meta *m, const struct audit_findings *f);

/* The ARN of a finding's pool (arn:PARTITION:cognito-identity:REGION:ACCOUNT:identitypool/ID;
 * the account left empty when unknown, the id "*" for a Region-wide finding). */
void audit_pool_arn(const struct audit_finding *x, const char *account, char *buf, size_t size);

int audit_report_write(FILE *out, enum audit_format fmt, const struct audit_report_meta *m,
                       const struct audit_findings *f, bool terminal);

#endif
