/*
 * xalloc: allocation that never returns NULL. A failed allocation aborts
 * (STYLE.md: maxmemory is the real guard, so call sites carry no NULL
 * branches).
 */
#ifndef RC_XALLOC_H
#define RC_XALLOC_H

#include <stdlib.h>

static inline void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

static inline void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        abort();
    return p;
}

static inline void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        abort();
    return p;
}

#endif
