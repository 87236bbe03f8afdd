/* tui/interrupt.h — Ctrl-C as an event for a verb waiting on the network.
 *
 * OWNER: the outcomes work (issue 11: a change in flight is not abandoned
 * silently; `call` waits up to 2 s for its answer and reports the outcome).
 *
 * Call order: interrupt_catch() before the wait loop; poll interrupt_fd()
 * with the client's descriptors; after each wake-up interrupt_drain(), then
 * interrupt_count(); interrupt_release() when the wait is over (the earlier
 * dispositions come back: a later Ctrl-C ends the process as usual).
 * SIGINT, SIGTERM and SIGHUP are caught. Not reentrant: one catcher at a time.
 */
#ifndef TUI_INTERRUPT_H
#define TUI_INTERRUPT_H

/* Installs the handlers and the self-pipe they write to. Returns 0, or -1
 * (the pipe could not be made: signals keep their default action). */
int interrupt_catch(void);

/* The pipe's read end, readable after a signal; -1 when not catching. */
int interrupt_fd(void);

/* Empties the pipe (non-blocking). */
void interrupt_drain(void);

/* Signals caught since interrupt_catch(). */
int interrupt_count(void);

/* The last signal caught (0 when none): the verb exits 128 + it when it
 * stops without an outcome to report. */
int interrupt_signal(void);

/* Restores what the signals did before interrupt_catch() and closes the pipe. */
void interrupt_release(void);

#endif
