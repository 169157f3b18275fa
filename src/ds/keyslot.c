/*
 * keyslot.c: CRC16 (XMODEM: poly 0x1021, init 0, no reflection) and the
 * Redis Cluster hash-tag rule. Table built once on first use.
 */
#include "keyslot.h"

#include <string.h>

static uint16_t table[256];
static int table_ready;

static void build_table(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t crc = (uint16_t)(i << 8);
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021)
                                 : (uint16_t)(crc << 1);
        table[i] = crc;
    }
    table_ready = 1;
}

uint16_t crc16_xmodem(const void *buf, size_t len)
{
    const unsigned char *p = buf;
    uint16_t crc = 0;
    if (!table_ready)
        build_table();
    for (size_t i = 0; i < len; i++)
        crc = (uint16_t)((crc << 8) ^ table[((crc >> 8) ^ p[i]) & 0xff]);
    return crc;
}

unsigned keyslot(const char *key, size_t len)
{
    const char *open = memchr(key, '{', len);
    if (open) {
        size_t rest = len - (size_t)(open - key) - 1;
        const char *close = memchr(open + 1, '}', rest);
        if (close && close > open + 1)
            return crc16_xmodem(open + 1, (size_t)(close - open - 1)) &
                   (KEYSLOT_COUNT - 1);
    }
    return crc16_xmodem(key, len) & (KEYSLOT_COUNT - 1);
}
