#include "api/ini.h"

#include <ctype.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json-c/linkhash.h>
#include <openssl/crypto.h>

#include "api/secret_file.h"
#include "api/shlex.h"

/* Config files are small; anything bigger is not one. */
#define INI_MAX_FILE ((size_t)4 * 1024 * 1024)

static void wipe_free(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

static void entry_free(struct ini_entry *e)
{
    for (size_t i = 0; i < e->n_sub; i++)
        entry_free(&e->sub[i]);
    free(e->sub);
    wipe_free(e->key);
    wipe_free(e->value);
}

void ini_free(struct ini_file *f)
{
    for (size_t i = 0; i < f->n_sections; i++) {
        struct ini_section *s = &f->sections[i];
        for (size_t j = 0; j < s->n_entries; j++)
            entry_free(&s->entries[j]);
        free(s->entries);
        free(s->name);
        free(s->raw);
        free(s->word2);
    }
    free(f->sections);
    free(f->path);
    memset(f, 0, sizeof *f);
}

static char *dup_range(const char *a, const char *b)
{
    size_t n = (size_t)(b - a);
    char *s = malloc(n + 1);

    if (s) {
        memcpy(s, a, n);
        s[n] = '\0';
    }
    return s;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Trims [*a, *b) of blanks on both ends. */
static void trim(const char **a, const char **b)
{
    while (*a < *b && is_blank(**a))
        (*a)++;
    while (*b > *a && is_blank((*b)[-1]))
        (*b)--;
}

/* Everything here is linear in the size of the file: the arrays grow by
 * doubling, names already seen are found in hash tables (json-c's
 * linkhash), and a continued value is appended to in place. Only the
 * section being read and the entry being continued ever grow, so their
 * capacities live here rather than in the structs. */
struct parser {
    struct ini_file *f;
    const char *path;
    int line;
    struct api_error *err;
    size_t sections_cap;
    struct lh_table *sections_seen; /* raw name -> index + 1 */
    size_t entries_cap;             /* of the last section */
    struct lh_table *keys_seen;     /* of the last section; NULL until its first key */
    struct ini_entry *last;         /* the entry continuation lines extend, or NULL */
    size_t last_indent;
    size_t value_len, value_cap; /* of last->value */
    size_t sub_cap;              /* of last->sub */
    struct lh_table *sub_seen;   /* keys of last->sub */
};

static int parse_error(struct parser *p, const char *why, const char *detail)
{
    return api_error_set(p->err, API_ERR_CREDENTIALS, "%s line %d: %s%s", p->path, p->line, why,
                         detail ? detail : "");
}

static int oom(struct parser *p)
{
    return parse_error(p, "out of memory", NULL);
}

static void table_free(struct lh_table **t)
{
    if (*t)
        lh_table_free(*t);
    *t = NULL;
}

/* Grows *array (of `size`-byte items) to hold at least `need`. */
static int grow(void **array, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 4;
    void *grown;

    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    grown = realloc(*array, n * size);
    if (!grown)
        return -1;
    *array = grown;
    *cap = n;
    return 0;
}

/* `*seen`: created on first use. Returns the index recorded for `key`, or -1. */
static long seen_index(struct lh_table *seen, const char *key)
{
    void *v;

    return seen && lh_table_lookup_ex(seen, key, &v) ? (long)(uintptr_t)v - 1 : -1;
}

static int seen_add(struct lh_table **seen, const char *key, size_t index)
{
    if (!*seen && !(*seen = lh_kchar_table_new(16, NULL)))
        return -1;
    return lh_table_insert(*seen, key, (void *)(uintptr_t)(index + 1));
}

/* The second of exactly two shell words of `raw` (botocore's NAME in
 * `[profile NAME]`), or NULL. *failed on out of memory. */
static char *second_word(const char *raw, bool *failed)
{
    const char *why;
    char **words = shlex_split(raw, &why), *w = NULL;

    if (!words && strcmp(why, "out of memory") == 0)
        *failed = true;
    if (words && words[0] && words[1] && !words[2] && !(w = strdup(words[1])))
        *failed = true;
    shlex_free(words);
    return w;
}

static int add_section(struct parser *p, const char *a, const char *b)
{
    struct ini_section sec = {0};
    const char *ta = a, *tb = b;
    bool failed = false;
    long first;

    trim(&ta, &tb);
    if (ta == tb)
        return parse_error(p, "empty section name", NULL);
    /* botocore (RawConfigParser) names a section by its exact text, blanks
     * included, and refuses only exact duplicates. */
    sec.raw = dup_range(a, b);
    sec.name = dup_range(ta, tb);
    sec.word2 = sec.raw ? second_word(sec.raw, &failed) : NULL;
    sec.line = p->line;
    if (!sec.raw || !sec.name || failed ||
        grow((void **)&p->f->sections, &p->sections_cap, p->f->n_sections + 1, sizeof sec) != 0) {
        free(sec.raw);
        free(sec.name);
        free(sec.word2);
        return oom(p);
    }
    if ((first = seen_index(p->sections_seen, sec.raw)) >= 0) {
        char detail[64];
        snprintf(detail, sizeof detail, " (first at line %d)", p->f->sections[first].line);
        free(sec.raw);
        free(sec.name);
        free(sec.word2);
        return parse_error(p, "duplicate section", detail);
    }
    p->f->sections[p->f->n_sections++] = sec; /* from here on, ini_free() frees it */
    if (seen_add(&p->sections_seen, sec.raw, p->f->n_sections - 1) != 0)
        return oom(p);
    p->entries_cap = 0;
    table_free(&p->keys_seen);
    return 0;
}

/* Splits `key = value` (first `=` or `:`) into a new entry appended to
 * (*list, *n) (capacity *cap, keys indexed in *seen). A duplicate key is
 * refused in a section and replaces the first in a sub-section (`is_sub`),
 * as botocore does. */
static int add_entry(struct parser *p, struct ini_entry **list, size_t *n, size_t *cap,
                     struct lh_table **seen, const char *a, const char *b, bool is_sub)
{
    const char *sep = a, *ka, *kb, *va, *vb;
    struct ini_entry e = {0};
    long dup;

    while (sep < b && *sep != '=' && *sep != ':')
        sep++;
    if (sep == b)
        return parse_error(p, "expected `key = value`", NULL);
    ka = a, kb = sep, va = sep + 1, vb = b;
    trim(&ka, &kb);
    trim(&va, &vb);
    if (ka == kb)
        return parse_error(p, "a setting with no name before `", *sep == '=' ? "=`" : ":`");
    e.key = dup_range(ka, kb);
    e.value = dup_range(va, vb);
    e.line = p->line;
    if (!e.key || !e.value) {
        entry_free(&e);
        return oom(p);
    }
    for (char *k = e.key; *k; k++)
        *k = (char)tolower((unsigned char)*k);
    if ((dup = seen_index(*seen, e.key)) >= 0) {
        if (is_sub) {
            /* botocore reads sub-sections into a dict: the last one wins. */
            lh_table_delete(*seen, (*list)[dup].key);
            entry_free(&(*list)[dup]);
            (*list)[dup] = e;
            if (seen_add(seen, e.key, (size_t)dup) != 0)
                return oom(p);
            return 0;
        }
        char detail[400];
        snprintf(detail, sizeof detail, " `%.300s` (first at line %d)", e.key, (*list)[dup].line);
        entry_free(&e);
        return parse_error(p, "duplicate setting", detail);
    }
    if (grow((void **)list, cap, *n + 1, sizeof e) != 0) {
        entry_free(&e);
        return oom(p);
    }
    (*list)[*n] = e;
    if (seen_add(seen, e.key, *n) != 0) {
        entry_free(&e);
        return oom(p);
    }
    (*n)++;
    return 0;
}

/* Makes `e` the entry later continuation lines extend. */
static void set_last(struct parser *p, struct ini_entry *e, size_t indent)
{
    p->last = e;
    p->last_indent = indent;
    p->value_len = e ? strlen(e->value) : 0;
    p->value_cap = p->value_len + 1;
    p->sub_cap = 0;
    table_free(&p->sub_seen);
}

/* A continuation line [a, b) (already trimmed) of p->last, after `blanks`
 * blank lines (kept in the value, as botocore keeps them). */
static int continue_entry(struct parser *p, const char *a, const char *b, size_t blanks)
{
    struct ini_entry *e = p->last;
    size_t add = (size_t)(b - a), need = p->value_len + 1 + blanks + add + 1;

    if (e->value[0] == '\0' || e->sub) /* `key =` then indented lines: a sub-section */
        return add_entry(p, &e->sub, &e->n_sub, &p->sub_cap, &p->sub_seen, a, b, true);
    if (need > p->value_cap) {
        /* Copied rather than realloc'd: the old block may hold a secret. */
        size_t cap = p->value_cap * 2 > need ? p->value_cap * 2 : need;
        char *grown = malloc(cap);
        if (!grown)
            return oom(p);
        memcpy(grown, e->value, p->value_len + 1);
        wipe_free(e->value);
        e->value = grown;
        p->value_cap = cap;
    }
    memset(e->value + p->value_len, '\n', 1 + blanks);
    memcpy(e->value + p->value_len + 1 + blanks, a, add);
    p->value_len += 1 + blanks + add;
    e->value[p->value_len] = '\0';
    return 0;
}

int ini_parse(const char *text, size_t len, const char *path, struct ini_file *out,
              struct api_error *err)
{
    struct parser p = {.f = out, .path = path ? path : "", .err = err};
    const char *pos = text, *end = text + len;
    size_t blanks = 0;
    int rc = -1;

    memset(out, 0, sizeof *out);
    out->path = strdup(p.path);
    if (!out->path)
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos += 3;
    if (memchr(text, '\0', len)) {
        p.line = 1;
        for (const char *c = text; *c; c++)
            p.line += *c == '\n';
        parse_error(&p, "a NUL byte (is this a text file?)", NULL);
        goto out;
    }
    while (pos < end) {
        const char *line_start = pos;
        const char *nl = memchr(pos, '\n', (size_t)(end - pos));
        const char *a = pos, *b = nl ? nl : end;
        struct ini_section *sec;
        size_t indent;

        pos = nl ? nl + 1 : end;
        p.line++;
        trim(&a, &b);
        if (b > a && b[-1] == '\r') {
            b--;
            trim(&a, &b);
        }
        indent = (size_t)(a - line_start);
        if (a == b) {
            blanks++; /* blank lines never end a continuation */
            continue;
        }
        if (*a == '#' || *a == ';')
            continue; /* nor do comments, which leave no trace */
        if (p.last && indent > p.last_indent) {
            if (continue_entry(&p, a, b, blanks) != 0)
                goto out;
            blanks = 0;
            continue;
        }
        blanks = 0;
        set_last(&p, NULL, 0);
        if (*a == '[') {
            const char *close = NULL, *rest;
            for (const char *c = a; c < b; c++)
                if (*c == ']')
                    close = c;
            if (!close) {
                parse_error(&p, "section header without `]`", NULL);
                goto out;
            }
            rest = close + 1;
            while (rest < b && is_blank(*rest))
                rest++;
            if (rest < b && *rest != '#' && *rest != ';') {
                parse_error(&p, "unexpected text after the section header", NULL);
                goto out;
            }
            if (add_section(&p, a + 1, close) != 0)
                goto out;
            continue;
        }
        sec = p.f->n_sections ? &p.f->sections[p.f->n_sections - 1] : NULL;
        if (!sec) {
            parse_error(&p, "a setting before any [section]", NULL);
            goto out;
        }
        if (add_entry(&p, &sec->entries, &sec->n_entries, &p.entries_cap, &p.keys_seen, a, b,
                      false) != 0)
            goto out;
        set_last(&p, &sec->entries[sec->n_entries - 1], indent);
    }
    rc = 0;
out:
    table_free(&p.sections_seen);
    table_free(&p.keys_seen);
    table_free(&p.sub_seen);
    if (rc != 0)
        ini_free(out);
    return rc;
}

const struct ini_section *ini_section_find(const struct ini_file *f, const char *name)
{
    for (size_t i = 0; i < f->n_sections; i++)
        if (strcmp(f->sections[i].name, name) == 0)
            return &f->sections[i];
    return NULL;
}

const struct ini_entry *ini_entry_find(const struct ini_section *s, const char *key)
{
    if (s)
        for (size_t i = 0; i < s->n_entries; i++)
            if (strcmp(s->entries[i].key, key) == 0)
                return &s->entries[i];
    return NULL;
}

const struct ini_entry *ini_sub_find(const struct ini_entry *e, const char *key)
{
    if (e)
        for (size_t i = 0; i < e->n_sub; i++)
            if (strcmp(e->sub[i].key, key) == 0)
                return &e->sub[i];
    return NULL;
}

int ini_load(const char *path, struct ini_file *out, bool *found, struct api_error *err)
{
    char *buf;
    size_t len;
    int rc;

    memset(out, 0, sizeof *out);
    *found = false;
    /* AWS_CONFIG_FILE=/dev/null is the usual way to say "no config", and
     * the AWS CLI reads it as an empty file. */
    rc = secret_file_read(path, INI_MAX_FILE, SECRET_FILE_DEVICE_IS_EMPTY, &buf, &len, err);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        out->path = strdup(path);
        return out->path ? 0 : api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    rc = ini_parse(buf, len, path, out, err);
    secret_file_free(buf, len); /* the credentials file holds secret keys */
    if (rc == 0)
        *found = true;
    return rc;
}

/* ---- The AWS files ---- */

char *aws_expand_home(const char *path)
{
    const char *home;
    char *out;

    if (path[0] != '~' || (path[1] != '\0' && path[1] != '/'))
        return strdup(path);
    home = getenv("HOME");
    if (!home || !home[0]) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home)
        return NULL;
    out = malloc(strlen(home) + strlen(path));
    if (out) {
        strcpy(out, home);
        strcat(out, path + 1);
    }
    return out;
}

static int load_one(const char *env, const char *fallback, struct ini_file *out,
                    struct api_error *err)
{
    const char *given = getenv(env);
    char *path;
    bool found;
    int rc;

    path = aws_expand_home(given && given[0] ? given : fallback);
    if (!path)
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "cannot expand %s: no home directory (set HOME or %s)",
                             given && given[0] ? given : fallback, env);
    rc = ini_load(path, out, &found, err);
    free(path);
    return rc;
}

