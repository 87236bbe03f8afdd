#include "api/ini.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

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

struct parser {
    struct ini_file *f;
    const char *path;
    int line;
    struct api_error *err;
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

static struct ini_section *current_section(struct parser *p)
{
    return p->f->n_sections ? &p->f->sections[p->f->n_sections - 1] : NULL;
}

static int add_section(struct parser *p, const char *a, const char *b)
{
    struct ini_section *grown;
    char *name;

    trim(&a, &b);
    if (a == b)
        return parse_error(p, "empty section name", NULL);
    name = dup_range(a, b);
    if (!name)
        return oom(p);
    for (size_t i = 0; i < p->f->n_sections; i++) {
        if (strcmp(p->f->sections[i].name, name) == 0) {
            char detail[64];
            snprintf(detail, sizeof detail, " (first at line %d)", p->f->sections[i].line);
            free(name);
            return parse_error(p, "duplicate section", detail);
        }
    }
    grown = realloc(p->f->sections, (p->f->n_sections + 1) * sizeof *grown);
    if (!grown) {
        free(name);
        return oom(p);
    }
    p->f->sections = grown;
    memset(&grown[p->f->n_sections], 0, sizeof *grown);
    grown[p->f->n_sections].name = name;
    grown[p->f->n_sections].line = p->line;
    p->f->n_sections++;
    return 0;
}

/* Splits `key = value` (first `=` or `:`) into a new entry appended to
 * (*list, *n). A duplicate key is refused in a section and replaces the
 * first in a sub-section (`is_sub`), as botocore does. */
static int add_entry(struct parser *p, struct ini_entry **list, size_t *n, const char *a,
                     const char *b, bool is_sub)
{
    const char *sep = a, *ka, *kb, *va, *vb;
    struct ini_entry *grown, e = {0};

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
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*list)[i].key, e.key) == 0 && is_sub) {
            /* botocore reads sub-sections into a dict: the last one wins. */
            entry_free(&(*list)[i]);
            (*list)[i] = e;
            return 0;
        }
        if (strcmp((*list)[i].key, e.key) == 0) {
            char detail[400];
            snprintf(detail, sizeof detail, " `%.300s` (first at line %d)", e.key, (*list)[i].line);
            entry_free(&e);
            return parse_error(p, "duplicate setting", detail);
        }
    }
    grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown) {
        entry_free(&e);
        return oom(p);
    }
    *list = grown;
    grown[(*n)++] = e;
    return 0;
}

/* A continuation line [a, b) (already trimmed) of entry e, after `blanks`
 * blank lines (kept in the value, as botocore keeps them). */
static int continue_entry(struct parser *p, struct ini_entry *e, const char *a, const char *b,
                          size_t blanks)
{
    if (e->value[0] == '\0' || e->sub) /* `key =` then indented lines: a sub-section */
        return add_entry(p, &e->sub, &e->n_sub, a, b, true);
    size_t old = strlen(e->value), add = (size_t)(b - a);
    char *grown = malloc(old + 1 + blanks + add + 1);
    if (!grown)
        return oom(p);
    memcpy(grown, e->value, old);
    memset(grown + old, '\n', 1 + blanks);
    memcpy(grown + old + 1 + blanks, a, add);
    grown[old + 1 + blanks + add] = '\0';
    wipe_free(e->value);
    e->value = grown;
    return 0;
}

int ini_parse(const char *text, size_t len, const char *path, struct ini_file *out,
              struct api_error *err)
{
    struct parser p = {out, path ? path : "", 0, err};
    const char *pos = text, *end = text + len;
    struct ini_entry *last = NULL; /* the entry continuation lines extend */
    size_t last_indent = 0, blanks = 0;

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
        goto fail;
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
        if (last && indent > last_indent) {
            if (continue_entry(&p, last, a, b, blanks) != 0)
                goto fail;
            blanks = 0;
            continue;
        }
        blanks = 0;
        last = NULL;
        if (*a == '[') {
            const char *close = NULL, *rest;
            for (const char *c = a; c < b; c++)
                if (*c == ']')
                    close = c;
            if (!close) {
                parse_error(&p, "section header without `]`", NULL);
                goto fail;
            }
            rest = close + 1;
            while (rest < b && is_blank(*rest))
                rest++;
            if (rest < b && *rest != '#' && *rest != ';') {
                parse_error(&p, "unexpected text after the section header", NULL);
                goto fail;
            }
            if (add_section(&p, a + 1, close) != 0)
                goto fail;
            continue;
        }
        sec = current_section(&p);
        if (!sec) {
            parse_error(&p, "a setting before any [section]", NULL);
            goto fail;
        }
        if (add_entry(&p, &sec->entries, &sec->n_entries, a, b, false) != 0)
            goto fail;
        last = &sec->entries[sec->n_entries - 1];
        last_indent = indent;
    }
    return 0;
