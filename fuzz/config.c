/* fuzz/config.c — libFuzzer harness for the user's own configuration: the
 * key bindings file (tui/keymap.c, ~/.config/cognito-tui/config) and theme
 * files (widgets/theme.c). Byte 0 picks which parser gets the rest; both
 * must apply what they can and describe the rest as "NAME:LINE: why".
 * Properties beyond "no crash, no leak, no sanitizer report":
 *   - the key file: the count of bad lines matches the message (empty iff 0);
 *     a key name that parses round-trips through keymap_key_name();
 *   - a theme: accepted, or refused with "fuzz:" and the default left as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keymap.h"
#include "widgets/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok)
{
    if (!ok)
        abort();
}

static void keys(const char *text, size_t len)
{
    struct keymap *km = keymap_new();
    char err[512];

    if (!km)
        return;
    int bad = keymap_load_text(km, text, "fuzz", err, sizeof err);
    require(bad >= 0);
    require((bad == 0) == (err[0] == '\0'));
    require(bad == 0 || strncmp(err, "fuzz:", 5) == 0);
    require(memchr(err, '\0', sizeof err) != NULL);
    keymap_free(km);

    /* Every line as a key name. */
    for (const char *p = text; p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        char name[64], back[64];
        int key, again;
        if (n < sizeof name) {
            memcpy(name, p, n);
            name[n] = '\0';
            if (keymap_parse_key(name, &key) == 0) {
                keymap_key_name(key, back, sizeof back);
                require(keymap_parse_key(back, &again) == 0 && again == key);
            }
        }
        p += n + 1;
    }
}

static void theme(const char *text)
{
    struct theme t, d;
    char err[256];

    theme_default(&d);
    if (theme_parse(&t, text, "fuzz", err, sizeof err) < 0) {
        require(strncmp(err, "fuzz:", 5) == 0);
        require(memcmp(&t, &d, sizeof t) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 1)
        theme(text);
    else
        keys(text, strlen(text));
    free(text);
    return 0;
}
