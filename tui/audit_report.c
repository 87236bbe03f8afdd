/* tui/audit_report.c — see audit_report.h. */
#include "tui/audit_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/arn.h"
#include "tui/csv.h"

#ifndef COGNITO_TUI_VERSION
#define COGNITO_TUI_VERSION "0.1.0"
#endif

#define JSON_OUT                                                                                   \
    (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)
#define JSON_LINE (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static const char *const format_names[] = {"table", "json", "csv", "sarif", "markdown"};

int audit_format_parse(const char *text, enum audit_format *out)
{
    for (int i = 0; text && i < 5; i++)
        if (strcmp(text, format_names[i]) == 0) {
            *out = (enum audit_format)i;
            return 0;
        }
    return -1;
}

static json_object *str(const char *s)
{
    return json_object_new_string(s ? s : "");
}

static json_object *copy(json_object *v)
{
    json_object *c = NULL;
    if (!v || json_object_deep_copy(v, &c, NULL) != 0)
        return json_object_new_null();
    return c;
}

json_object *audit_report_json(const struct audit_report_meta *m, const struct audit_findings *f)
{
    json_object *doc = json_object_new_object(), *regions = json_object_new_array();
    json_object *list = json_object_new_array();

    json_object_object_add(doc, "generated_at", str(m->generated_at));
    json_object_object_add(doc, "account",
                           m->account && m->account[0] ? str(m->account) : json_object_new_null());
    for (size_t i = 0; i < m->n_regions; i++)
        json_object_array_add(regions, str(m->regions[i]));
    json_object_object_add(doc, "regions", regions);
    json_object_object_add(doc, "pools_audited", json_object_new_int64((int64_t)m->pools_audited));
    for (size_t i = 0; i < f->n; i++) {
        const struct audit_finding *x = &f->v[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "check", str(x->check->id));
        json_object_object_add(o, "severity", str(audit_severity_name(x->check->severity)));
        json_object_object_add(o, "region", str(x->region));
        json_object_object_add(o, "pool_id", str(x->pool_id));
        json_object_object_add(o, "pool_name", str(x->pool_name));
        json_object_object_add(o, "resource", str(x->resource));
        json_object_object_add(o, "title", str(x->title));
        json_object_object_add(o, "evidence", copy(x->evidence));
        json_object_object_add(o, "fix", str(x->fix));
        json_object_array_add(list, o);
    }
    json_object_object_add(doc, "findings", list);
    return doc;
}

void audit_pool_arn(const struct audit_finding *x, const char *account, char *buf, size_t size)
{
    snprintf(buf, size, "arn:%s:cognito-identity:%s:%s:identitypool/%s",
             api_partition_of_region(x->region)->name, x->region, account ? account : "",
             x->pool_id[0] ? x->pool_id : "*");
}

static const char *sarif_level(enum audit_severity s)
{
    return s == AUDIT_HIGH ? "error" : s == AUDIT_MEDIUM ? "warning" : "note";
}

static const char *security_severity(enum audit_severity s)
{
    return s == AUDIT_HIGH ? "8.0" : s == AUDIT_MEDIUM ? "5.0" : s == AUDIT_LOW ? "3.0" : "1.0";
}

