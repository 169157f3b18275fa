/*
 * test_keyslot: the key-to-slot function against the Redis Cluster
 * specification and against stock redis-server 7.0.
 *
 * Three sources of truth:
 *  - the spec's CRC16 test vector: CRC16-XMODEM("123456789") = 0x31C3;
 *  - the spec's hash-tag examples ({user1000}.following, foo{}{bar},
 *    foo{{bar}}zap, foo{bar}{zap});
 *  - slots printed by `redis-cli -p 7398 cluster keyslot <key>` against a
 *    stock redis-server 7.0 started with --cluster-enabled yes. Those
 *    numbers are pasted below as literals, so the test needs no server.
 */
#include "keyslot.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static unsigned slot_of(const char *key)
{
    return keyslot(key, strlen(key));
}

Test(crc16_xmodem, spec_test_vector_123456789_is_0x31c3)
{
    cr_assert_eq(crc16_xmodem("123456789", 9), 0x31C3);
}

Test(crc16_xmodem, empty_input_is_zero)
{
    cr_assert_eq(crc16_xmodem("", 0), 0);
}

Test(crc16_xmodem, single_bytes_match_the_polynomial)
{
    /* With init 0 and no reflection, one byte b gives the table entry for
     * b: 0x01 -> 0x1021 (the polynomial itself), 0x80 -> 0x9188. */
    cr_assert_eq(crc16_xmodem("\x01", 1), 0x1021);
    cr_assert_eq(crc16_xmodem("\x80", 1), 0x9188);
    cr_assert_eq(crc16_xmodem("\xff", 1), 0x1EF0);
}

Test(crc16_xmodem, is_binary_safe_over_nul_bytes)
{
    /* A NUL byte still changes the running CRC once it is non-zero. */
    cr_assert_neq(crc16_xmodem("a\0b", 3), crc16_xmodem("ab", 2));
    cr_assert_neq(crc16_xmodem("a\0", 2), crc16_xmodem("a", 1));
}

Test(keyslot, slot_is_crc16_modulo_16384)
{
    cr_assert_eq(KEYSLOT_COUNT, 16384);
    cr_assert_eq(slot_of("123456789"), 0x31C3 % 16384);
}

Test(keyslot, spec_tag_user1000_puts_following_and_followers_together)
{
    unsigned a = slot_of("{user1000}.following");
    unsigned b = slot_of("{user1000}.followers");
    cr_assert_eq(a, b);
    cr_assert_eq(a, slot_of("user1000"));
}

Test(keyslot, spec_empty_first_tag_hashes_the_whole_key)
{
    /* "foo{}{bar}": the first '{' is followed directly by '}', so the
     * whole key is hashed, not "bar". */
    const char *key = "foo{}{bar}";
    cr_assert_eq(slot_of(key), crc16_xmodem(key, strlen(key)) % 16384);
    cr_assert_neq(slot_of(key), slot_of("bar"));
}

Test(keyslot, spec_nested_open_brace_hashes_from_first_open_to_first_close)
{
    /* "foo{{bar}}zap" hashes "{bar". */
    cr_assert_eq(slot_of("foo{{bar}}zap"), crc16_xmodem("{bar", 4) % 16384);
}

Test(keyslot, spec_only_the_first_tag_counts)
{
    /* "foo{bar}{zap}" hashes "bar". */
    cr_assert_eq(slot_of("foo{bar}{zap}"), slot_of("bar"));
    cr_assert_neq(slot_of("foo{bar}{zap}"), slot_of("zap"));
}

Test(keyslot, unclosed_or_reversed_braces_hash_the_whole_key)
{
    const char *keys[] = { "{", "}", "{a", "a}", "}{", "a}b{c" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert_eq(slot_of(keys[i]),
                     crc16_xmodem(keys[i], strlen(keys[i])) % 16384,
                     "key %s", keys[i]);
}

Test(keyslot, tag_search_respects_len_not_nul)
{
    /* The closing brace sits after len, so there is no tag within the
     * key's bytes and the whole (shortened) key is hashed. */
    const char buf[] = "ab{cd}";
    cr_assert_eq(keyslot(buf, 5), crc16_xmodem(buf, 5) % 16384);
    /* A NUL inside the key is an ordinary byte, tag included. */
    const char bin[] = "x\0{t\0g}";
    cr_assert_eq(keyslot(bin, sizeof bin - 1), crc16_xmodem("t\0g", 3) % 16384);
}

/* Slots printed by stock redis-server 7.0 (CLUSTER KEYSLOT). */
static const struct {
    const char *key;
    size_t len;
    unsigned slot;
} redis_slots[] = {
#define K(s, n) { s, sizeof(s) - 1, n }
    K("foo", 12182),
    K("bar", 5061),
    K("hello", 866),
    K("123456789", 12739),
    K("{user1000}.following", 3443),
    K("{user1000}.followers", 3443),
    K("foo{}{bar}", 8363),
    K("foo{{bar}}zap", 4015),
    K("foo{bar}{zap}", 5061),
    K("{bar", 4015),
    K("a{b}c", 3300),
    K("{", 4092),
    K("}", 12090),
    K("{}", 15257),
    K("{a", 10276),
    K("a}{b}", 3300),
    K("x{}y", 16116),
    K("{{}}", 4092),
    K("a{b{c}d}e", 15725),
    K("user:1000", 1649),
    K("ringcache", 2837),
    K("key:000000000001", 8924),
    K("", 0),
    K("\x00\xff\x10{\x01}", 4129),
    K("line1\nline2", 51),
    K("\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87", 10303), /* "ключ" in UTF-8 */
#undef K
};

Test(keyslot, matches_stock_redis_cluster_keyslot)
{
    for (size_t i = 0; i < sizeof redis_slots / sizeof redis_slots[0]; i++)
        cr_assert_eq(keyslot(redis_slots[i].key, redis_slots[i].len),
                     redis_slots[i].slot, "case %zu", i);
}

Test(keyslot, matches_stock_redis_on_a_300_byte_key)
{
    /* 'a'..'z' repeated to 300 bytes; redis-server says slot 834. */
    char key[300];
    for (int i = 0; i < 300; i++)
        key[i] = (char)('a' + i % 26);
    cr_assert_eq(keyslot(key, sizeof key), 834);
}

Test(keyslot, every_result_is_below_16384)
{
    char key[8];
    for (unsigned i = 0; i < 100000; i++) {
        int len = snprintf(key, sizeof key, "%u", i);
        cr_assert_lt(keyslot(key, (size_t)len), KEYSLOT_COUNT);
    }
}
