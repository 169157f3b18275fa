/*
 * test_config: the option table, its parsers, and the shipped config file.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

#ifndef CONF_PATH
#define CONF_PATH "conf/ringcache.conf"
#endif

Test(config, shipped_file_documents_every_option)
{
    FILE *f = fopen(CONF_PATH, "r");
    cr_assert_not_null(f, "cannot open %s", CONF_PATH);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = 0;
    fclose(f);
    struct config c;
    config_init(&c);
    for (size_t i = 0; i < config_rows(); i++) {
        const char *name;
        char val[1024];
        config_row(&c, i, &name, val, sizeof(val));
        char needle[128];
        snprintf(needle, sizeof(needle), "\n%s ", name);
        cr_expect(strstr(text, needle) != NULL,
                  "conf/ringcache.conf does not set option '%s'", name);
    }
    config_free(&c);
}

Test(config, shipped_file_loads_and_matches_defaults)
{
    struct config c, d;
    config_init(&c);
    config_init(&d);
    char err[1024];
    cr_assert(config_load_file(&c, CONF_PATH, err, sizeof(err)), "%s", err);
    for (size_t i = 0; i < config_rows(); i++) {
        const char *n1, *n2;
        char v1[1024], v2[1024];
        config_row(&c, i, &n1, v1, sizeof(v1));
        config_row(&d, i, &n2, v2, sizeof(v2));
        cr_expect_str_eq(v1, v2, "option %s: file says '%s', default '%s'",
                         n1, v1, v2);
    }
    config_free(&c);
    config_free(&d);
}

static bool set1(struct config *c, const char *name, const char *val,
                 char *err)
{
    const char *av[2] = { name, val };
    size_t lens[2] = { strlen(name), strlen(val) };
    return config_apply(c, 2, av, lens, false, err, 256);
}

Test(config, memory_units_and_bounds)
{
    struct config c;
    config_init(&c);
    char err[256];
    cr_assert(set1(&c, "maxmemory", "1kb", err));
    cr_expect_eq(c.maxmemory, 1024);
    cr_assert(set1(&c, "maxmemory", "2m", err));
    cr_expect_eq(c.maxmemory, 2000000);
    cr_assert(set1(&c, "maxmemory", "1GB", err));
    cr_expect_eq(c.maxmemory, 1024LL * 1024 * 1024);
    cr_expect_not(set1(&c, "maxmemory", "12xb", err));
    cr_expect_str_eq(err, "argument must be a memory value");
    cr_expect_not(set1(&c, "hz", "abc", err));
    cr_expect_not(set1(&c, "maxmemory-policy", "sometimes", err));
    cr_expect_not(set1(&c, "databases", "4", err));
    cr_expect_str_eq(err, "can't set immutable config");
    config_free(&c);
}

Test(config, output_buffer_limit_classes)
{
    struct config c;
    config_init(&c);
    char err[256];
    cr_assert(set1(&c, "client-output-buffer-limit", "normal 1mb 512kb 5",
                   err), "%s", err);
    cr_expect_eq(c.cob[COB_NORMAL].hard, 1024 * 1024);
    cr_expect_eq(c.cob[COB_NORMAL].soft, 512 * 1024);
    cr_expect_eq(c.cob[COB_NORMAL].soft_seconds, 5);
    cr_expect_eq(c.cob[COB_PUBSUB].hard, 32 * 1024 * 1024);
    cr_expect_not(set1(&c, "client-output-buffer-limit", "bogus 1 1 1", err));
    cr_expect_not(set1(&c, "client-output-buffer-limit", "normal 1 1", err));
    config_free(&c);
}

Test(config, save_and_appendonly_accept_only_cache_values)
{
    struct config c;
    config_init(&c);
    char err[256];
    cr_expect(set1(&c, "save", "", err));
    cr_expect_not(set1(&c, "save", "900 1", err));
    cr_expect(set1(&c, "appendonly", "no", err));
    cr_expect_not(set1(&c, "appendonly", "yes", err));
    config_free(&c);
}