int aws_files_load(struct aws_files *files, struct api_error *err)
{
    memset(files, 0, sizeof *files);
    if (load_one("AWS_CONFIG_FILE", "~/.aws/config", &files->config, err) != 0)
        return -1;
    if (load_one("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials", &files->credentials, err) !=
        0) {
        ini_free(&files->config);
        return -1;
    }
    return 0;
}

void aws_files_free(struct aws_files *files)
{
    ini_free(&files->config);
    ini_free(&files->credentials);
}

/* botocore's build_profile_map(): a config section is `[KIND NAME]` when
 * its exact text starts with KIND ("profile", "sso-session", "services";
 * so "profiles x" counts too) and splits into exactly two shell words, the
 * second being NAME; `[default]` is profile "default". */
static bool botocore_names(const struct ini_section *s, const char *kind, const char *name)
{
    if (strcmp(kind, "profile") == 0 && strcmp(name, "default") == 0 &&
        strcmp(s->raw, "default") == 0)
        return true;
    return s->word2 && strncmp(s->raw, kind, strlen(kind)) == 0 && strcmp(s->word2, name) == 0;
}

/* Of several sections naming the same thing, botocore keeps the last (it
 * fills a dict in file order); the others are not read at all. */
const struct ini_section *aws_config_section(const struct aws_files *f, const char *kind,
                                             const char *name)
{
    for (size_t i = f->config.n_sections; i-- > 0;)
        if (botocore_names(&f->config.sections[i], kind, name))
            return &f->config.sections[i];
    return NULL;
}

