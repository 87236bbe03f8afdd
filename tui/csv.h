/* tui/csv.h — RFC 4180 CSV records, and text made safe for a terminal.
 *
 * Contract: csv_write_record() writes one record: fields separated by ',',
 * a field quoted ("...", inner quotes doubled) when it holds ',', '"', CR or
 * LF; the record ends with CRLF as RFC 4180
 * says. A field that a spreadsheet would read as a formula (its first
 * character is '=', '+', '-', '@', TAB or CR) gets a leading '\'', as OWASP
 * advises against CSV injection: a tag value "=HYPERLINK(...)" stays text. Bytes are written as
 * they are, unless `terminal` is set: then every field goes through text_escape_terminal() first
 * (see below), because service text (tag values, login names) may carry escape sequences that a
 * terminal would obey. Files and pipes get the exact bytes.
 *
 * Returns 0, or -1 when the stream reports a write error.
 */
#ifndef TUI_CSV_H
#define TUI_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

int csv_write_record(FILE *out, const char *const *fields, size_t n, bool terminal);
/* The same with each field's length in lens (a field may hold NUL bytes,
 * written as they are; with `terminal`, escaped as \x00). */
int csv_write_record_len(FILE *out, const char *const *fields, const size_t *lens, size_t n,
                         bool terminal);

/* Writes s (len bytes) to out with what a terminal would interpret shown
 * escaped: C0 controls except LF and TAB, and DEL as \xNN; the rest of the
 * console's list (text_cp_escaped() of widgets/text.h: C1, bidi, zero-width
 * and other invisible characters) as \uNNNN or \UNNNNNNNN; bytes that are
 * not valid UTF-8 as \xNN. A
 * backslash itself is left alone: the result is for eyes, not for parsing.
 * With `one_line`, LF and TAB are escaped too (error messages).
 * Returns 0 or -1 on a write error. */
int text_write_terminal(FILE *out, const char *s, size_t len, bool one_line);

/* The same into a buffer (always NUL-terminated, cut at a whole escape). */
void text_escape_terminal(const char *s, char *buf, size_t size, bool one_line);

/* Writes JSON text (json-c output: ASCII outside strings) to out. With
 * `terminal`, what json-c leaves raw but the console's list escapes
 * (text_cp_escaped(): DEL, C1, bidi, zero-width and other invisible
 * characters) becomes a \uNNNN escape (a surrogate pair above U+FFFF),
 * which keeps the JSON valid and its meaning unchanged; bytes that are not
 * UTF-8 become \ufffd.
 * Without it the text is written as it is. Returns 0 or -1 on a write error. */
int json_text_write(FILE *out, const char *text, bool terminal);

#endif
