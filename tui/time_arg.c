/* tui/time_arg.c — ISO 8601 points in time from the command line (time_arg.h). */
#include "tui/time_arg.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool take_digits(const char **p, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return false;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static int fail(char *errbuf, size_t errsize, const char *text, const char *why)
{
    snprintf(errbuf, errsize, "'%.64s' is not a time: %s", text, why);
    return -1;
}

int time_arg_parse(const char *text, double *epoch, char *errbuf, size_t errsize)
{
    const char *p = text;
    int y, mo, d, h = 0, mi = 0, s = 0, oh = 0, om = 0, sign = 0;
    double frac = 0;
    struct tm tm = {0};

    if (!text || !*text)
        return fail(errbuf, errsize, "", "empty");
    if (!take_digits(&p, 4, &y) || *p++ != '-' || !take_digits(&p, 2, &mo) || *p++ != '-' ||
        !take_digits(&p, 2, &d))
        return fail(errbuf, errsize, text, "expected 2024-01-01 or 2024-01-01T13:11:06Z");
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return fail(errbuf, errsize, text, "no such date");
    if (*p) {
        if (*p != 'T' && *p != 't')
            return fail(errbuf, errsize, text, "expected T between the date and the time");
        p++;
        if (!take_digits(&p, 2, &h) || *p++ != ':' || !take_digits(&p, 2, &mi) || *p++ != ':' ||
            !take_digits(&p, 2, &s))
            return fail(errbuf, errsize, text, "expected the time as HH:MM:SS");
        if (h > 23 || mi > 59 || s > 59)
            return fail(errbuf, errsize, text, "no such time of day");
        if (*p == '.') {
            double scale = 0.1;
            p++;
            if (!isdigit((unsigned char)*p))
                return fail(errbuf, errsize, text, "expected digits after the decimal point");
            for (; isdigit((unsigned char)*p); p++, scale /= 10)
                frac += (*p - '0') * scale;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p++ == '-' ? -1 : 1;
            if (!take_digits(&p, 2, &oh))
                return fail(errbuf, errsize, text, "expected the offset as +HH:MM");
            if (*p == ':')
                p++;
            if (!take_digits(&p, 2, &om) || oh > 23 || om > 59)
                return fail(errbuf, errsize, text, "expected the offset as +HH:MM");
        } else {
            return fail(errbuf, errsize, text,
                        "the time needs its zone: Z for UTC, or an offset like +02:00");
        }
        if (*p)
            return fail(errbuf, errsize, text, "unexpected text after the time");
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return fail(errbuf, errsize, text, "out of range");
    *epoch = (double)t + frac - sign * (oh * 3600.0 + om * 60.0);
    return 0;
}
