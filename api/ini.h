/* api/ini.h — the AWS shared config and credentials files.
 *
 * OWNER: the config/credentials work. Private to api/.
 *
 * Two layers:
 *  1. ini_parse()/ini_load(): the file format, as the AWS CLI v2 (botocore's
 *     configloader over Python's RawConfigParser) reads it:
 *       - `[name]` starts a section; whitespace inside the brackets is
 *         trimmed; after `]` only whitespace or a `#`/`;` comment may follow.
 *       - `key = value` (or `key: value`; the first `=` or `:` splits); keys
 *         are case-insensitive (stored lower-case), values are trimmed.
 *       - A line whose first non-blank character is `#` or `;` is a comment.
 *         A `#` or `;` later in a value is part of the value (botocore keeps
 *         it: `region = us-east-1 # prod` is the region "us-east-1 # prod",
 *         which the region check then refuses with a hint).
 *       - A line indented deeper than its key's line continues that value
 *         (joined with "\n"). A key with an empty value followed by such
 *         lines is a sub-section: each continuation line is `key = value`
 *         (`[services x]` → `cognito_identity =` → `  endpoint_url = ...`).
 *       - Blank lines end nothing: inside a continued value they are kept
 *         (`a`, blank line, `  b` gives "a\n\nb"), elsewhere ignored. A
 *         UTF-8 byte order mark is skipped.
 *       - Errors (each names the file and line): text outside a section, a
 *         line with no `=`, an empty key, an unterminated `[`, an empty
 *         section name, a duplicate section (the same text between the
 *         brackets, blanks included) or a duplicate key in a section
 *         (botocore refuses both; in a sub-section the last of a duplicated
 *         key wins, as there), a bad sub-section line, a NUL byte.
 *  2. struct aws_files: both files together, with the profile semantics:
 *     `[default]`/`[profile x]`/`[sso-session x]`/`[services x]` in config,
 *     `[x]` in credentials; a profile's setting is looked up in the
 *     credentials file first, then the config file (botocore merges the
 *     credentials file's profile over the config file's).
 *
 * Ownership: everything is heap memory owned by the struct; values may be
 * secrets, so ini_free() wipes every string (OPENSSL_cleanse) before freeing.
 */
#ifndef API_INI_H
#define API_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"

struct ini_entry {
    char *key;   /* lower-case */
    char *value; /* trimmed; "" for a sub-section */
    int line;
    struct ini_entry *sub; /* sub-section entries, or NULL */
    size_t n_sub;
};

struct ini_section {
    char *name;  /* as written between the brackets, trimmed */
    char *raw;   /* exactly as written between the brackets: botocore's name */
    char *word2; /* the second word when `raw` splits into exactly two shell
                  * words (api/shlex.h), else NULL: NAME in `[profile NAME]` */
    int line;
    struct ini_entry *entries;
    size_t n_entries;
};

struct ini_file {
    char *path; /* for messages; "" when parsed from memory without a name */
    struct ini_section *sections;
    size_t n_sections;
};

/* Parses `len` bytes. `path` is only used in messages. Returns 0, or -1 with
 * err (API_ERR_CREDENTIALS, "FILE line N: why") and *out empty. */
int ini_parse(const char *text, size_t len, const char *path, struct ini_file *out,
              struct api_error *err);

/* Reads and parses a file. A file that does not exist is not an error: *out
 * is empty and *found false. An unreadable file (permissions, a directory)
 * is an error naming it. */
int ini_load(const char *path, struct ini_file *out, bool *found, struct api_error *err);

void ini_free(struct ini_file *f);

const struct ini_section *ini_section_find(const struct ini_file *f, const char *name);
const struct ini_entry *ini_entry_find(const struct ini_section *s, const char *key);
const struct ini_entry *ini_sub_find(const struct ini_entry *e, const char *key);

/* ---- The two AWS files ---- */

struct aws_files {
    struct ini_file config;      /* AWS_CONFIG_FILE or ~/.aws/config */
    struct ini_file credentials; /* AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials */
};

/* `~` at the start of a path becomes $HOME (or the password database's home).
 * Returns a new string or NULL (out of memory, or no home directory). */
char *aws_expand_home(const char *path);

/* Loads both files from their environment variables or default paths. */
int aws_files_load(struct aws_files *files, struct api_error *err);
void aws_files_free(struct aws_files *files);

/* Where a profile's setting came from. */
struct aws_setting {
    const char *value; /* NULL when not set */
    const char *file;  /* path of the file it came from */
    int line;
    const struct ini_entry *entry;
};

/* The config file section of profile `name`, as botocore picks it: of the
 * sections whose exact text starts with "profile" and splits into two shell
 * words, the second being `name` (`[profile x]`, `[profile  x]`,
 * `[profile "x"]`), and `[default]` for "default", the LAST one (the others
 * are not read at all). `[ profile x ]` is not profile x (botocore keeps the
 * blanks). The credentials file section is the one written exactly `[name]`. */
const struct ini_section *aws_config_profile(const struct aws_files *f, const char *name);
const struct ini_section *aws_credentials_profile(const struct aws_files *f, const char *name);
bool aws_profile_exists(const struct aws_files *f, const char *name);

/* A profile setting: credentials file first, then config file. Returns
 * whether it is set; *out is filled either way (value NULL when not set). */
bool aws_profile_get(const struct aws_files *f, const char *profile, const char *key,
                     struct aws_setting *out);

/* Every `key` of every section any reader could take for the profile:
 * the credentials file's `[name]` and `[ name ]`, and the config file's
 * sections botocore names so (all of them, not only the last) or that only
 * blanks keep from being so (`[ profile name ]`, `[ default ]`). For the
 * settings that must fail closed (read-only): fn is called for each, in
 * file order, credentials file first; a non-zero return stops the walk and
 * is returned. Returns 0 when fn always returned 0. */
int aws_profile_each(const struct aws_files *f, const char *profile, const char *key,
                     int (*fn)(void *ctx, const struct aws_setting *s), void *ctx);

/* A setting from another kind of config-file section (`[sso-session x]`,
 * `[services x]`): `kind` is "sso-session" or "services"; the same rule as
 * for profiles (the last section whose text starts with `kind` and whose
 * second shell word is `name`). */
const struct ini_section *aws_config_section(const struct aws_files *f, const char *kind,
                                             const char *name);

/* Parses a boolean setting ("true"/"false", any case). Returns 0 with *out
 * set, -1 with err naming `what` when the text is neither. */
int aws_parse_bool(const char *text, const char *what, bool *out, struct api_error *err);

#endif