fail:
    ini_free(out);
    return -1;
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
    struct stat st;
    char *buf;
    size_t len = 0;
    int fd, rc;

    memset(out, 0, sizeof *out);
    *found = false;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            out->path = strdup(path);
            return out->path ? 0 : api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        }
        return api_error_set(err, API_ERR_CREDENTIALS, "cannot read %s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode)) {
        /* AWS_CONFIG_FILE=/dev/null is the usual way to say "no config", and
         * the AWS CLI reads it as an empty file. A character device is
         * never read: a tty or /dev/zero must not hang or flood the parser. */
        close(fd);
        rc = ini_parse("", 0, path, out, err);
        if (rc == 0)
            *found = true;
        return rc;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return api_error_set(err, API_ERR_CREDENTIALS, "cannot read %s: not a regular file", path);
    }
    if ((size_t)st.st_size > INI_MAX_FILE) {
        close(fd);
        return api_error_set(err, API_ERR_CREDENTIALS, "%s is over 4 MiB: not a config file", path);
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        close(fd);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory reading %s", path);
    }
    for (;;) {
        ssize_t n = read(fd, buf + len, (size_t)st.st_size + 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            OPENSSL_cleanse(buf, len);
            free(buf);
            return api_error_set(err, API_ERR_CREDENTIALS, "cannot read %s: %s", path, strerror(e));
        }
        if (n == 0 || len + (size_t)n > (size_t)st.st_size) {
            len += (size_t)n;
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    if (len > (size_t)st.st_size) {
        OPENSSL_cleanse(buf, len);
        free(buf);
        return api_error_set(err, API_ERR_CREDENTIALS, "%s changed while it was read", path);
    }
    rc = ini_parse(buf, len, path, out, err);
    OPENSSL_cleanse(buf, len); /* the credentials file holds secret keys */
    free(buf);
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

/* `[kind name]` with any run of blanks between the two words. */
static bool section_is(const char *section, const char *kind, const char *name)
{
    size_t k = strlen(kind);

    if (strncmp(section, kind, k) != 0 || !is_blank(section[k]))
        return false;
    section += k;
    while (is_blank(*section))
        section++;
    return strcmp(section, name) == 0;
}

const struct ini_section *aws_config_section(const struct aws_files *f, const char *kind,
                                             const char *name)
{
    for (size_t i = 0; i < f->config.n_sections; i++)
        if (section_is(f->config.sections[i].name, kind, name))
            return &f->config.sections[i];
    return NULL;
}

const struct ini_section *aws_config_profile(const struct aws_files *f, const char *name)
{
    const struct ini_section *s = aws_config_section(f, "profile", name);

    if (!s && strcmp(name, "default") == 0)
        s = ini_section_find(&f->config, "default");
    return s;
}

const struct ini_section *aws_credentials_profile(const struct aws_files *f, const char *name)
{
    return ini_section_find(&f->credentials, name);
}

bool aws_profile_exists(const struct aws_files *f, const char *name)
{
    return aws_config_profile(f, name) || aws_credentials_profile(f, name);
}

bool aws_profile_get(const struct aws_files *f, const char *profile, const char *key,
                     struct aws_setting *out)
{
    const struct ini_entry *e = ini_entry_find(aws_credentials_profile(f, profile), key);
    const char *file = f->credentials.path;

    if (!e) {
        e = ini_entry_find(aws_config_profile(f, profile), key);
        file = f->config.path;
    }
    out->entry = e;
    out->value = e ? e->value : NULL;
    out->file = e ? file : NULL;
    out->line = e ? e->line : 0;
    return e != NULL;
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
