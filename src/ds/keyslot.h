/*
 * keyslot: the Redis Cluster key-to-slot function.
 *
 * slot = CRC16-XMODEM(key or its {hash tag}) mod 16384, exactly as the Redis
 * Cluster specification defines it, so every cluster client computes the
 * same slot. The hash tag is the bytes between the first '{' and the first
 * '}' after it, when that span is non-empty.
 */
#ifndef RC_KEYSLOT_H
#define RC_KEYSLOT_H

#include <stddef.h>
#include <stdint.h>

#define KEYSLOT_COUNT 16384

uint16_t crc16_xmodem(const void *buf, size_t len);
unsigned keyslot(const char *key, size_t len);

#endif