const struct ini_section *aws_config_profile(const struct aws_files *f, const char *name)
{
    return aws_config_section(f, "profile", name);
}

/* The credentials file's sections are profile names as written. */
const struct ini_section *aws_credentials_profile(const struct aws_files *f, const char *name)
{
    for (size_t i = 0; i < f->credentials.n_sections; i++)
        if (strcmp(f->credentials.sections[i].raw, name) == 0)
            return &f->credentials.sections[i];
    return NULL;
}

bool aws_profile_exists(const struct aws_files *f, const char *name)
{
    return aws_config_profile(f, name) || aws_credentials_profile(f, name);
}

static void fill_setting(struct aws_setting *out, const struct ini_entry *e, const char *file)
{
    out->entry = e;
    out->value = e ? e->value : NULL;
    out->file = e ? file : NULL;
    out->line = e ? e->line : 0;
}

bool aws_profile_get(const struct aws_files *f, const char *profile, const char *key,
                     struct aws_setting *out)
{
    const struct ini_entry *e = ini_entry_find(aws_credentials_profile(f, profile), key);

    if (e)
        fill_setting(out, e, f->credentials.path);
    else
        fill_setting(out, ini_entry_find(aws_config_profile(f, profile), key), f->config.path);
    return out->value != NULL;
}

