/*
 * cmd_docs: the documentation and key metadata of commands, for COMMAND
 * DOCS, COMMAND INFO (tips, key specifications) and COMMAND
 * GETKEYSANDFLAGS.
 *
 * The command table (struct cmd_def) says how to run a command; this table
 * says how to describe it. They are joined by the full command name
 * ("get", "config|get"). A command without a row here is still described,
 * with a minimal doc map and key specifications derived from its
 * first/last/step, so adding a command never requires a docs row.
 *
 * The argument trees and key specifications are written in two small text
 * notations documented in cmd_docs.c (arguments) and cmd_command.c (key
 * specifications).
 */
#ifndef RC_CMD_DOCS_H
#define RC_CMD_DOCS_H

#include <stdbool.h>
#include <stddef.h>

#include "resp.h"

struct cmd_doc {
    const char *name;           /* full lower-case name, "config|get" */
    const char *since;          /* first version with the command */
    const char *group;          /* "string", "sorted-set", ... */
    const char *complexity;
    const char *summary;
    const char *args;           /* argument notation; NULL = no arguments */
    const char *keyspecs;       /* key spec notation; NULL = derived from
                                   the row's first/last/step */
    const char *tips;           /* space-separated tips; NULL = none */
};

/* Finds the docs row of a full command name (exact, lower case; callers
 * pass table names). NULL if the command has none. O(rows). */
const struct cmd_doc *cmd_doc_find(const char *fullname);

/* Writes the doc map of one command: summary, since, group, complexity,
 * doc flags, deprecation, arguments, in Redis 7.0's order. doc may be NULL
 * (a minimal map: empty summary/since/complexity and `group`). When
 * nsub >= 0, the map gets a final "subcommands" key and the caller must
 * write a map of nsub name -> doc pairs right after. An argument notation
 * that does not parse is logged once and the "arguments" key is left out,
 * so the reply is always well formed. */
void cmd_doc_reply(struct resp_w *w, const struct cmd_doc *doc,
                   const char *group, int nsub);

#endif
