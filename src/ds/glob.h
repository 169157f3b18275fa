/*
 * glob: Redis-compatible glob matching for KEYS, SCAN MATCH, PSUBSCRIBE and
 * CONFIG GET.
 *
 * Syntax as Redis's stringmatchlen: '*' any run, '?' one byte, '[abc]',
 * '[^a]' / '[!a]'? (Redis accepts '^' only), ranges '[a-z]' (reversed ranges
 * allowed), '\x' escapes x. Binary safe (lengths, not NUL).
 *
 * Must not go exponential on crafted patterns ("*a*a*a*a...b"): the matcher
 * runs in O(pattern * string) time at worst.
 */
#ifndef RC_GLOB_H
#define RC_GLOB_H

#include <stdbool.h>
#include <stddef.h>

bool glob_match(const char *pat, size_t plen, const char *str, size_t slen,
                bool nocase);

#endif
