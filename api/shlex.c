/* api/shlex.c — shlex_split() (contract in api/shlex.h). */
#include "api/shlex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void shlex_free(char **words)
{
    if (words)
        for (char **w = words; *w; w++)
            free(*w);
    free(words);
}

char **shlex_split(const char *line, const char **why)
{
    size_t len = strlen(line), n = 0;
    char **words = calloc(len / 2 + 2, sizeof *words);
    char *word = malloc(len + 1);
    const char *p = line;

    *why = "out of memory";
    if (!words || !word)
        goto fail;
    while (*p) {
        size_t w = 0;
        bool in_word = false;

        while (is_blank(*p))
            p++;
        while (*p && !is_blank(*p)) {
            in_word = true;
            if (*p == '\'') {
                const char *end = strchr(p + 1, '\'');
                if (!end) {
                    *why = "a single quote is not closed";
                    goto fail;
                }
                memcpy(word + w, p + 1, (size_t)(end - p - 1));
                w += (size_t)(end - p - 1);
                p = end + 1;
            } else if (*p == '"') {
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    word[w++] = *p++;
                }
                if (*p != '"') {
                    *why = "a double quote is not closed";
                    goto fail;
                }
                p++;
            } else if (*p == '\\') {
                if (!p[1]) {
                    *why = "it ends with a backslash";
                    goto fail;
                }
                word[w++] = p[1];
                p += 2;
            } else {
                word[w++] = *p++;
            }
        }
        if (in_word) {
            word[w] = '\0';
            if (!(words[n++] = strdup(word)))
                goto fail;
        }
    }
    free(word);
    if (n == 0) {
        *why = "it is empty";
        shlex_free(words);
        return NULL;
    }
    return words;
fail:
    free(word);
    shlex_free(words);
    return NULL;
}
