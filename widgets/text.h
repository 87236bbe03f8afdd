/* widgets/text.h — the one sanitizer, display widths and cuts. No curses here.
 *
 * Every string that comes from outside (the network, a file, the user's
 * typing) passes text_next() before it reaches the terminal: it is the one
 * place that decides how a byte sequence is shown. Everything else in this
 * header (width, cut, sanitize, wrap) and every widget's drawing is built on
 * it, so they always agree.
 *
 * What text_next() shows escaped, as plain ASCII, never sent raw:
 *   C0 controls and DEL       caret notation: ESC "^[", CR "^M", TAB "^I",
 *                             NUL "^@", DEL "^?"
 *   C1 controls U+0080-009F   "\u0085"
 *   bidi and direction marks  U+202A-202E, U+2066-2069, U+200E, U+200F,
 *                             U+061C, and U+2028/U+2029: "\u202e"
 *   invisible characters      the default-ignorable code points: U+00AD,
 *                             U+034F, U+115F-1160, U+17B4-17B5, U+180E,
 *                             U+200B, U+2060-206F, U+3164, U+FEFF, U+FFA0,
 *                             U+FFF0-FFFB, U+1BCA0-1BCA3, U+1D173-1D17A, the
 *                             tag characters U+E0000-E007F and the rest of
 *                             U+E0000-E0FFF but the variation selectors (two
 *                             names that differ only by these would look
 *                             alike): "\u00ad", "\U000e0041"
 *                             (text_cp_escaped() is this list and the two
 *                             above, for writers with their own escape
 *                             syntax, e.g. JSON on a terminal)
 *   invalid UTF-8             each bad byte as "\xff" (overlong forms,
 *                             surrogates, code points over U+10FFFF, cut
 *                             sequences included)
 *   unprintable (wcwidth<0)   "\u0378" (UTF-8 locale)
 *   any non-ASCII character   "\u00e9", "\U0001f600" when the locale is not
 *                             UTF-8 (consistently: widths are then 1 a byte)
 * Input is always decoded as UTF-8 (the data is UTF-8 whatever the locale),
 * with a decoder of our own rather than mbrtowc: mbrtowc follows LC_CTYPE and
 * in the C locale would reject every non-ASCII byte without saying which.
 *
 * Widths are display columns (wcwidth): CJK and emoji 2, combining marks 0.
 * A cut never splits a character or an escape.
 *
 * No character is layout: a '\n' in any string is drawn "^J" where it is,
 * never as a line break (text_wrap too), so outside text cannot start lines
 * of its own. Owners give separate lines as separate strings (e.g.
 * dialog_add_paragraph()). A value holding a NUL (JSON "\u0000") is passed
 * with its length (json_object_get_string_len), never TEXT_NUL, or
 * sanitized first with text_sanitize(buf, cap, s, len): the NUL is then
 * "^@" and the rest of the value shows.
 */
#ifndef WIDGETS_TEXT_H
#define WIDGETS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Whether code point cp is one the sanitizer never sends to a terminal as
 * itself: C0 controls, DEL, C1 controls, bidi and invisible characters (the
 * list above; the same in every locale). The one list: every path to a
 * terminal (the widgets through text_next, the command-line verbs through
 * their JSON and CSV writers) asks it. */
bool text_cp_escaped(unsigned long cp);

/* Pass as a length: the string is NUL-terminated. With an explicit length an
 * embedded NUL is just another control and is shown as "^@". */
#define TEXT_NUL ((size_t)-1)

/* Reads LC_CTYPE (nl_langinfo(CODESET)) and remembers whether it is UTF-8.
 * Call after every setlocale(); the first use of this header calls it once.
 * text_set_utf8() forces the answer (tests, benchmarks). */
void text_init_locale(void);
void text_set_utf8(bool utf8);
bool text_utf8(void);

/* One displayable unit: a printable character with its trailing combining
 * marks is *not* merged here; each call yields one code point or one escape. */
struct text_glyph {
    wchar_t wc;    /* the character to draw when esclen == 0 */
    int width;     /* columns: 0 (combining), 1 or 2; esclen for escapes */
    int esclen;    /* > 0: draw esc[0..esclen) (ASCII) instead of wc */
    char esc[12];  /* NUL-terminated escape, e.g. "^[" or "\u202e" */
    size_t nbytes; /* input bytes consumed */
};

/* Decodes the next unit of s[*pos..len) into g and advances *pos.
 * Returns false at the end (len may be TEXT_NUL: stop at the NUL). */
bool text_next(const char *s, size_t len, size_t *pos, struct text_glyph *g);

/* Display width of the string as it would be drawn (escapes included). */
int text_width(const char *s, size_t len);

/* The longest prefix of s that fits in maxw columns, never splitting a
 * character or an escape; combining marks stay with their base. Returns its
 * byte length and sets *width (may be NULL) to its columns. With
 * TEXT_ELLIPSIS, when the whole string does not fit, one column is kept for
 * the ellipsis (text_ellipsis()) which the caller draws after the prefix. */
#define TEXT_ELLIPSIS 1u
size_t text_cut(const char *s, size_t len, int maxw, unsigned flags, int *width);

/* The ellipsis glyph: "…" in a UTF-8 locale, "~" otherwise (1 column). */
const char *text_ellipsis(void);

/* Writes the sanitized form of s into dst (always NUL-terminated when
 * cap > 0): printable characters as UTF-8 (or escaped, see above), escapes as
 * ASCII. Never splits a unit; stops at the last one that fits. Returns the
 * bytes written (excluding the NUL). */
size_t text_sanitize(char *dst, size_t cap, const char *s, size_t len);

/* Same, into a new malloc'd string the caller frees. NULL only when out of
 * memory. */
char *text_sanitize_dup(const char *s, size_t len);

/* Word wrap: the byte length of the first line of s[0..len) that fits in
 * width columns (breaking after a space when there is one, else at the last
 * unit that fits; at least one unit so progress is guaranteed; a '\n' is a
 * unit like any other, drawn "^J"). *next gets the offset where the next
 * line starts.
 * Returns 0 and *next = len at the end. */
size_t text_wrap(const char *s, size_t len, int width, size_t *next);

/* Case-insensitive substring search (ASCII fast path, towlower for the rest
 * in a UTF-8 locale). needle must come from text_fold(). Returns true when
 * found. Used by the table filter. */
bool text_contains_folded(const char *hay, size_t haylen, const char *needle, size_t nlen);

/* Folds needle for text_contains_folded into dst (cap bytes, NUL-terminated):
 * lower case. Returns its byte length. */
size_t text_fold(char *dst, size_t cap, const char *s);

/* Orders two texts as a person reads them: case-blind (text_fold), runs of
 * digits as numbers ("9" before "10", strverscmp). <0, 0 or >0. The table's
 * sort order for text; owners use it for the text columns of their own
 * compare. */
int text_compare(const char *a, const char *b);

/* Byte offsets for editing by character: the start of the character after /
 * before the one at pos (a base character with its combining marks counts as
 * one). */
size_t text_next_char(const char *s, size_t len, size_t pos);
size_t text_prev_char(const char *s, size_t len, size_t pos);

/* Formats n with thousands separators ("10,000") into buf. Returns buf. */
char *text_thousands(char *buf, size_t cap, unsigned long long n);

#endif
