/*
 * log.c: Redis-style log lines: "pid:M 23 Nov 2026 16:30:08.123 * msg".
 * Written to the logfile, or stdout when logfile is "". Level marks are
 * Redis's: '.' debug, '-' verbose, '*' notice, '#' warning.
 */
#include "server.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static FILE *log_fp;
static int log_level = LOG_NOTICE;

void log_init(const char *file, int level)
{
    log_level = level;
    if (file && *file) {
        FILE *f = fopen(file, "a");
        if (f) {
            log_fp = f;
            setvbuf(f, NULL, _IOLBF, 0);
            return;
        }
        fprintf(stderr, "Can't open the log file: %s\n", file);
    }
    log_fp = stdout;
    setvbuf(stdout, NULL, _IOLBF, 0);
}

void log_line(int level, const char *msg)
{
    if (level < log_level)
        return;
    if (!log_fp)
        log_fp = stdout;
    static const char marks[] = ".-*#";
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char ts[64];
    size_t n = strftime(ts, sizeof(ts), "%d %b %Y %H:%M:%S", &tm);
    snprintf(ts + n, sizeof(ts) - n, ".%03d", (int)(tv.tv_usec / 1000));
    fprintf(log_fp, "%d:M %s %c %s\n", (int)getpid(), ts,
            marks[level < 0 ? 0 : level > 3 ? 3 : level], msg);
}

void log_msg(int level, const char *fmt, ...)
{
    if (level < log_level)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_line(level, buf);
}
