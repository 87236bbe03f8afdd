/* api/shlex.h — words of a line as Python's shlex.split (POSIX mode) makes
 * them. botocore splits two things this way: a credential_process command
 * line, and a config section name (`[profile "my name"]` is profile
 * `my name`); the AWS CLI and this console must read both alike.
 *
 * Rules: blanks (space, tab, CR, LF) separate words; '...' keeps everything;
 * "..." keeps everything but \" and \\ (which lose their backslash); a
 * backslash outside quotes keeps the next character; quoted and unquoted
 * pieces next to each other make one word (`a'b c'` is `ab c`); `''` is an
 * empty word. No comments, no variables, no globbing.
 */
#ifndef API_SHLEX_H
#define API_SHLEX_H

/* Returns a NULL-terminated vector of words (free it with shlex_free), or
 * NULL with *why set: an unclosed quote, a trailing backslash, no word at
 * all, out of memory. */
char **shlex_split(const char *line, const char **why);

void shlex_free(char **words);

#endif
