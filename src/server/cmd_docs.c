/*
 * cmd_docs.c: the documentation of every command, as one table, and the
 * writer of COMMAND DOCS maps.
 *
 * Core idea: a row per command holds short strings only; the argument tree
 * of a command is written in a compact notation that is parsed when a
 * client asks for it (COMMAND DOCS is rare: redis-cli asks once at start).
 * Parsing goes into a small node array on the stack, then the map is
 * written, so a notation error can never produce a half-written reply.
 *
 * Argument notation (one string per command, items separated by spaces):
 *
 *   item  := ['?'] core { '*' | '+' | '@' version | '^' version }
 *   core  := TOKEN                    pure token, named lower(TOKEN)
 *          | TOKEN '!' name           pure token with another name
 *          | TOKEN '=' body           a token followed by a value
 *          | body
 *   body  := name ':' type ['#' n]    a value; type k key, s string,
 *                                     i integer, d double, p pattern,
 *                                     t unix-time
 *          | name '(' item {'|' item} ')'   oneof
 *          | name '{' item {' ' item} '}'   block
 *
 *   '?' optional, '*' multiple, '+' multiple with the token repeated
 *   (multiple_token), '@v' since version v, '^v' deprecated since v.
 *   TOKEN is upper case ([A-Z][A-Z0-9_-]*) and may be empty before '!'.
 *   A name may contain ':' (the type is after the last one).
 *   Keys get key_spec_index 0, 1, 2... in order of appearance; '#n' sets
 *   it explicitly (and, on a key, restarts the count after n).
 *
 *   Example, SET: "key:k value:s ?condition(NX|XX) ?GET ?expiration(
 *   EX=seconds:i|PX=milliseconds:i|EXAT=unix-time-seconds:t|
 *   PXAT=unix-time-milliseconds:t|KEEPTTL)"
 *
 * The key specification notation (the `keyspecs` column) is read by
 * cmd_command.c and documented there; `tips` are space-separated.
 *
 * Invariants: names are unique and lower case; every row's notation
 * parses (the integration tests ask COMMAND DOCS for every command and
 * check the tree; a bad row is logged with the offset of the error). Summaries and
 * complexities are ringcache's own wording; names, versions, groups,
 * argument structure and key specifications follow Redis 7.0 so that
 * clients and tools see the same shapes.
 */
#include "cmd_docs.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "server.h"

