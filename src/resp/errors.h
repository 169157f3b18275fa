/*
 * errors.h: every client-facing error text, exactly as Redis 7 sends it
 * (without the leading '-' and the CRLF). One place, so a wording change is
 * one edit and tests can grep for the same constants.
 */
#ifndef RC_ERRORS_H
#define RC_ERRORS_H

#define ERR_SYNTAX "ERR syntax error"
#define ERR_WRONGTYPE \
    "WRONGTYPE Operation against a key holding the wrong kind of value"
#define ERR_NOT_INT "ERR value is not an integer or out of range"
#define ERR_NOT_FLOAT "ERR value is not a valid float"
#define ERR_OVERFLOW "ERR increment or decrement would overflow"
#define ERR_INCR_NAN "ERR increment would produce NaN or Infinity"
#define ERR_NO_KEY "ERR no such key"
#define ERR_INVALID_DB "ERR DB index is out of range"
#define ERR_SAME_OBJECT "ERR source and destination objects are the same"
#define ERR_STRING_TOO_BIG "ERR string exceeds maximum allowed size " \
    "(proto-max-bulk-len)"
#define ERR_OFFSET_RANGE "ERR offset is out of range"
#define ERR_EXPIRE_TIME "ERR invalid expire time in '%s' command"
#define ERR_NOAUTH "NOAUTH Authentication required."
#define ERR_WRONGPASS \
    "WRONGPASS invalid username-password pair or user is disabled."
#define ERR_AUTH_NOPASS "ERR AUTH <password> called without any password " \
    "configured for the default user. Are you sure your configuration is " \
    "correct?"
#define ERR_UNKNOWN_CMD "ERR unknown command '%.128s', with args beginning with: "
#define ERR_ARITY "ERR wrong number of arguments for '%s' command"
#define ERR_UNKNOWN_SUB "ERR unknown subcommand '%.128s'. Try %s HELP."
#define ERR_MULTI_NESTED "ERR MULTI calls can not be nested"
#define ERR_EXEC_NO_MULTI "ERR EXEC without MULTI"
#define ERR_DISCARD_NO_MULTI "ERR DISCARD without MULTI"
#define ERR_WATCH_IN_MULTI "ERR WATCH inside MULTI is not allowed"
#define ERR_EXECABORT "EXECABORT Transaction discarded because of " \
    "previous errors."
#define ERR_OOM "OOM command not allowed when used memory > 'maxmemory'."
#define ERR_MAXCLIENTS "ERR max number of clients reached"
#define ERR_PROTO_VERSION "NOPROTO unsupported protocol version"
#define ERR_SELECT_RANGE "ERR DB index is out of range"
#define ERR_NOT_INT_CURSOR "ERR invalid cursor"
#define ERR_TIMEOUT_NEG "ERR timeout is negative"
#define ERR_TIMEOUT_RANGE "ERR timeout is out of range"
#define ERR_NUMKEYS_RANGE "ERR Number of keys can't be greater than " \
    "number of args"
#define ERR_NX_XX "ERR XX and NX options at the same time are not compatible"
#define ERR_GT_LT_NX "ERR GT, LT, and/or NX options at the same time are " \
    "not compatible"

/* Generic key commands (types/keys.c). */
#define ERR_EXPIRE_NX_XX "ERR NX and XX, GT or LT options at the same " \
    "time are not compatible"
#define ERR_EXPIRE_GT_LT "ERR GT and LT options at the same time are not " \
    "compatible"
#define ERR_UNSUPPORTED_OPT "ERR Unsupported option %.*s"
#define ERR_INT_RANGE "ERR value is out of range, value must between " \
    "-2147483648 and 2147483647"
#define ERR_MOVE_CLUSTER "ERR MOVE is not allowed in cluster mode"
#define ERR_COPY_CLUSTER "ERR Copying to another database is not allowed " \
    "in cluster mode"
#define ERR_LFU_OFF "ERR An LFU maxmemory policy is not selected, access " \
    "frequency not tracked. Please note that when switching between " \
    "policies at runtime LRU and LFU data will take some time to adjust."

#define ERR_LFU_ON "ERR An LFU maxmemory policy is selected, idle time not " \
    "tracked. Please note that when switching between policies at " \
    "runtime LRU and LFU data will take some time to adjust."

#endif
