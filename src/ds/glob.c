/*
 * glob.c: Redis-compatible glob matching (the semantics of Redis's
 * stringmatchlen) without recursion.
 *
 * Core idea: every pattern element other than '*' consumes exactly one byte
 * of the subject, and how far an element extends in the pattern depends on
 * the pattern alone. So a match is a sequence of fixed-length segments
 * separated by star groups, and the leftmost placement of each segment is
 * always the best one. The matcher walks pattern and subject together and
 * keeps a single backtrack point, the last star group seen: on a mismatch it
 * lets that star swallow one more byte and retries the segment after it.
 * Earlier stars never need revisiting, which bounds the work by
 * O(len(pattern) * len(subject)) instead of the exponential blow-up of naive
 * recursion on "*a*a*a*...b".
 *
 * Redis quirks kept on purpose (checked against redis-server 7.0.15):
 *  - An empty subject matches only the empty pattern: "*" does not match ""
 *    (KEYS and SCAN special-case the pattern "*" before matching).
 *  - '[' ... ']' : '^' right after '[' negates; '\x' inside escapes x and is
 *    compared exactly (no case folding); "a-z" is a range whose bounds may
 *    be reversed; a '-' range is recognised whenever two more pattern bytes
 *    follow, even when the second is ']' ("[a-]" ranges from ']' to 'a' and
 *    the class continues). An unterminated class ends at the pattern's end.
 *  - Range bounds and the subject byte compare as signed chars (x86-64
 *    Redis), so "[a-\xff]" is the range -1..97: it holds 0xff and 0x00..'a'
 *    but not 'b' or 0x80..0xfe. With nocase, bounds are ordered first and
 *    folded after, and folding only maps 'A'..'Z' (tolower in the C
 *    locale, which is what Redis runs in).
 *  - A trailing '\' is a literal backslash.
 *  - The 1001st star group (not counting a trailing one) makes the whole
 *    match fail once it is reached with subject bytes left: Redis's guard
 *    against deep recursion (CVE-2024-31228), kept for identical results.
 */
#include "glob.h"

#include <stdint.h>

/* Redis gives up when its recursion (one level per star group) passes this. */
#define GLOB_MAX_STAR_GROUPS 1000

/* tolower() in the "C" locale: only ASCII letters change; negative values
 * (high bytes as signed chars) are returned unchanged. */
static inline int fold(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* A byte as x86-64 Redis compares it in ranges: plain char is signed. */
static inline int sbyte(char c)
{
    return (signed char)c;
}

static inline bool same_byte(char a, char b, bool nocase)
{
    return nocase ? fold((unsigned char)a) == fold((unsigned char)b) : a == b;
}

/*
 * Matches the class starting just after a '[' at pat[p] against c. Returns
 * the pattern index just past the class (after its ']', or plen when the
 * class is unterminated) and sets *hit.
 */
static size_t match_class(const char *pat, size_t plen, size_t p, char c,
                          bool nocase, bool *hit)
{
    bool negate = p < plen && pat[p] == '^';
    bool in = false;
    if (negate)
        p++;
    for (;;) {
        if (p == plen)
            break;
        if (pat[p] == '\\' && plen - p >= 2) {
            if (pat[p + 1] == c)
                in = true;
            p += 2;
        } else if (pat[p] == ']') {
            p++;
            break;
        } else if (plen - p >= 3 && pat[p + 1] == '-') {
            int lo = sbyte(pat[p]), hi = sbyte(pat[p + 2]), x = sbyte(c);
            if (lo > hi) {
                int t = lo;
                lo = hi;
                hi = t;
            }
            if (nocase) {
                lo = fold(lo);
                hi = fold(hi);
                x = fold(x);
            }
            if (x >= lo && x <= hi)
                in = true;
            p += 3;
        } else {
            if (same_byte(pat[p], c, nocase))
                in = true;
            p++;
        }
    }
    *hit = in != negate;
    return p;
}

/*
 * Matches the single-byte element at pat[p] (anything but '*') against c.
 * Returns the index past the element and sets *hit.
 */
static inline size_t match_one(const char *pat, size_t plen, size_t p, char c,
                               bool nocase, bool *hit)
{
    switch (pat[p]) {
    case '?':
        *hit = true;
        return p + 1;
    case '[':
        return match_class(pat, plen, p + 1, c, nocase, hit);
    case '\\':
        /* The escaped byte is literal; so is a trailing '\'. */
        if (plen - p >= 2)
            p++;
        break;
    default:
        break;
    }
    *hit = same_byte(pat[p], c, nocase);
    return p + 1;
}

bool glob_match(const char *pat, size_t plen, const char *str, size_t slen,
                bool nocase)
{
    size_t p = 0, s = 0;
    size_t star_p = SIZE_MAX;   /* pattern index just after the last star */
    size_t star_s = 0;          /* subject index that star is tried up to */
    unsigned groups = 0;        /* star groups passed so far */

    /* Redis's loop runs only while both sides have bytes left. */
    if (slen == 0)
        return plen == 0;
    while (s < slen) {
        if (p < plen && pat[p] == '*') {
            while (p + 1 < plen && pat[p + 1] == '*')
                p++;
            if (p + 1 == plen)
                return true;            /* trailing star eats the rest */
            if (++groups > GLOB_MAX_STAR_GROUPS)
                return false;
            star_p = ++p;
            star_s = s;
            continue;
        }
        if (p < plen) {
            bool hit;
            size_t next = match_one(pat, plen, p, str[s], nocase, &hit);
            if (hit) {
                p = next;
                s++;
                continue;
            }
        }
        if (star_p == SIZE_MAX)
            return false;
        /* The segment after the last star failed here: let the star take
         * one more byte and retry the segment from the next position. */
        p = star_p;
        s = ++star_s;
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}