static const struct cmd_doc docs[] = {
    /* ---- string ---- */
    {"append", "2.0.0", "string", "O(1) amortized",
     "Appends a value to the string stored at a key, creating the key if "
     "needed.",
     "key:k value:s", "RW,insert/i1/r0,1,0", NULL},
    {"decr", "1.0.0", "string", "O(1)",
     "Subtracts one from the integer stored at a key.",
     "key:k", "RW,access,update/i1/r0,1,0", NULL},
    {"decrby", "1.0.0", "string", "O(1)",
     "Subtracts the given amount from the integer stored at a key.",
     "key:k decrement:i", "RW,access,update/i1/r0,1,0", NULL},
    {"get", "1.0.0", "string", "O(1)",
     "Returns the string stored at a key.",
     "key:k", "RO,access/i1/r0,1,0", NULL},
    {"getdel", "6.2.0", "string", "O(1)",
     "Returns the string stored at a key and removes the key.",
     "key:k", "RW,access,delete/i1/r0,1,0", NULL},
    {"getex", "6.2.0", "string", "O(1)",
     "Returns the string stored at a key and changes or clears its time to "
     "live.",
     "key:k ?expiration(EX=seconds:i|PX=milliseconds:i|"
     "EXAT=unix-time-seconds:t|PXAT=unix-time-milliseconds:t|PERSIST)",
     "RW,access,update/i1/r0,1,0", NULL},
    {"getrange", "2.4.0", "string", "O(N), N = length of the returned slice",
     "Returns a slice of the string stored at a key.",
     "key:k start:i end:i", "RO,access/i1/r0,1,0", NULL},
    {"getset", "1.0.0", "string", "O(1)",
     "Stores a new string at a key and returns the previous one.",
     "key:k value:s", "RW,access,update/i1/r0,1,0", NULL},
    {"incr", "1.0.0", "string", "O(1)",
     "Adds one to the integer stored at a key.",
     "key:k", "RW,access,update/i1/r0,1,0", NULL},
    {"incrby", "1.0.0", "string", "O(1)",
     "Adds the given amount to the integer stored at a key.",
     "key:k increment:i", "RW,access,update/i1/r0,1,0", NULL},
    {"incrbyfloat", "2.6.0", "string", "O(1)",
     "Adds the given floating point amount to the number stored at a key.",
     "key:k increment:d", "RW,access,update/i1/r0,1,0", NULL},
    {"lcs", "7.0.0", "string", "O(N*M), N and M = lengths of the two strings",
     "Finds the longest common subsequence of two strings.",
     "key1:k key2:k#0 ?LEN ?IDX ?MINMATCHLEN=len:i ?WITHMATCHLEN",
     "RO,access/i1/r1,1,0", NULL},
    {"mget", "1.0.0", "string", "O(N), N = number of keys",
     "Returns the strings stored at several keys.",
     "key:k*", "RO,access/i1/r-1,1,0", "request_policy:multi_shard"},
    {"mset", "1.0.1", "string", "O(N), N = number of keys",
     "Stores strings at several keys in one step.",
     "key_value{key:k value:s}*", "OW,update/i1/r-1,2,0",
     "request_policy:multi_shard response_policy:all_succeeded"},
    {"msetnx", "1.0.1", "string", "O(N), N = number of keys",
     "Stores strings at several keys, only if none of them exists.",
     "key_value{key:k value:s}*", "OW,insert/i1/r-1,2,0",
     "request_policy:multi_shard response_policy:agg_min"},
    {"psetex", "2.6.0", "string", "O(1)",
     "Stores a string at a key with a time to live in milliseconds.",
     "key:k milliseconds:i value:s", "OW,update/i1/r0,1,0", NULL},
    {"set", "1.0.0", "string", "O(1)",
     "Stores a string at a key, with optional conditions and expiry.",
     "key:k value:s ?condition(NX|XX)@2.6.12 ?GET@6.2.0 "
     "?expiration(EX=seconds:i@2.6.12|PX=milliseconds:i@2.6.12|"
     "EXAT=unix-time-seconds:t@6.2.0|PXAT=unix-time-milliseconds:t@6.2.0|"
     "KEEPTTL@6.0.0)", "RW,access,update,variable_flags/i1/r0,1,0", NULL},
    {"setex", "2.0.0", "string", "O(1)",
     "Stores a string at a key with a time to live in seconds.",
     "key:k seconds:i value:s", "OW,update/i1/r0,1,0", NULL},
    {"setnx", "1.0.0", "string", "O(1)",
     "Stores a string at a key only if the key does not exist.",
     "key:k value:s", "OW,insert/i1/r0,1,0", NULL},
    {"setrange", "2.2.0", "string",
     "O(1) amortized, plus the cost of copying the value",
     "Overwrites part of the string stored at a key, starting at an offset.",
     "key:k offset:i value:s", "RW,update/i1/r0,1,0", NULL},
    {"strlen", "2.2.0", "string", "O(1)",
     "Returns the length in bytes of the string stored at a key.",
     "key:k", "RO/i1/r0,1,0", NULL},
    {"substr", "1.0.0", "string", "O(N), N = length of the returned slice",
     "Returns a slice of the string stored at a key (old name of GETRANGE).",
     "key:k start:i end:i", "RO,access/i1/r0,1,0", NULL},

    /* ---- bitmap ---- */
    {"bitcount", "2.6.0", "bitmap", "O(N), N = bytes inspected",
     "Counts the bits set to one in a string.",
     "key:k ?index{start:i end:i ?index_unit(BYTE|BIT)@7.0.0}",
     "RO,access/i1/r0,1,0", NULL},
    {"bitfield", "3.2.0", "bitmap", "O(1) per operation",
     "Reads and writes integers of arbitrary width at bit offsets of a "
     "string.",
     "key:k ?operation(GET=encoding_offset{encoding:s offset:i}|"
     "write{?OVERFLOW=wrap_sat_fail(WRAP|SAT|FAIL) "
     "write_operation(SET=encoding_offset_value{encoding:s offset:i "
     "value:i}|INCRBY=encoding_offset_increment{encoding:s offset:i "
     "increment:i})})*", "RW,access,update,variable_flags/i1/r0,1,0", NULL},
    {"bitfield_ro", "6.0.0", "bitmap", "O(1) per operation",
     "Reads integers of arbitrary width at bit offsets of a string.",
     "key:k ?GET=encoding_offset{encoding:s offset:i}+", "RO,access/i1/r0,1,0",
     NULL},
    {"bitop", "2.6.0", "bitmap", "O(N), N = length of the longest input",
     "Combines strings bitwise (AND, OR, XOR, NOT) and stores the result.",
     "operation:s destkey:k key:k*",
     "OW,update/i2/r0,1,0;RO,access/i3/r-1,1,0", NULL},
    {"bitpos", "2.8.7", "bitmap", "O(N), N = bytes inspected",
     "Finds the first bit set to one or zero in a string.",
     "key:k bit:i ?index{start:i ?end_index{end:i ?index_unit(BYTE|"
     "BIT)@7.0.0}}", "RO,access/i1/r0,1,0", NULL},
    {"getbit", "2.2.0", "bitmap", "O(1)",
     "Returns the bit at an offset of a string.",
     "key:k offset:i", "RO,access/i1/r0,1,0", NULL},
    {"setbit", "2.2.0", "bitmap", "O(1)",
     "Sets or clears the bit at an offset of a string.",
     "key:k offset:i value:i", "RW,access,update/i1/r0,1,0", NULL},

    /* ---- hyperloglog ---- */
    {"pfadd", "2.8.9", "hyperloglog", "O(1) per element",
     "Adds elements to a HyperLogLog cardinality estimator.",
     "key:k ?element:s*", "RW,insert/i1/r0,1,0", NULL},
    {"pfcount", "2.8.9", "hyperloglog",
     "O(1) for one key, O(N) to merge N keys",
     "Estimates the number of distinct elements seen by HyperLogLogs.",
     "key:k*", "RW,access/i1/r-1,1,0", NULL},
    {"pfmerge", "2.8.9", "hyperloglog", "O(N), N = number of sources",
     "Merges several HyperLogLogs into one.",
     "destkey:k sourcekey:k*",
     "RW,access,insert/i1/r0,1,0;RO,access/i2/r-1,1,0", NULL},

    /* ---- generic ---- */
    {"copy", "6.2.0", "generic", "O(N) worst case, N = elements in the value",
     "Duplicates the value of a key under another key.",
     "source:k destination:k ?DB=destination-db:i ?REPLACE",
     "RO,access/i1/r0,1,0;OW,update/i2/r0,1,0", NULL},
    {"del", "1.0.0", "generic", "O(N), N = number of keys (plus their sizes)",
     "Removes keys.",
     "key:k*", "RM,delete/i1/r-1,1,0",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"dump", "2.6.0", "generic", "O(1) to locate, O(N*M) to serialize",
     "Returns a serialized form of the value stored at a key.",
     "key:k", "RO,access/i1/r0,1,0", "nondeterministic_output"},
    {"exists", "1.0.0", "generic", "O(N), N = number of keys",
     "Counts how many of the given keys exist.",
     "key:k*", "RO/i1/r-1,1,0",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"expire", "1.0.0", "generic", "O(1)",
     "Gives a key a time to live in seconds.",
     "key:k seconds:i ?condition(NX|XX|GT|LT)@7.0.0", "RW,update/i1/r0,1,0",
     NULL},
    {"expireat", "1.2.0", "generic", "O(1)",
     "Gives a key an absolute expiry time in Unix seconds.",
     "key:k unix-time-seconds:t ?condition(NX|XX|GT|LT)@7.0.0",
     "RW,update/i1/r0,1,0", NULL},
    {"expiretime", "7.0.0", "generic", "O(1)",
     "Returns the absolute expiry time of a key in Unix seconds.",
     "key:k", "RO,access/i1/r0,1,0", NULL},
    {"keys", "1.0.0", "generic", "O(N), N = keys in the database",
     "Lists the keys matching a glob pattern.",
     "pattern:p", NULL,
     "request_policy:all_shards nondeterministic_output_order"},
    {"migrate", "2.6.0", "generic", "O(N), N = size of the moved values",
     "Moves keys to another server atomically.",
     "host:s port:i key_or_empty_string(key:k|!empty_string) "
     "destination-db:i timeout:i ?COPY@3.0.0 ?REPLACE@3.0.0 "
     "?authentication(?AUTH=password:s@4.0.7|"
     "?AUTH2=username_password{username:s password:s}@6.0.0) "
     "?KEYS=key:k*@3.0.6",
     "RW,access,delete/i3/r0,1,0;RW,access,delete,incomplete/kKEYS,-2/r-1,1,0",
     "nondeterministic_output"},
    {"move", "1.0.0", "generic", "O(1)",
     "Moves a key to another logical database.",
     "key:k db:i", "RW,access,update/i1/r0,1,0", NULL},
    {"object", "2.2.3", "generic", "Depends on the subcommand.",
     "Container for commands that inspect the internals of values.",
     NULL, NULL, NULL},
    {"object|encoding", "2.2.3", "generic", "O(1)",
     "Returns the internal encoding of the value stored at a key.",
     "key:k", "RO/i2/r0,1,0", "nondeterministic_output"},
    {"object|freq", "4.0.0", "generic", "O(1)",
     "Returns the access frequency counter of a key (LFU policies).",
     "key:k", "RO/i2/r0,1,0", "nondeterministic_output"},
    {"object|idletime", "2.2.3", "generic", "O(1)",
     "Returns the seconds since a key was last accessed.",
     "key:k", "RO/i2/r0,1,0", "nondeterministic_output"},
    {"object|refcount", "2.2.3", "generic", "O(1)",
     "Returns the reference count of the value stored at a key.",
     "key:k", "RO/i2/r0,1,0", "nondeterministic_output"},
    {"object|help", "6.2.0", "generic", "O(1)",
     "Lists the OBJECT subcommands.",
     NULL, NULL, NULL},
    {"persist", "2.2.0", "generic", "O(1)",
     "Removes the time to live of a key.",
     "key:k", "RW,update/i1/r0,1,0", NULL},
    {"pexpire", "2.6.0", "generic", "O(1)",
     "Gives a key a time to live in milliseconds.",
     "key:k milliseconds:i ?condition(NX|XX|GT|LT)@7.0.0",
     "RW,update/i1/r0,1,0", NULL},
    {"pexpireat", "2.6.0", "generic", "O(1)",
     "Gives a key an absolute expiry time in Unix milliseconds.",
     "key:k unix-time-milliseconds:t ?condition(NX|XX|GT|LT)@7.0.0",
     "RW,update/i1/r0,1,0", NULL},
    {"pexpiretime", "7.0.0", "generic", "O(1)",
     "Returns the absolute expiry time of a key in Unix milliseconds.",
     "key:k", "RO,access/i1/r0,1,0", NULL},
    {"pttl", "2.6.0", "generic", "O(1)",
     "Returns the remaining time to live of a key in milliseconds.",
     "key:k", "RO,access/i1/r0,1,0", "nondeterministic_output"},
    {"randomkey", "1.0.0", "generic", "O(1)",
     "Returns a key picked at random.",
     NULL, NULL, "request_policy:all_shards nondeterministic_output"},
    {"rename", "1.0.0", "generic", "O(1)",
     "Gives a key a new name, replacing any key already there.",
     "key:k newkey:k", "RW,access,delete/i1/r0,1,0;OW,update/i2/r0,1,0", NULL},
    {"renamenx", "1.0.0", "generic", "O(1)",
     "Gives a key a new name only if the new name is free.",
     "key:k newkey:k", "RW,access,delete/i1/r0,1,0;OW,insert/i2/r0,1,0", NULL},
    {"restore", "2.6.0", "generic", "O(1) to create, O(N*M) to deserialize",
     "Creates a key from a value produced by DUMP.",
     "key:k ttl:i serialized-value:s ?REPLACE@3.0.0 ?ABSTTL@5.0.0 "
     "?IDLETIME=seconds:i@5.0.0 ?FREQ=frequency:i@5.0.0",
     "OW,update/i1/r0,1,0", NULL},
    {"scan", "2.8.0", "generic", "O(1) per call, O(N) for a full iteration",
     "Walks the keyspace incrementally with a cursor.",
     "cursor:i ?MATCH=pattern:p ?COUNT=count:i ?TYPE=type:s@6.0.0", NULL,
     "nondeterministic_output request_policy:special"},
    {"sort", "1.0.0", "generic",
     "O(N+M*log(M)), N = input size, M = output size",
     "Sorts the elements of a list, set or sorted set, optionally storing "
     "them.",
     "key:k ?BY=pattern:p#1 ?LIMIT=offset_count{offset:i count:i} "
     "?GET=pattern:p#1+ ?order(ASC|DESC) ?ALPHA!sorting "
     "?STORE=destination:k#2",
     "RO,access/i1/r0,1,0;RO,access/u/u;OW,update/u/u", NULL},
    {"sort_ro", "7.0.0", "generic",
     "O(N+M*log(M)), N = input size, M = output size",
     "Sorts the elements of a list, set or sorted set (read-only form).",
     "key:k ?BY=pattern:p#1 ?LIMIT=offset_count{offset:i count:i} "
     "?GET=pattern:p#1+ ?order(ASC|DESC) ?ALPHA!sorting",
     "RO,access/i1/r0,1,0;RO,access/u/u", NULL},
    {"touch", "3.2.1", "generic", "O(N), N = number of keys",
     "Marks keys as accessed and counts the ones that exist.",
     "key:k*", "RO/i1/r-1,1,0",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"ttl", "1.0.0", "generic", "O(1)",
     "Returns the remaining time to live of a key in seconds.",
     "key:k", "RO,access/i1/r0,1,0", "nondeterministic_output"},
    {"type", "1.0.0", "generic", "O(1)",
     "Returns the type of the value stored at a key.",
     "key:k", "RO/i1/r0,1,0", NULL},
    {"unlink", "4.0.0", "generic", "O(1) per key; memory is reclaimed later",
     "Removes keys, reclaiming their memory in the background.",
     "key:k*", "RM,delete/i1/r-1,1,0",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"wait", "3.0.0", "generic", "O(1)",
     "Waits until earlier writes reach a number of replicas.",
     "numreplicas:i timeout:i", NULL,
     "request_policy:all_shards response_policy:agg_min"},

    /* ---- list ---- */
    {"blmove", "6.2.0", "list", "O(1)",
     "Moves an element between lists, blocking until one is available.",
     "source:k destination:k wherefrom(LEFT|RIGHT) whereto(LEFT|RIGHT) "
     "timeout:d", "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", NULL},
    {"blmpop", "7.0.0", "list", "O(N+M), N = keys, M = popped elements",
     "Pops elements from the first non-empty list, blocking until one is "
     "available.",
     "timeout:d numkeys:i key:k* where(LEFT|RIGHT) ?COUNT=count:i",
     "RW,access,delete/i2/n0,1,1", NULL},
    {"blpop", "2.0.0", "list", "O(N), N = number of keys",
     "Pops the head of the first non-empty list, blocking until one is "
     "available.",
     "key:k* timeout:d", "RW,access,delete/i1/r-2,1,0", NULL},
    {"brpop", "2.0.0", "list", "O(N), N = number of keys",
     "Pops the tail of the first non-empty list, blocking until one is "
     "available.",
     "key:k* timeout:d", "RW,access,delete/i1/r-2,1,0", NULL},
    {"brpoplpush", "2.2.0", "list", "O(1)",
     "Moves the tail of a list to the head of another, blocking until one "
     "is available.",
     "source:k destination:k timeout:d",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", NULL},
    {"lindex", "1.0.0", "list", "O(N), N = elements walked to reach the index",
     "Returns the list element at an index.",
     "key:k index:i", "RO,access/i1/r0,1,0", NULL},
    {"linsert", "2.2.0", "list",
     "O(N), N = elements walked to reach the pivot",
     "Inserts an element before or after another one in a list.",
     "key:k where(BEFORE|AFTER) pivot:s element:s", "RW,insert/i1/r0,1,0",
     NULL},
    {"llen", "1.0.0", "list", "O(1)",
     "Returns the number of elements of a list.",
     "key:k", "RO/i1/r0,1,0", NULL},
    {"lmove", "6.2.0", "list", "O(1)",
     "Pops an element from one end of a list and pushes it onto another "
     "list.",
     "source:k destination:k wherefrom(LEFT|RIGHT) whereto(LEFT|RIGHT)",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", NULL},
    {"lmpop", "7.0.0", "list", "O(N+M), N = keys, M = popped elements",
     "Pops elements from the first non-empty list among several.",
     "numkeys:i key:k* where(LEFT|RIGHT) ?COUNT=count:i",
     "RW,access,delete/i1/n0,1,1", NULL},
    {"lpop", "1.0.0", "list", "O(N), N = popped elements",
     "Removes and returns elements from the head of a list.",
     "key:k ?count:i@6.2.0", "RW,access,delete/i1/r0,1,0", NULL},
    {"lpos", "6.0.6", "list", "O(N), N = elements scanned",
     "Finds the positions of an element in a list.",
     "key:k element:s ?RANK=rank:i ?COUNT=num-matches:i ?MAXLEN=len:i",
     "RO,access/i1/r0,1,0", NULL},
    {"lpush", "1.0.0", "list", "O(1) per element",
     "Prepends elements to a list.",
     "key:k element:s*", "RW,insert/i1/r0,1,0", NULL},
    {"lpushx", "2.2.0", "list", "O(1) per element",
     "Prepends elements to a list that already exists.",
     "key:k element:s*", "RW,insert/i1/r0,1,0", NULL},
    {"lrange", "1.0.0", "list",
     "O(S+N), S = start offset, N = returned elements",
     "Returns a range of list elements.",
     "key:k start:i stop:i", "RO,access/i1/r0,1,0", NULL},
    {"lrem", "1.0.0", "list", "O(N+M), N = list length, M = removed elements",
     "Removes occurrences of an element from a list.",
     "key:k count:i element:s", "RW,delete/i1/r0,1,0", NULL},
    {"lset", "1.0.0", "list", "O(N), N = elements walked to reach the index",
     "Replaces the list element at an index.",
     "key:k index:i element:s", "RW,update/i1/r0,1,0", NULL},
    {"ltrim", "1.0.0", "list", "O(N), N = removed elements",
     "Keeps only a range of a list and drops the rest.",
     "key:k start:i stop:i", "RW,delete/i1/r0,1,0", NULL},
    {"rpop", "1.0.0", "list", "O(N), N = popped elements",
     "Removes and returns elements from the tail of a list.",
     "key:k ?count:i@6.2.0", "RW,access,delete/i1/r0,1,0", NULL},
    {"rpoplpush", "1.2.0", "list", "O(1)",
     "Moves the tail of a list to the head of another list.",
     "source:k destination:k",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", NULL},
    {"rpush", "1.0.0", "list", "O(1) per element",
     "Appends elements to a list.",
     "key:k element:s*", "RW,insert/i1/r0,1,0", NULL},
    {"rpushx", "2.2.0", "list", "O(1) per element",
     "Appends elements to a list that already exists.",
     "key:k element:s*", "RW,insert/i1/r0,1,0", NULL},

    /* ---- sorted-set ---- */
    {"bzmpop", "7.0.0", "sorted-set",
     "O(K+M*log(N)), K = keys, M = popped, N = set size",
     "Pops members by score from the first non-empty sorted set, blocking "
     "until one is available.",
     "timeout:d numkeys:i key:k* where(MIN|MAX) ?COUNT=count:i",
     "RW,access,delete/i2/n0,1,1", NULL},
    {"bzpopmax", "5.0.0", "sorted-set", "O(log(N)), N = set size",
     "Pops the highest-scored member of the first non-empty sorted set, "
     "blocking until one is available.",
     "key:k* timeout:d", "RW,access,delete/i1/r-2,1,0", NULL},
    {"bzpopmin", "5.0.0", "sorted-set", "O(log(N)), N = set size",
     "Pops the lowest-scored member of the first non-empty sorted set, "
     "blocking until one is available.",
     "key:k* timeout:d", "RW,access,delete/i1/r-2,1,0", NULL},
    {"zadd", "1.2.0", "sorted-set", "O(log(N)) per member, N = set size",
     "Adds members with scores to a sorted set, or updates their scores.",
     "key:k ?condition(NX|XX)@3.0.2 ?comparison(GT|LT)@6.2.0 "
     "?CH!change@3.0.2 ?INCR!increment@3.0.2 score_member{score:d member:s}*",
     "RW,update/i1/r0,1,0", NULL},
    {"zcard", "1.2.0", "sorted-set", "O(1)",
     "Returns the number of members of a sorted set.",
     "key:k", "RO/i1/r0,1,0", NULL},
    {"zcount", "2.0.0", "sorted-set", "O(log(N)), N = set size",
     "Counts the members of a sorted set within a score range.",
     "key:k min:d max:d", "RO,access/i1/r0,1,0", NULL},
    {"zdiff", "6.2.0", "sorted-set", "O(L+(N-K)log(N)), L = total input size",
     "Returns the members of the first sorted set that are in none of the "
     "others.",
     "numkeys:i key:k* ?WITHSCORES", "RO,access/i1/n0,1,1", NULL},
    {"zdiffstore", "6.2.0", "sorted-set",
     "O(L+(N-K)log(N)), L = total input size",
     "Stores the members of the first sorted set that are in none of the "
     "others.",
     "destination:k numkeys:i key:k*",
     "OW,update/i1/r0,1,0;RO,access/i2/n0,1,1", NULL},
    {"zincrby", "1.2.0", "sorted-set", "O(log(N)), N = set size",
     "Adds an amount to the score of a sorted set member.",
     "key:k increment:i member:s", "RW,access,update/i1/r0,1,0", NULL},
    {"zinter", "6.2.0", "sorted-set",
     "O(N*K)+O(M*log(M)), N = smallest input, K = inputs",
     "Returns the intersection of sorted sets.",
     "numkeys:i key:k* ?WEIGHTS=weight:i* ?AGGREGATE=aggregate(SUM|MIN|MAX) "
     "?WITHSCORES", "RO,access/i1/n0,1,1", NULL},
    {"zintercard", "7.0.0", "sorted-set",
     "O(N*K), N = smallest input, K = inputs",
     "Counts the members of the intersection of sorted sets.",
     "numkeys:i key:k* ?LIMIT=limit:i", "RO,access/i1/n0,1,1", NULL},
    {"zinterstore", "2.0.0", "sorted-set",
     "O(N*K)+O(M*log(M)), N = smallest input, K = inputs",
     "Stores the intersection of sorted sets.",
     "destination:k numkeys:i key:k* ?WEIGHTS=weight:i* "
     "?AGGREGATE=aggregate(SUM|MIN|MAX)",
     "OW,update/i1/r0,1,0;RO,access/i2/n0,1,1", NULL},
    {"zlexcount", "2.8.9", "sorted-set", "O(log(N)), N = set size",
     "Counts the members of a sorted set within a lexicographical range.",
     "key:k min:s max:s", "RO,access/i1/r0,1,0", NULL},
    {"zmpop", "7.0.0", "sorted-set",
     "O(K+M*log(N)), K = keys, M = popped, N = set size",
     "Pops members by score from the first non-empty sorted set among "
     "several.",
     "numkeys:i key:k* where(MIN|MAX) ?COUNT=count:i",
     "RW,access,delete/i1/n0,1,1", NULL},
    {"zmscore", "6.2.0", "sorted-set", "O(N), N = number of members asked",
     "Returns the scores of several sorted set members.",
     "key:k member:s*", "RO,access/i1/r0,1,0", NULL},
    {"zpopmax", "5.0.0", "sorted-set", "O(M*log(N)), M = popped, N = set size",
     "Removes and returns the highest-scored members of a sorted set.",
     "key:k ?count:i", "RW,access,delete/i1/r0,1,0", NULL},
    {"zpopmin", "5.0.0", "sorted-set", "O(M*log(N)), M = popped, N = set size",
     "Removes and returns the lowest-scored members of a sorted set.",
     "key:k ?count:i", "RW,access,delete/i1/r0,1,0", NULL},
    {"zrandmember", "6.2.0", "sorted-set", "O(N), N = returned members",
     "Returns members picked at random from a sorted set.",
     "key:k ?options{count:i ?WITHSCORES}", "RO,access/i1/r0,1,0",
     "nondeterministic_output"},
    {"zrange", "1.2.0", "sorted-set",
     "O(log(N)+M), N = set size, M = returned members",
     "Returns a range of sorted set members by rank, score or "
     "lexicographical order.",
     "key:k start:s stop:s ?sortby(BYSCORE|BYLEX)@6.2.0 ?REV@6.2.0 "
     "?LIMIT=offset_count{offset:i count:i}@6.2.0 ?WITHSCORES",
     "RO,access/i1/r0,1,0", NULL},
    {"zrangebylex", "2.8.9", "sorted-set",
     "O(log(N)+M), N = set size, M = returned members",
     "Returns sorted set members within a lexicographical range.",
     "key:k min:s max:s ?LIMIT=offset_count{offset:i count:i}",
     "RO,access/i1/r0,1,0", NULL},
    {"zrangebyscore", "1.0.5", "sorted-set",
     "O(log(N)+M), N = set size, M = returned members",
     "Returns sorted set members within a score range.",
     "key:k min:d max:d ?WITHSCORES@2.0.0 ?LIMIT=offset_count{offset:i "
     "count:i}", "RO,access/i1/r0,1,0", NULL},
    {"zrangestore", "6.2.0", "sorted-set",
     "O(log(N)+M), N = set size, M = stored members",
     "Stores a range of sorted set members in another key.",
     "dst:k src:k min:s max:s ?sortby(BYSCORE|BYLEX) ?REV "
     "?LIMIT=offset_count{offset:i count:i}",
     "OW,update/i1/r0,1,0;RO,access/i2/r0,1,0", NULL},
    {"zrank", "2.0.0", "sorted-set", "O(log(N)), N = set size",
     "Returns the rank of a member, lowest score first.",
     "key:k member:s", "RO,access/i1/r0,1,0", NULL},
    {"zrem", "1.2.0", "sorted-set", "O(M*log(N)), M = removed, N = set size",
     "Removes members from a sorted set.",
     "key:k member:s*", "RW,delete/i1/r0,1,0", NULL},
    {"zremrangebylex", "2.8.9", "sorted-set",
     "O(log(N)+M), M = removed members",
     "Removes sorted set members within a lexicographical range.",
     "key:k min:s max:s", "RW,delete/i1/r0,1,0", NULL},
    {"zremrangebyrank", "2.0.0", "sorted-set",
     "O(log(N)+M), M = removed members",
     "Removes sorted set members within a rank range.",
     "key:k start:i stop:i", "RW,delete/i1/r0,1,0", NULL},
    {"zremrangebyscore", "1.2.0", "sorted-set",
     "O(log(N)+M), M = removed members",
     "Removes sorted set members within a score range.",
     "key:k min:d max:d", "RW,delete/i1/r0,1,0", NULL},
    {"zrevrange", "1.2.0", "sorted-set",
     "O(log(N)+M), N = set size, M = returned members",
     "Returns a range of sorted set members by rank, highest score first.",
     "key:k start:i stop:i ?WITHSCORES", "RO,access/i1/r0,1,0", NULL},
    {"zrevrangebylex", "2.8.9", "sorted-set",
     "O(log(N)+M), N = set size, M = returned members",
     "Returns sorted set members within a lexicographical range, in reverse "
     "order.",
     "key:k max:s min:s ?LIMIT=offset_count{offset:i count:i}",
     "RO,access/i1/r0,1,0", NULL},
    {"zrevrangebyscore", "2.2.0", "sorted-set",
     "O(log(N)+M), N = set size, M = returned members",
     "Returns sorted set members within a score range, highest first.",
     "key:k max:d min:d ?WITHSCORES ?LIMIT=offset_count{offset:i count:i}",
     "RO,access/i1/r0,1,0", NULL},
    {"zrevrank", "2.0.0", "sorted-set", "O(log(N)), N = set size",
     "Returns the rank of a member, highest score first.",
     "key:k member:s", "RO,access/i1/r0,1,0", NULL},
    {"zscan", "2.8.0", "sorted-set",
     "O(1) per call, O(N) for a full iteration",
     "Walks the members and scores of a sorted set with a cursor.",
     "key:k cursor:i ?MATCH=pattern:p ?COUNT=count:i", "RO,access/i1/r0,1,0",
     "nondeterministic_output"},
    {"zscore", "1.2.0", "sorted-set", "O(1)",
     "Returns the score of a sorted set member.",
     "key:k member:s", "RO,access/i1/r0,1,0", NULL},
    {"zunion", "6.2.0", "sorted-set", "O(N)+O(M*log(M)), N = total input size",
     "Returns the union of sorted sets.",
     "numkeys:i key:k* ?WEIGHTS=weight:i* ?AGGREGATE=aggregate(SUM|MIN|MAX) "
     "?WITHSCORES", "RO,access/i1/n0,1,1", NULL},
    {"zunionstore", "2.0.0", "sorted-set",
     "O(N)+O(M*log(M)), N = total input size",
     "Stores the union of sorted sets.",
     "destination:k numkeys:i key:k* ?WEIGHTS=weight:i* "
     "?AGGREGATE=aggregate(SUM|MIN|MAX)",
     "OW,update/i1/r0,1,0;RO,access/i2/n0,1,1", NULL},

    /* ---- hash ---- */
    {"hdel", "2.0.0", "hash", "O(N), N = number of fields",
     "Removes fields from a hash.",
     "key:k field:s*", "RW,delete/i1/r0,1,0", NULL},
    {"hexists", "2.0.0", "hash", "O(1)",
     "Tells whether a field exists in a hash.",
     "key:k field:s", "RO/i1/r0,1,0", NULL},
    {"hget", "2.0.0", "hash", "O(1)",
     "Returns the value of a hash field.",
     "key:k field:s", "RO,access/i1/r0,1,0", NULL},
    {"hgetall", "2.0.0", "hash", "O(N), N = hash size",
     "Returns all fields and values of a hash.",
     "key:k", "RO,access/i1/r0,1,0", "nondeterministic_output_order"},
    {"hincrby", "2.0.0", "hash", "O(1)",
     "Adds an integer amount to a hash field.",
     "key:k field:s increment:i", "RW,access,update/i1/r0,1,0", NULL},
    {"hincrbyfloat", "2.6.0", "hash", "O(1)",
     "Adds a floating point amount to a hash field.",
     "key:k field:s increment:d", "RW,access,update/i1/r0,1,0", NULL},
    {"hkeys", "2.0.0", "hash", "O(N), N = hash size",
     "Returns all field names of a hash.",
     "key:k", "RO,access/i1/r0,1,0", "nondeterministic_output_order"},
    {"hlen", "2.0.0", "hash", "O(1)",
     "Returns the number of fields of a hash.",
     "key:k", "RO/i1/r0,1,0", NULL},
    {"hmget", "2.0.0", "hash", "O(N), N = number of fields",
     "Returns the values of several hash fields.",
     "key:k field:s*", "RO,access/i1/r0,1,0", NULL},
    {"hmset", "2.0.0", "hash", "O(N), N = number of fields",
     "Sets several hash fields (old form of HSET).",
     "key:k field_value{field:s value:s}*", "RW,update/i1/r0,1,0", NULL},
    {"hrandfield", "6.2.0", "hash", "O(N), N = returned fields",
     "Returns fields picked at random from a hash.",
     "key:k ?options{count:i ?WITHVALUES}", "RO,access/i1/r0,1,0",
     "nondeterministic_output"},
    {"hscan", "2.8.0", "hash", "O(1) per call, O(N) for a full iteration",
     "Walks the fields and values of a hash with a cursor.",
     "key:k cursor:i ?MATCH=pattern:p ?COUNT=count:i", "RO,access/i1/r0,1,0",
     "nondeterministic_output"},
    {"hset", "2.0.0", "hash", "O(1) per field",
     "Sets fields of a hash, creating it if needed.",
     "key:k field_value{field:s value:s}*", "RW,update/i1/r0,1,0", NULL},
    {"hsetnx", "2.0.0", "hash", "O(1)",
     "Sets a hash field only if it does not exist yet.",
     "key:k field:s value:s", "RW,insert/i1/r0,1,0", NULL},
    {"hstrlen", "3.2.0", "hash", "O(1)",
     "Returns the length of the value of a hash field.",
     "key:k field:s", "RO/i1/r0,1,0", NULL},
    {"hvals", "2.0.0", "hash", "O(N), N = hash size",
     "Returns all values of a hash.",
     "key:k", "RO,access/i1/r0,1,0", "nondeterministic_output_order"},

    /* ---- set ---- */
    {"sadd", "1.0.0", "set", "O(1) per member",
     "Adds members to a set.",
     "key:k member:s*", "RW,insert/i1/r0,1,0", NULL},
    {"scard", "1.0.0", "set", "O(1)",
     "Returns the number of members of a set.",
     "key:k", "RO/i1/r0,1,0", NULL},
    {"sdiff", "1.0.0", "set", "O(N), N = total input size",
     "Returns the members of the first set that are in none of the others.",
     "key:k*", "RO,access/i1/r-1,1,0", "nondeterministic_output_order"},
    {"sdiffstore", "1.0.0", "set", "O(N), N = total input size",
     "Stores the members of the first set that are in none of the others.",
     "destination:k key:k*", "OW,update/i1/r0,1,0;RO,access/i2/r-1,1,0", NULL},
    {"sinter", "1.0.0", "set", "O(N*M), N = smallest set, M = number of sets",
     "Returns the intersection of sets.",
     "key:k*", "RO,access/i1/r-1,1,0", "nondeterministic_output_order"},
    {"sintercard", "7.0.0", "set",
     "O(N*M), N = smallest set, M = number of sets",
     "Counts the members of the intersection of sets.",
     "numkeys:i key:k* ?LIMIT=limit:i", "RO,access/i1/n0,1,1", NULL},
    {"sinterstore", "1.0.0", "set",
     "O(N*M), N = smallest set, M = number of sets",
     "Stores the intersection of sets.",
     "destination:k key:k*", "RW,update/i1/r0,1,0;RO,access/i2/r-1,1,0", NULL},
    {"sismember", "1.0.0", "set", "O(1)",
     "Tells whether a value is a member of a set.",
     "key:k member:s", "RO/i1/r0,1,0", NULL},
    {"smembers", "1.0.0", "set", "O(N), N = set size",
     "Returns all members of a set.",
     "key:k", "RO,access/i1/r0,1,0", "nondeterministic_output_order"},
    {"smismember", "6.2.0", "set", "O(N), N = number of values asked",
     "Tells, for several values, whether each is a member of a set.",
     "key:k member:s*", "RO,access/i1/r0,1,0", NULL},
    {"smove", "1.0.0", "set", "O(1)",
     "Moves a member from one set to another.",
     "source:k destination:k member:s",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", NULL},
    {"spop", "1.0.0", "set", "O(N), N = popped members",
     "Removes and returns members picked at random from a set.",
     "key:k ?count:i@3.2.0", "RW,access,delete/i1/r0,1,0",
     "nondeterministic_output"},
    {"srandmember", "1.0.0", "set", "O(N), N = returned members",
     "Returns members picked at random from a set.",
     "key:k ?count:i@2.6.0", "RO,access/i1/r0,1,0", "nondeterministic_output"},
    {"srem", "1.0.0", "set", "O(N), N = number of members given",
     "Removes members from a set.",
     "key:k member:s*", "RW,delete/i1/r0,1,0", NULL},
    {"sscan", "2.8.0", "set", "O(1) per call, O(N) for a full iteration",
     "Walks the members of a set with a cursor.",
     "key:k cursor:i ?MATCH=pattern:p ?COUNT=count:i", "RO,access/i1/r0,1,0",
     "nondeterministic_output"},
    {"sunion", "1.0.0", "set", "O(N), N = total input size",
     "Returns the union of sets.",
     "key:k*", "RO,access/i1/r-1,1,0", "nondeterministic_output_order"},
    {"sunionstore", "1.0.0", "set", "O(N), N = total input size",
     "Stores the union of sets.",
     "destination:k key:k*", "OW,update/i1/r0,1,0;RO,access/i2/r-1,1,0", NULL},

    /* ---- pubsub ---- */
    {"psubscribe", "2.0.0", "pubsub", "O(N), N = number of patterns",
     "Subscribes the connection to channels matching glob patterns.",
     "pattern{pattern:p}*", NULL, NULL},
    {"publish", "2.0.0", "pubsub",
     "O(N+M), N = channel subscribers, M = patterns",
     "Sends a message to a channel.",
     "channel:s message:s", NULL, NULL},
    {"pubsub", "2.8.0", "pubsub", "Depends on the subcommand.",
     "Container for commands that inspect the pub/sub state.",
     NULL, NULL, NULL},
    {"pubsub|channels", "2.8.0", "pubsub", "O(N), N = active channels",
     "Lists the channels that have subscribers.",
     "?pattern:p", NULL, NULL},
    {"pubsub|numpat", "2.8.0", "pubsub", "O(1)",
     "Returns the number of pattern subscriptions.",
     NULL, NULL, NULL},
    {"pubsub|numsub", "2.8.0", "pubsub", "O(N), N = channels asked",
     "Returns the subscriber counts of channels.",
     "?channel:s*", NULL, NULL},
    {"pubsub|shardchannels", "7.0.0", "pubsub",
     "O(N), N = active shard channels",
     "Lists the shard channels that have subscribers.",
     "?pattern:p", NULL, NULL},
    {"pubsub|shardnumsub", "7.0.0", "pubsub", "O(N), N = shard channels asked",
     "Returns the subscriber counts of shard channels.",
     "?shardchannel:s*", NULL, NULL},
    {"pubsub|help", "6.2.0", "pubsub", "O(1)",
     "Lists the PUBSUB subcommands.",
     NULL, NULL, NULL},
    {"punsubscribe", "2.0.0", "pubsub",
     "O(N+M), N = client patterns, M = all patterns",
     "Ends pattern subscriptions of the connection.",
     "?pattern:p*", NULL, NULL},
    {"spublish", "7.0.0", "pubsub", "O(N), N = shard channel subscribers",
     "Sends a message to a shard channel.",
     "shardchannel:s message:s", "not_key/i1/r0,1,0", NULL},
    {"ssubscribe", "7.0.0", "pubsub", "O(N), N = number of shard channels",
     "Subscribes the connection to shard channels.",
     "shardchannel:s*", "not_key/i1/r-1,1,0", NULL},
    {"subscribe", "2.0.0", "pubsub", "O(N), N = number of channels",
     "Subscribes the connection to channels.",
     "channel:s*", NULL, NULL},
    {"sunsubscribe", "7.0.0", "pubsub", "O(N), N = number of shard channels",
     "Ends shard channel subscriptions of the connection.",
     "?shardchannel:s*", "not_key/i1/r-1,1,0", NULL},
    {"unsubscribe", "2.0.0", "pubsub", "O(N), N = number of channels",
     "Ends channel subscriptions of the connection.",
     "?channel:s*", NULL, NULL},

    /* ---- cluster ---- */
    {"asking", "3.0.0", "cluster", "O(1)",
     "Lets the next command reach a slot that is being imported.",
     NULL, NULL, NULL},
    {"readonly", "3.0.0", "cluster", "O(1)",
     "Allows reads from replica nodes on this cluster connection.",
     NULL, NULL, NULL},
    {"readwrite", "3.0.0", "cluster", "O(1)",
     "Turns off the READONLY mode of a cluster connection.",
     NULL, NULL, NULL},
    {"cluster", "3.0.0", "cluster", "Depends on the subcommand.",
     "Container for cluster commands.",
     NULL, NULL, NULL},
    {"cluster|info", "3.0.0", "cluster", "O(1)",
     "Returns the state of the cluster as seen by this node.",
     NULL, NULL, "nondeterministic_output"},
    {"cluster|nodes", "3.0.0", "cluster", "O(N), N = cluster nodes",
     "Returns this node's view of the cluster members.",
     NULL, NULL, "nondeterministic_output"},
    {"cluster|slots", "3.0.0", "cluster", "O(N), N = cluster nodes",
     "Maps slot ranges to the nodes serving them.",
     NULL, NULL, "nondeterministic_output"},
    {"cluster|shards", "7.0.0", "cluster", "O(N), N = cluster nodes",
     "Returns the shards of the cluster with their slots and nodes.",
     NULL, NULL, "nondeterministic_output"},
    {"cluster|myid", "3.0.0", "cluster", "O(1)",
     "Returns this node's id.",
     NULL, NULL, NULL},
    {"cluster|keyslot", "3.0.0", "cluster", "O(N), N = key length",
     "Returns the hash slot of a key.",
     "key:s", NULL, NULL},
    {"cluster|countkeysinslot", "3.0.0", "cluster", "O(1)",
     "Counts the local keys in a hash slot.",
     "slot:i", NULL, NULL},
    {"cluster|getkeysinslot", "3.0.0", "cluster", "O(N), N = returned keys",
     "Returns local key names from a hash slot.",
     "slot:i count:i", NULL, "nondeterministic_output"},
    {"cluster|meet", "3.0.0", "cluster", "O(1)",
     "Joins this node to another node's cluster.",
     "ip:s port:i ?cluster_bus_port:i@4.0.0", NULL, NULL},
    {"cluster|reset", "3.0.0", "cluster", "O(N), N = known nodes",
     "Makes the node forget its cluster state.",
     "?hard_soft(HARD|SOFT)", NULL, NULL},
    {"cluster|links", "7.0.0", "cluster", "O(N), N = peer links",
     "Lists the connections to peer nodes.",
     NULL, NULL, "nondeterministic_output"},
    {"cluster|help", "5.0.0", "cluster", "O(1)",
     "Lists the CLUSTER subcommands.",
     NULL, NULL, NULL},

    /* ---- connection ---- */
    {"auth", "1.0.0", "connection", "O(N), N = password length",
     "Authenticates the connection.",
     "?username:s@6.0.0 password:s", NULL, NULL},
    {"client", "2.4.0", "connection", "Depends on the subcommand.",
     "Container for commands about client connections.",
     NULL, NULL, NULL},
    {"client|list", "2.4.0", "connection", "O(N), N = client connections",
     "Describes the client connections.",
     "?TYPE=normal_master_replica_pubsub(NORMAL|MASTER|REPLICA|"
     "PUBSUB)@5.0.0 ?ID=id{client-id:i*}@6.2.0", NULL,
     "nondeterministic_output"},
    {"client|no-evict", "7.0.0", "connection", "O(1)",
     "Exempts the connection from client eviction, or not.",
     "enabled(ON|OFF)", NULL, NULL},
    {"client|info", "6.2.0", "connection", "O(1)",
     "Describes the current connection.",
     NULL, NULL, "nondeterministic_output"},
    {"client|trackinginfo", "6.2.0", "connection", "O(1)",
     "Describes the client side caching state of the connection.",
     NULL, NULL, NULL},
    {"client|getname", "2.6.9", "connection", "O(1)",
     "Returns the name of the connection.",
     NULL, NULL, NULL},
    {"client|pause", "2.9.50", "connection", "O(1)",
     "Holds client commands for a while.",
     "timeout:i ?mode(WRITE|ALL)@6.2.0", NULL, NULL},
    {"client|id", "5.0.0", "connection", "O(1)",
     "Returns the id of the connection.",
     NULL, NULL, NULL},
    {"client|unpause", "6.2.0", "connection", "O(N), N = paused clients",
     "Ends a CLIENT PAUSE.",
     NULL, NULL, NULL},
    {"client|caching", "6.0.0", "connection", "O(1)",
     "Tells whether the next command's keys are tracked (client side "
     "caching).",
     "mode(YES|NO)", NULL, NULL},
    {"client|unblock", "5.0.0", "connection", "O(log(N)), N = blocked clients",
     "Wakes up a client blocked in a blocking command.",
     "client-id:i ?timeout_error(TIMEOUT|ERROR)", NULL, NULL},
    {"client|getredir", "6.0.0", "connection", "O(1)",
     "Returns the client that receives tracking invalidations for this one.",
     NULL, NULL, NULL},
    {"client|tracking", "6.0.0", "connection", "O(1), or O(N) with N prefixes",
     "Turns client side caching on or off for the connection.",
     "status(ON|OFF) ?REDIRECT=client-id:i ?PREFIX=prefix:s+ ?BCAST ?OPTIN "
     "?OPTOUT ?NOLOOP", NULL, NULL},
    {"client|kill", "2.4.0", "connection", "O(N), N = client connections",
     "Closes client connections chosen by a filter.",
     "filter(ip:port:s^2.8.12|new-format(?ID=client-id:i@2.8.12|"
     "?TYPE=normal_master_slave_pubsub(NORMAL|MASTER@3.2.0|SLAVE|"
     "REPLICA@5.0.0|PUBSUB)@2.8.12|?USER=username:s|?ADDR=ip:port:s|"
     "?LADDR=ip:port:s@6.2.0|?SKIPME=yes/no:s)*)", NULL, NULL},
    {"client|help", "5.0.0", "connection", "O(1)",
     "Lists the CLIENT subcommands.",
     NULL, NULL, NULL},
    {"client|setname", "2.6.9", "connection", "O(1)",
     "Names the connection.",
     "connection-name:s", NULL, NULL},
    {"client|reply", "3.2.0", "connection", "O(1)",
     "Turns the server's replies to this connection on or off.",
     "on_off_skip(ON|OFF|SKIP)", NULL, NULL},
    {"client|setinfo", "7.2.0", "connection", "O(1)",
     "Records the name or version of the client library of the connection.",
     "attr(LIB-NAME=libname:s|LIB-VER=libver:s)", NULL, NULL},
    {"echo", "1.0.0", "connection", "O(1)",
     "Returns the given message.",
     "message:s", NULL, NULL},
    {"hello", "6.0.0", "connection", "O(1)",
     "Picks the protocol version and optionally authenticates and names the "
     "connection.",
     "?arguments{protover:i ?AUTH=username_password{username:s password:s} "
     "?SETNAME=clientname:s}", NULL, NULL},
    {"ping", "1.0.0", "connection", "O(1)",
     "Checks that the server answers.",
     "?message:s", NULL,
     "request_policy:all_shards response_policy:all_succeeded"},
    {"quit", "1.0.0", "connection", "O(1)",
     "Closes the connection once pending replies are sent.",
     NULL, NULL, NULL},
    {"reset", "6.2.0", "connection", "O(1)",
     "Returns the connection to its initial state.",
     NULL, NULL, NULL},
    {"select", "1.0.0", "connection", "O(1)",
     "Switches the connection to another logical database.",
     "index:i", NULL, NULL},

    /* ---- transactions ---- */
    {"discard", "2.0.0", "transactions", "O(N), N = queued commands",
     "Drops the commands queued since MULTI.",
     NULL, NULL, NULL},
    {"exec", "1.2.0", "transactions", "Depends on the queued commands.",
     "Runs the commands queued since MULTI as one transaction.",
     NULL, NULL, NULL},
    {"multi", "1.2.0", "transactions", "O(1)",
     "Starts queuing commands for a transaction.",
     NULL, NULL, NULL},
    {"unwatch", "2.2.0", "transactions", "O(1)",
     "Forgets the keys watched by the connection.",
     NULL, NULL, NULL},
    {"watch", "2.2.0", "transactions", "O(1) per key",
     "Makes the next transaction fail if any of these keys changes.",
     "key:k*", "RO/i1/r-1,1,0", NULL},

    /* ---- server ---- */
    {"bgrewriteaof", "1.0.0", "server", "O(1)",
     "Rewrites the append-only file in the background.",
     NULL, NULL, NULL},
    {"bgsave", "1.0.0", "server", "O(1)",
     "Saves a snapshot in the background.",
     "?SCHEDULE@3.2.2", NULL, NULL},
    {"save", "1.0.0", "server", "O(N), N = keys in all databases",
     "Saves a snapshot synchronously.",
     NULL, NULL, NULL},
    {"role", "2.8.12", "server", "O(1)",
     "Returns the replication role of the server.",
     NULL, NULL, NULL},
    {"lolwut", "5.0.0", "server", "Depends on the version.",
     "Draws some computer art and the server version.",
     "?VERSION=version:i", NULL, NULL},
    {"dbsize", "1.0.0", "server", "O(1)",
     "Returns the number of keys in the current database.",
     NULL, NULL, "request_policy:all_shards response_policy:agg_sum"},
    {"flushall", "1.0.0", "server", "O(N), N = keys in all databases",
     "Removes every key from every database.",
     "?async(ASYNC@4.0.0|SYNC@6.2.0)", NULL,
     "request_policy:all_shards response_policy:all_succeeded"},
    {"flushdb", "1.0.0", "server", "O(N), N = keys in the current database",
     "Removes every key from the current database.",
     "?async(ASYNC@4.0.0|SYNC@6.2.0)", NULL,
     "request_policy:all_shards response_policy:all_succeeded"},
    {"info", "1.0.0", "server", "O(1)",
     "Returns server information and statistics, by section.",
     "?section:s*", NULL, "nondeterministic_output request_policy:all_shards "
     "response_policy:special"},
    {"lastsave", "1.0.0", "server", "O(1)",
     "Returns the Unix time of the last successful save.",
     NULL, NULL, "nondeterministic_output"},
    {"time", "2.6.0", "server", "O(1)",
     "Returns the server's clock.",
     NULL, NULL, "nondeterministic_output"},
    {"swapdb", "4.0.0", "server",
     "O(N), N = clients watching keys of the two databases",
     "Exchanges the contents of two logical databases.",
     "index1:i index2:i", NULL, NULL},
    {"monitor", "1.0.0", "server", "O(1)",
     "Streams every command the server processes to this connection.",
     NULL, NULL, NULL},
    {"shutdown", "1.0.0", "server", "O(N) when saving, N = keys",
     "Stops the server.",
     "?nosave_save(NOSAVE|SAVE) ?NOW@7.0.0 ?FORCE@7.0.0 ?ABORT@7.0.0", NULL,
     NULL},
    {"debug", "1.0.0", "server", "Depends on the subcommand.",
     "Runs internal debugging and testing commands.",
     NULL, NULL, NULL},
    {"command", "2.8.13", "server", "O(N), N = number of commands",
     "Describes every command.",
     NULL, NULL, "nondeterministic_output_order"},
    {"command|count", "2.8.13", "server", "O(1)",
     "Returns the number of commands.",
     NULL, NULL, NULL},
    {"command|docs", "7.0.0", "server", "O(N), N = commands described",
     "Returns the documentation of commands.",
     "?command-name:s*", NULL, "nondeterministic_output_order"},
    {"command|getkeys", "2.8.13", "server", "O(N), N = number of arguments",
     "Extracts the key names from a full command line.",
     NULL, NULL, NULL},
    {"command|getkeysandflags", "7.0.0", "server",
     "O(N), N = number of arguments",
     "Extracts the key names and their access flags from a full command "
     "line.",
     NULL, NULL, NULL},
    {"command|help", "5.0.0", "server", "O(1)",
     "Lists the COMMAND subcommands.",
     NULL, NULL, NULL},
    {"command|info", "2.8.13", "server", "O(N), N = commands described",
     "Describes the given commands.",
     "?command-name:s*", NULL, "nondeterministic_output_order"},
    {"command|list", "7.0.0", "server", "O(N), N = number of commands",
     "Lists command names, optionally filtered.",
     "?FILTERBY=filterby(MODULE=module-name:s|ACLCAT=category:s|"
     "PATTERN=pattern:p)", NULL, "nondeterministic_output_order"},
    {"config", "2.0.0", "server", "Depends on the subcommand.",
     "Container for runtime configuration commands.",
     NULL, NULL, NULL},
    {"config|get", "2.0.0", "server", "O(N), N = parameters in the table",
     "Returns the values of configuration parameters.",
     "parameter{parameter:s}*", NULL, NULL},
    {"config|set", "2.0.0", "server", "O(N), N = parameters given",
     "Changes configuration parameters at runtime.",
     "parameter_value{parameter:s value:s}*", NULL,
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"config|resetstat", "2.0.0", "server", "O(1)",
     "Clears the statistics shown by INFO.",
     NULL, NULL, NULL},
    {"config|rewrite", "2.8.0", "server", "O(1)",
     "Writes the running configuration to the configuration file.",
     NULL, NULL, NULL},
    {"config|help", "5.0.0", "server", "O(1)",
     "Lists the CONFIG subcommands.",
     NULL, NULL, NULL},
    {"slowlog", "2.2.12", "server", "Depends on the subcommand.",
     "Container for slow log commands.",
     NULL, NULL, NULL},
    {"slowlog|get", "2.2.12", "server", "O(N), N = returned entries",
     "Returns entries of the slow log.",
     "?count:i", NULL, "request_policy:all_nodes nondeterministic_output"},
    {"slowlog|len", "2.2.12", "server", "O(1)",
     "Returns the number of entries in the slow log.",
     NULL, NULL, "request_policy:all_nodes response_policy:agg_sum "
     "nondeterministic_output"},
    {"slowlog|reset", "2.2.12", "server", "O(N), N = entries",
     "Empties the slow log.",
     NULL, NULL, "request_policy:all_nodes response_policy:all_succeeded"},
    {"slowlog|help", "6.2.0", "server", "O(1)",
     "Lists the SLOWLOG subcommands.",
     NULL, NULL, NULL},
    {"latency", "2.8.13", "server", "Depends on the subcommand.",
     "Container for latency monitoring commands.",
     NULL, NULL, NULL},
    {"latency|doctor", "2.8.13", "server", "O(1)",
     "Returns a human-readable latency analysis.",
     NULL, NULL, "nondeterministic_output request_policy:all_nodes "
     "response_policy:special"},
    {"latency|graph", "2.8.13", "server", "O(1)",
     "Draws an ASCII graph of an event's latency samples.",
     "event:s", NULL, "nondeterministic_output request_policy:all_nodes "
     "response_policy:special"},
    {"latency|histogram", "7.0.0", "server", "O(N), N = commands asked",
     "Returns latency histograms of commands.",
     "?command:s*", NULL, "nondeterministic_output request_policy:all_nodes "
     "response_policy:special"},
    {"latency|history", "2.8.13", "server", "O(1)",
     "Returns the latency samples of an event.",
     "event:s", NULL, "nondeterministic_output request_policy:all_nodes "
     "response_policy:special"},
    {"latency|latest", "2.8.13", "server", "O(1)",
     "Returns the latest latency sample of every event.",
     NULL, NULL, "nondeterministic_output request_policy:all_nodes "
     "response_policy:special"},
    {"latency|reset", "2.8.13", "server", "O(1)",
     "Clears latency samples.",
     "?event:s*", NULL,
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"latency|help", "2.8.13", "server", "O(1)",
     "Lists the LATENCY subcommands.",
     NULL, NULL, NULL},
    {"memory", "4.0.0", "server", "Depends on the subcommand.",
     "Container for memory introspection commands.",
     NULL, NULL, NULL},
    {"memory|doctor", "4.0.0", "server", "O(1)",
     "Returns a human-readable memory analysis.",
     NULL, NULL, "nondeterministic_output request_policy:all_shards "
     "response_policy:special"},
    {"memory|malloc-stats", "4.0.0", "server", "Depends on the allocator.",
     "Returns the allocator's internal statistics.",
     NULL, NULL, "nondeterministic_output request_policy:all_shards "
     "response_policy:special"},
    {"memory|purge", "4.0.0", "server", "Depends on the allocator.",
     "Asks the allocator to release unused memory.",
     NULL, NULL, "request_policy:all_shards response_policy:all_succeeded"},
    {"memory|stats", "4.0.0", "server", "O(1)",
     "Returns details of the server's memory use.",
     NULL, NULL, "nondeterministic_output request_policy:all_shards "
     "response_policy:special"},
    {"memory|usage", "4.0.0", "server", "O(N), N = sampled elements",
     "Estimates the memory used by a key and its value.",
     "key:k ?SAMPLES=count:i", "RO/i2/r0,1,0", NULL},
    {"memory|help", "4.0.0", "server", "O(1)",
     "Lists the MEMORY subcommands.",
     NULL, NULL, NULL},
};

/* Doc flags and deprecation notes, for the few rows that have them. */
static const struct doc_extra {
    const char *name;
    const char *flag;           /* "deprecated" or "syscmd" */
    const char *since;          /* deprecated since */
    const char *replaced_by;
} extras[] = {
    {"getset", "deprecated", "6.2.0", "`SET` with the `GET` option"},
    {"substr", "deprecated", "2.0.0", "`GETRANGE`"},
    {"brpoplpush", "deprecated", "6.2.0", "`BLMOVE` with `RIGHT` `LEFT`"},
    {"rpoplpush", "deprecated", "6.2.0", "`LMOVE` with `RIGHT` `LEFT`"},
    {"zrangebylex", "deprecated", "6.2.0", "`ZRANGE` with `BYLEX`"},
    {"zrangebyscore", "deprecated", "6.2.0", "`ZRANGE` with `BYSCORE`"},
    {"zrevrange", "deprecated", "6.2.0", "`ZRANGE` with `REV`"},
    {"zrevrangebylex", "deprecated", "6.2.0",
     "`ZRANGE` with `REV` and `BYLEX`"},
    {"zrevrangebyscore", "deprecated", "6.2.0",
     "`ZRANGE` with `REV` and `BYSCORE`"},
    {"hmset", "deprecated", "4.0.0", "`HSET` with several field-value pairs"},
    {"cluster|slots", "deprecated", "7.0.0", "`CLUSTER SHARDS`"},
    {"debug", "syscmd", NULL, NULL},
};

#define NDOCS (sizeof(docs) / sizeof(docs[0]))
#define NEXTRAS (sizeof(extras) / sizeof(extras[0]))

const struct cmd_doc *cmd_doc_find(const char *fullname)
{
    for (size_t i = 0; i < NDOCS; i++)
        if (!strcmp(docs[i].name, fullname))
            return &docs[i];
    return NULL;
}

/* ---- argument notation ---- */

enum { MAX_NODES = 128 };

/* One argument. Strings point into the notation (not NUL-terminated). */
struct arg_node {
    const char *name, *token, *since, *dep;
    int name_len, token_len, since_len, dep_len;
    char type;                  /* k s i d p t, T pure token, o oneof,
                                   b block */
    bool optional, multiple, multiple_token;
    int key_spec;               /* -1 if none */
    int child, nchild;          /* first child node and count (o, b) */
    int next;                   /* next sibling, -1 at the end */
};

struct arg_parser {
    const char *s;
    size_t pos;
    struct arg_node nodes[MAX_NODES];
    int n;
    int key_next;               /* key_spec_index of the next plain key */
    const char *err;
};

static const char DELIMS[] = " |(){}*+@^#=!";

static bool is_token_char(char c)
{
    return isupper((unsigned char)c) || isdigit((unsigned char)c) ||
           c == '_' || c == '-';
}

/* Scans a run of characters that are not delimiters. */
static int scan_run(struct arg_parser *p)
{
    size_t start = p->pos;
    while (p->s[p->pos] && !strchr(DELIMS, p->s[p->pos]))
        p->pos++;
    return (int)(p->pos - start);
}

static int scan_version(struct arg_parser *p)
{
    size_t start = p->pos;
    while (isdigit((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.')
        p->pos++;
    return (int)(p->pos - start);
}

static int parse_seq(struct arg_parser *p, char sep, char end, int *count);

static bool parse_body(struct arg_parser *p, struct arg_node *a)
{
    const char *run = p->s + p->pos;
    int len = scan_run(p);
    char c = p->s[p->pos];
    if (c == '(' || c == '{') {
        a->name = run;
        a->name_len = len;
        a->type = c == '(' ? 'o' : 'b';
        p->pos++;
        a->child = parse_seq(p, c == '(' ? '|' : ' ', c == '(' ? ')' : '}',
                             &a->nchild);
        if (p->err)
            return false;
        p->pos++;               /* the closing bracket, checked by parse_seq */
        return true;
    }
    int colon = len - 2;
    if (len < 3 || run[colon] != ':' || !strchr("ksidpt", run[len - 1])) {
        p->err = "expected name:type";
        return false;
    }
    a->name = run;
    a->name_len = colon;
    a->type = run[len - 1];
    if (c == '#') {
        p->pos++;
        int n = 0, digits = 0;
        while (isdigit((unsigned char)p->s[p->pos]) && digits < 3) {
            n = n * 10 + (p->s[p->pos++] - '0');
            digits++;
        }
        if (!digits) {
            p->err = "expected a number after '#'";
            return false;
        }
        a->key_spec = n;
        if (a->type == 'k')
            p->key_next = n + 1;
    } else if (a->type == 'k') {
        a->key_spec = p->key_next++;
    }
    return true;
}

/* Parses one item into a new node; returns its index or -1 (p->err). */
static int parse_item(struct arg_parser *p)
{
    if (p->n == MAX_NODES) {
        p->err = "too many arguments";
        return -1;
    }
    int idx = p->n++;
    struct arg_node *a = &p->nodes[idx];
    memset(a, 0, sizeof(*a));
    a->key_spec = -1;
    a->child = a->next = -1;
    if (p->s[p->pos] == '?') {
        a->optional = true;
        p->pos++;
    }
    char c = p->s[p->pos];
    if (isupper((unsigned char)c) || c == '!') {
        a->token = p->s + p->pos;
        while (is_token_char(p->s[p->pos]))
            p->pos++;
        a->token_len = (int)(p->s + p->pos - a->token);
        if (p->s[p->pos] == '=') {
            p->pos++;
            if (!parse_body(p, a))
                return -1;
        } else {
            a->type = 'T';
            if (p->s[p->pos] == '!') {
                p->pos++;
                a->name = p->s + p->pos;
                a->name_len = scan_run(p);
            }
            if (!a->name_len && !a->token_len) {
                p->err = "empty pure token";
                return -1;
            }
        }
    } else if (!parse_body(p, a)) {
        return -1;
    }
    for (;;) {
        c = p->s[p->pos];
        if (c == '*') {
            a->multiple = true;
            p->pos++;
        } else if (c == '+') {
            a->multiple = a->multiple_token = true;
            p->pos++;
        } else if (c == '@') {
            p->pos++;
            a->since = p->s + p->pos;
            a->since_len = scan_version(p);
        } else if (c == '^') {
            p->pos++;
            a->dep = p->s + p->pos;
            a->dep_len = scan_version(p);
        } else {
            break;
        }
    }
    return idx;
}

/* Parses items separated by sep up to end ('\0', ')' or '}'); leaves pos
 * on end. Returns the first node (-1 if none) and the count. */
static int parse_seq(struct arg_parser *p, char sep, char end, int *count)
{
    int first = -1, prev = -1;
    *count = 0;
    for (;;) {
        int idx = parse_item(p);
        if (idx < 0)
            return -1;
        if (prev >= 0)
            p->nodes[prev].next = idx;
        else
            first = idx;
        prev = idx;
        (*count)++;
        char c = p->s[p->pos];
        if (c == end)
            return first;
        if (c != sep) {
            p->err = "unexpected character";
            return -1;
        }
        p->pos++;
    }
}

/* Parses a whole notation; returns the first top-level node or -1 on an
 * error (p->err set). */
static int parse_args(struct arg_parser *p, const char *s, int *count)
{
    p->s = s;
    p->pos = 0;
    p->n = 0;
    p->key_next = 0;
    p->err = NULL;
    int first = parse_seq(p, ' ', '\0', count);
    return p->err ? -1 : first;
}

static const char *type_name(char t)
{
    switch (t) {
    case 'k': return "key";
    case 's': return "string";
    case 'i': return "integer";
    case 'd': return "double";
    case 'p': return "pattern";
    case 't': return "unix-time";
    case 'T': return "pure-token";
    case 'o': return "oneof";
    default: return "block";
    }
}

static void put_str(struct resp_w *w, const char *s)
{
    resp_w_bulk(w, s, strlen(s));
}

static void put_status(struct resp_w *w, const char *s)
{
    resp_w_simple(w, s, strlen(s));
}

static void emit_args(struct resp_w *w, const struct arg_node *nodes,
                      int first, int count);

static void emit_arg(struct resp_w *w, const struct arg_node *nodes,
                     const struct arg_node *a)
{
    int nflags = a->optional + a->multiple + a->multiple_token;
    bool nested = a->type == 'o' || a->type == 'b';
    resp_w_map(w, 2 + (a->key_spec >= 0) + (a->token != NULL) +
               (a->since != NULL) + (a->dep != NULL) + (nflags > 0) +
               nested);
    put_str(w, "name");
    if (a->name_len) {
        resp_w_bulk(w, a->name, (size_t)a->name_len);
    } else {
        char low[64];
        int n = a->token_len < 63 ? a->token_len : 63;
        for (int i = 0; i < n; i++)
            low[i] = (char)tolower((unsigned char)a->token[i]);
        resp_w_bulk(w, low, (size_t)n);
    }
    put_str(w, "type");
    put_str(w, type_name(a->type));
    if (a->key_spec >= 0) {
        put_str(w, "key_spec_index");
        resp_w_int(w, a->key_spec);
    }
    if (a->token) {
        put_str(w, "token");
        resp_w_bulk(w, a->token, (size_t)a->token_len);
    }
    if (a->since) {
        put_str(w, "since");
        resp_w_bulk(w, a->since, (size_t)a->since_len);
    }
    if (a->dep) {
        put_str(w, "deprecated_since");
        resp_w_bulk(w, a->dep, (size_t)a->dep_len);
    }
    if (nflags) {
        put_str(w, "flags");
        resp_w_set(w, nflags);
        if (a->optional)
            put_status(w, "optional");
        if (a->multiple)
            put_status(w, "multiple");
        if (a->multiple_token)
            put_status(w, "multiple_token");
    }
    if (nested) {
        put_str(w, "arguments");
        emit_args(w, nodes, a->child, a->nchild);
    }
}

static void emit_args(struct resp_w *w, const struct arg_node *nodes,
                      int first, int count)
{
    resp_w_array(w, count);
    for (int i = first; i >= 0; i = nodes[i].next)
        emit_arg(w, nodes, &nodes[i]);
}

static const struct doc_extra *extra_of(const char *name)
{
    for (size_t i = 0; i < NEXTRAS; i++)
        if (!strcmp(extras[i].name, name))
            return &extras[i];
    return NULL;
}

void cmd_doc_reply(struct resp_w *w, const struct cmd_doc *doc,
                   const char *group, int nsub)
{
    if (!doc) {
        resp_w_map(w, 4 + (nsub >= 0));
        put_str(w, "summary");
        put_str(w, "");
        put_str(w, "since");
        put_str(w, "");
        put_str(w, "group");
        put_str(w, group ? group : "");
        put_str(w, "complexity");
        put_str(w, "");
    } else {
        const struct doc_extra *x = extra_of(doc->name);
        static bool logged;
        struct arg_parser p;
        int first = -1, count = 0;
        if (doc->args) {
            first = parse_args(&p, doc->args, &count);
            if (first < 0 && !logged) {
                logged = true;
                log_msg(LOG_WARNING, "COMMAND DOCS: bad argument notation "
                        "of '%s': %s at offset %zu", doc->name, p.err, p.pos);
            }
        }
        resp_w_map(w, 4 + (x != NULL) + (x && x->since) +
                   (x && x->replaced_by) + (first >= 0) + (nsub >= 0));
        put_str(w, "summary");
        put_str(w, doc->summary);
        put_str(w, "since");
        put_str(w, doc->since);
        put_str(w, "group");
        put_str(w, doc->group);
        put_str(w, "complexity");
        put_str(w, doc->complexity);
        if (x) {
            put_str(w, "doc_flags");
            resp_w_set(w, 1);
            put_status(w, x->flag);
            if (x->since) {
                put_str(w, "deprecated_since");
                put_str(w, x->since);
            }
            if (x->replaced_by) {
                put_str(w, "replaced_by");
                put_str(w, x->replaced_by);
            }
        }
        if (first >= 0) {
            put_str(w, "arguments");
            emit_args(w, p.nodes, first, count);
        }
    }
    if (nsub >= 0)
        put_str(w, "subcommands");
}