json_object *audit_report_sarif(const struct audit_report_meta *m, const struct audit_findings *f)
{
    json_object *log = json_object_new_object(), *runs = json_object_new_array();
    json_object *run = json_object_new_object(), *tool = json_object_new_object();
    json_object *driver = json_object_new_object(), *rules = json_object_new_array();
    json_object *results = json_object_new_array();

    json_object_object_add(log, "$schema", str("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_object_add(log, "version", str("2.1.0"));
    json_object_object_add(driver, "name", str("cognito-tui"));
    json_object_object_add(driver, "version", str(COGNITO_TUI_VERSION));
    json_object_object_add(driver, "semanticVersion", str(COGNITO_TUI_VERSION));
    for (size_t i = 0; i < audit_n_checks; i++) {
        const struct audit_check *c = &audit_checks[i];
        json_object *rule = json_object_new_object(), *t;
        json_object_object_add(rule, "id", str(c->id));
        json_object_object_add(rule, "name", str(c->name));
        t = json_object_new_object();
        json_object_object_add(t, "text", str(c->title));
        json_object_object_add(rule, "shortDescription", t);
        t = json_object_new_object();
        json_object_object_add(t, "text", str(c->title));
        json_object_object_add(rule, "fullDescription", t);
        t = json_object_new_object();
        json_object_object_add(t, "text", str(c->fix));
        json_object_object_add(rule, "help", t);
        t = json_object_new_object();
        json_object_object_add(t, "level", str(sarif_level(c->severity)));
        json_object_object_add(rule, "defaultConfiguration", t);
        t = json_object_new_object();
        json_object_object_add(t, "security-severity", str(security_severity(c->severity)));
        json_object_object_add(t, "severity", str(audit_severity_name(c->severity)));
        json_object *tags = json_object_new_array();
        json_object_array_add(tags, str("security"));
        json_object_object_add(t, "tags", tags);
        json_object_object_add(rule, "properties", t);
        json_object_array_add(rules, rule);
    }
    json_object_object_add(driver, "rules", rules);
    json_object_object_add(tool, "driver", driver);
    json_object_object_add(run, "tool", tool);
    for (size_t i = 0; i < f->n; i++) {
        const struct audit_finding *x = &f->v[i];
        json_object *r = json_object_new_object(), *msg = json_object_new_object();
        json_object *loc = json_object_new_object(), *phys = json_object_new_object();
        json_object *art = json_object_new_object(), *logical = json_object_new_array();
        json_object *ll = json_object_new_object(), *locs = json_object_new_array();
        json_object *props = json_object_new_object();
        char arn[512];
        long index = x->check - audit_checks;

        audit_pool_arn(x, m->account, arn, sizeof arn);
        json_object_object_add(r, "ruleId", str(x->check->id));
        json_object_object_add(r, "ruleIndex", json_object_new_int((int)index));
        json_object_object_add(r, "level", str(sarif_level(x->check->severity)));
        json_object_object_add(msg, "text", str(x->title));
        json_object_object_add(r, "message", msg);
        json_object_object_add(art, "uri", str(arn));
        json_object_object_add(phys, "artifactLocation", art);
        json_object_object_add(loc, "physicalLocation", phys);
        json_object_object_add(ll, "fullyQualifiedName", str(arn));
        json_object_object_add(ll, "kind", str("resource"));
        json_object_array_add(logical, ll);
        json_object_object_add(loc, "logicalLocations", logical);
        json_object_array_add(locs, loc);
        json_object_object_add(r, "locations", locs);
        json_object_object_add(props, "severity", str(audit_severity_name(x->check->severity)));
        json_object_object_add(props, "region", str(x->region));
        json_object_object_add(props, "pool_id", str(x->pool_id));
        json_object_object_add(props, "pool_name", str(x->pool_name));
        json_object_object_add(props, "resource", str(x->resource));
        json_object_object_add(props, "evidence", copy(x->evidence));
        json_object_object_add(props, "fix", str(x->fix));
        json_object_object_add(r, "properties", props);
        json_object_array_add(results, r);
    }
    json_object_object_add(run, "results", results);
    json_object *inv = json_object_new_object(), *invs = json_object_new_array();
    json_object_object_add(inv, "executionSuccessful", json_object_new_boolean(1));
    json_object_object_add(inv, "endTimeUtc", str(m->generated_at));
    json_object_array_add(invs, inv);
    json_object_object_add(run, "invocations", invs);
    json_object_array_add(runs, run);
    json_object_object_add(log, "runs", runs);
    return log;
}

/* ---- text formats ---- */

struct writer {
    FILE *out;
    bool terminal;
    bool one_line; /* the table: every text on its line, whatever the output */
    bool failed;
};

static void put(struct writer *w, const char *s)
{
    if (!w->failed && fputs(s, w->out) == EOF)
        w->failed = true;
}

/* Service text: escaped for a terminal, as it is otherwise. */
static void put_text(struct writer *w, const char *s)
{
    if (w->failed)
        return;
    if (w->terminal || w->one_line) {
        if (text_write_terminal(w->out, s, strlen(s), w->one_line) != 0)
            w->failed = true;
    } else {
        put(w, s);
    }
}

static void putf(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct writer *w, const char *fmt, ...)
{
    va_list ap;
    if (w->failed)
        return;
    va_start(ap, fmt);
    if (vfprintf(w->out, fmt, ap) < 0)
        w->failed = true;
    va_end(ap);
}

static void counts(const struct audit_findings *f, size_t c[4])
{
    memset(c, 0, 4 * sizeof *c);
    for (size_t i = 0; i < f->n; i++)
        c[f->v[i].check->severity]++;
}

static void write_table(struct writer *w, const struct audit_report_meta *m,
                        const struct audit_findings *f)
{
    size_t c[4];

    counts(f, c);
    for (size_t i = 0; i < f->n; i++) {
        const struct audit_finding *x = &f->v[i];
        putf(w, "%-6s  %s  %s  ", audit_severity_name(x->check->severity), x->check->id, x->region);
        put_text(w, x->pool_name[0] ? x->pool_name : "-");
        putf(w, " (%s)\n", x->pool_id[0] ? x->pool_id : "-");
        put(w, "        ");
        put_text(w, x->title);
        put(w, "\n");
        if (x->resource[0] && strcmp(x->resource, x->pool_id) != 0) {
            put(w, "        resource: ");
            put_text(w, x->resource);
            put(w, "\n");
        }
        const char *nl = strchr(x->fix, '\n');
        put(w, "        fix: ");
        if (nl) {
            char *first = strndup(x->fix, (size_t)(nl - x->fix));
            put_text(w, first ? first : "");
            put(w, " (the policy is in the json, sarif and markdown formats)");
            free(first);
        } else {
            put_text(w, x->fix);
        }
        put(w, "\n\n");
    }
    putf(w,
         "%zu finding%s (%zu high, %zu medium, %zu low, %zu info) in %zu pool%s audited across "
         "%zu Region%s\n",
         f->n, f->n == 1 ? "" : "s", c[AUDIT_HIGH], c[AUDIT_MEDIUM], c[AUDIT_LOW], c[AUDIT_INFO],
         m->pools_audited, m->pools_audited == 1 ? "" : "s", m->n_regions,
         m->n_regions == 1 ? "" : "s");
}

static void write_csv(struct writer *w, const struct audit_findings *f)
{
    static const char *const head[] = {"check",    "severity", "region",   "pool_id", "pool_name",
                                       "resource", "title",    "evidence", "fix"};
    if (csv_write_record(w->out, head, 9, false) != 0)
        w->failed = true;
    for (size_t i = 0; i < f->n && !w->failed; i++) {
        const struct audit_finding *x = &f->v[i];
        const char *row[9] = {x->check->id, audit_severity_name(x->check->severity),
                              x->region,    x->pool_id,
                              x->pool_name, x->resource,
                              x->title,     json_object_to_json_string_ext(x->evidence, JSON_LINE),
                              x->fix};
        if (csv_write_record(w->out, row, 9, w->terminal) != 0)
            w->failed = true;
    }
}

/* Markdown text: characters that would make markup are escaped. */
static void put_md(struct writer *w, const char *s)
{
    size_t n = strlen(s);
    char *buf = malloc(2 * n + 1), *o = buf;

    if (!buf) {
        w->failed = true;
        return;
    }
    for (const char *p = s; *p; p++) {
        if (strchr("\\`*_[]{}<>|#!~", *p))
            *o++ = '\\';
        *o++ = (*p == '\n' || *p == '\r') ? ' ' : *p;
    }
    *o = '\0';
    put_text(w, buf);
    free(buf);
}

/* A fenced block whose fence is longer than any run of backticks inside. */
static void put_block(struct writer *w, const char *lang, const char *text)
{
    size_t run = 0, longest = 0;
    char fence[64];

    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t n = longest < 3 ? 3 : longest + 1;
    if (n >= sizeof fence)
        n = sizeof fence - 1;
    memset(fence, '`', n);
    fence[n] = '\0';
    putf(w, "%s%s\n", fence, lang);
    put_text(w, text);
    putf(w, "\n%s\n", fence);
}

static void write_markdown(struct writer *w, const struct audit_report_meta *m,
                           const struct audit_findings *f)
{
    size_t c[4];
    const char *last_pool = NULL, *last_region = NULL;

    counts(f, c);
    put(w, "# Cognito identity pool audit\n\n");
    putf(w, "- Generated: %s\n", m->generated_at);
    putf(w, "- Account: %s\n", m->account && m->account[0] ? m->account : "unknown");
    put(w, "- Regions:");
    for (size_t i = 0; i < m->n_regions; i++) {
        put(w, i ? ", " : " ");
        put_md(w, m->regions[i]);
    }
    putf(w, "\n- Pools audited: %zu\n- Findings: %zu\n\n", m->pools_audited, f->n);
    put(w, "| Severity | Findings |\n|---|---|\n");
    putf(w, "| high | %zu |\n| medium | %zu |\n| low | %zu |\n| info | %zu |\n\n", c[AUDIT_HIGH],
         c[AUDIT_MEDIUM], c[AUDIT_LOW], c[AUDIT_INFO]);
    if (f->n == 0)
        put(w, "No findings.\n");
    for (size_t i = 0; i < f->n; i++) {
        const struct audit_finding *x = &f->v[i];
        if (!last_pool || strcmp(last_pool, x->pool_id) != 0 ||
            strcmp(last_region, x->region) != 0) {
            put(w, "## ");
            if (x->pool_id[0]) {
                put_md(w, x->pool_name[0] ? x->pool_name : x->pool_id);
                put(w, " (");
                put_md(w, x->pool_id);
                put(w, ", ");
            } else {
                put(w, "Region-wide (");
            }
            put_md(w, x->region);
            put(w, ")\n\n");
            last_pool = x->pool_id;
            last_region = x->region;
        }
        putf(w, "### %s %s: ", audit_severity_name(x->check->severity), x->check->id);
        put_md(w, x->check->title);
        put(w, "\n\n- Finding: ");
        put_md(w, x->title);
        if (x->resource[0]) {
            put(w, "\n- Resource: ");
            put_md(w, x->resource);
        }
        put(w, "\n- Evidence:\n\n");
        put_block(w, "json", json_object_to_json_string_ext(x->evidence, JSON_OUT));
        const char *nl = strchr(x->fix, '\n');
        put(w, "\n- Fix: ");
        if (nl) {
            char *first = strndup(x->fix, (size_t)(nl - x->fix));
            put_md(w, first ? first : "");
            free(first);
            put(w, "\n\n");
            put_block(w, "json", nl + 1);
        } else {
            put_md(w, x->fix);
            put(w, "\n");
        }
        put(w, "\n");
    }
}

int audit_report_write(FILE *out, enum audit_format fmt, const struct audit_report_meta *m,
                       const struct audit_findings *f, bool terminal)
{
    struct writer w = {out, terminal, fmt == AUDIT_FORMAT_TABLE, false};
    json_object *doc = NULL;

    switch (fmt) {
    case AUDIT_FORMAT_TABLE:
        write_table(&w, m, f);
        break;
    case AUDIT_FORMAT_CSV:
        write_csv(&w, f);
        break;
    case AUDIT_FORMAT_MARKDOWN:
        write_markdown(&w, m, f);
        break;
    case AUDIT_FORMAT_JSON:
    case AUDIT_FORMAT_SARIF:
        doc = fmt == AUDIT_FORMAT_JSON ? audit_report_json(m, f) : audit_report_sarif(m, f);
        if (!doc ||
            json_text_write(out, json_object_to_json_string_ext(doc, JSON_OUT), terminal) != 0 ||
            fputc('\n', out) == EOF)
            w.failed = true;
        json_object_put(doc);
        break;
    }
    if (fflush(out) != 0)
        w.failed = true;
    return w.failed ? -1 : 0;
}
