/* widgets/prompt.h — a one-line prompt ("/" filter, ":" command) with
 * history and completion.
 *
 * Keys: printable characters insert; Left/Right/Home/End (^A ^E) move by
 * character; Backspace/Del delete; ^U clears; ^W deletes the word before the
 * cursor; Up/Down walk the history; Tab completes; Enter submits; Esc
 * cancels. Results: WR_CHANGED | WR_REDRAW when the text changed (a filter
 * owner re-filters live), WR_SUBMIT on Enter (the text, if not empty, is
 * added to the history), WR_CANCEL on Esc.
 *
 * Completion: on Tab the completer is asked for the candidates of the word
 * under the cursor (the text from the last space before the cursor to the
 * cursor). One candidate replaces the word and adds a space; several extend
 * the word to their common prefix and are listed after the text (dimmed)
 * until the next key. The completer is a data-supply callback: it must not
 * act on anything.
 *
 * The history is the owner's (so it outlives one prompt); a prompt only
 * reads it and adds to it on submit. Duplicates of the newest entry are not
 * added; the oldest entries drop past max.
 */
#ifndef WIDGETS_PROMPT_H
#define WIDGETS_PROMPT_H

#include <stddef.h>

#include "widgets/widget.h"

struct prompt_history;
struct prompt_history *prompt_history_new(size_t max);
void prompt_history_free(struct prompt_history *h);
int prompt_history_add(struct prompt_history *h, const char *line); /* 0 or -1 */
size_t prompt_history_count(const struct prompt_history *h);
const char *prompt_history_get(const struct prompt_history *h, size_t i); /* 0: newest */

struct prompt_completions;
/* Adds a candidate (copied). 0 or -1. */
int prompt_complete_add(struct prompt_completions *out, const char *candidate);
/* text is the whole line, word the start of the word being completed (a
 * suffix of text up to the cursor). */
typedef void (*prompt_completer)(void *ctx, const char *text, const char *word,
                                 struct prompt_completions *out);

struct prompt;

/* leader: drawn first ("/", ":"); initial: starting text (may be NULL).
 * history and completer may be NULL. history is not owned. */
struct prompt *prompt_new(const char *leader, const char *initial, struct prompt_history *history,
                          prompt_completer complete, void *cctx);
struct widget *prompt_widget(struct prompt *p);
void prompt_delete(struct prompt *p);

const char *prompt_text(const struct prompt *p);
int prompt_set_text(struct prompt *p, const char *text); /* cursor to the end; 0 or -1 */
/* The candidates listed by the last Tab (0 when none shown). */
size_t prompt_candidate_count(const struct prompt *p);

#endif