/* Any reader's section of the profile: botocore's, and the looser readings
 * (blanks around the name, `[ default ]`) another tool or an older version
 * of this one may have taken. */
static bool maybe_profile(const struct ini_section *s, const char *name, bool config)
{
    if (!config)
        return strcmp(s->raw, name) == 0 || strcmp(s->name, name) == 0;
    if (botocore_names(s, "profile", name))
        return true;
    if (strcmp(name, "default") == 0 && strcmp(s->name, "default") == 0)
        return true;
    return s->word2 && strncmp(s->name, "profile", 7) == 0 && strcmp(s->word2, name) == 0;
}

int aws_profile_each(const struct aws_files *f, const char *profile, const char *key,
                     int (*fn)(void *ctx, const struct aws_setting *s), void *ctx)
{
    const struct ini_file *files[2] = {&f->credentials, &f->config};

    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < files[k]->n_sections; i++) {
            const struct ini_section *s = &files[k]->sections[i];
            const struct ini_entry *e =
                maybe_profile(s, profile, k == 1) ? ini_entry_find(s, key) : NULL;
            struct aws_setting setting;
            int rc;
            if (!e)
                continue;
            fill_setting(&setting, e, files[k]->path);
            if ((rc = fn(ctx, &setting)) != 0)
                return rc;
        }
    }
    return 0;
}

int aws_parse_bool(const char *text, const char *what, bool *out, struct api_error *err)
{
    if (strcasecmp(text, "true") == 0)
        *out = true;
    else if (strcasecmp(text, "false") == 0)
        *out = false;
    else
        return api_error_set(err, API_ERR_CREDENTIALS, "%s: expected true or false, not \"%.100s\"",
                             what, text);
    return 0;
}
