/* placeholder: being written (generic key commands) */
#include "cmd.h"
const struct cmd_def keys_commands[] = {
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
