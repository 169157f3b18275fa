/* placeholder: being written (COMMAND and its subcommands) */
#include "server.h"
const struct cmd_def command_commands[] = {
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
