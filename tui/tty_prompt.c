#include "tui/tty_prompt.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

/* Reads one line from fd into buf; returns its length, or -1 on end of input,
 * error or a line that does not fit. */
static long read_line(int fd, char *buf, size_t size)
{
    size_t len = 0;
    char c;

    for (;;) {
        ssize_t n = read(fd, &c, 1);
        if (n <= 0)
            return -1;
        if (c == '\n' || c == '\r')
            break;
        if (len + 1 >= size) {
            OPENSSL_cleanse(buf, len);
            return -1;
        }
        buf[len++] = c;
    }
    buf[len] = '\0';
    return (long)len;
}

int tty_mfa_prompt(void *ctx, const char *serial, char *code, size_t size)
{
    struct termios saved, quiet;
    char line[128];
    long len;
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    bool restore;

    (void)ctx;
    if (fd < 0)
        return -1;
    /* Echo goes off before the question is asked: a code typed the moment
     * the prompt shows is then neither echoed nor thrown away by a flush. */
    restore = tcgetattr(fd, &saved) == 0;
    if (restore) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    dprintf(fd, "MFA code for %s: ", serial);
    len = read_line(fd, line, sizeof line);
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &saved);
    dprintf(fd, "\n");
    close(fd);
    if (len <= 0 || (size_t)len >= size) {
        OPENSSL_cleanse(line, sizeof line);
        return -1;
    }
    memcpy(code, line, (size_t)len + 1);
    OPENSSL_cleanse(line, sizeof line);
    return 0;
}

bool tty_can_ask(void)
{
    int fd;

    if (!isatty(STDIN_FILENO))
        return false;
    fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

int tty_confirm_count(const char *question, unsigned long long count)
{
    char line[64], want[32];
    long len;
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);

    if (fd < 0)
        return -1;
    snprintf(want, sizeof want, "%llu", count);
    dprintf(fd, "%s\nType %s to confirm: ", question, want);
    len = read_line(fd, line, sizeof line);
    close(fd);
    return len > 0 && strcmp(line, want) == 0 ? 1 : 0;
}
