/*
 * cli.h - what every command shares on the command line.
 *
 * main.c dispatches on the command word (lint, rules, explain, ...); each
 * command lives in its own cmd_<name>.c with its own getopt loop, and hands
 * the options every command understands (--pg-version, --format, ...) to
 * cli_common_option(). Only these files print on their own behalf.
 */
#ifndef PGS_CLI_H
#define PGS_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "lint.h"

/* Exit codes (README, --help). When several apply, the highest wins. */
enum exit_code {
	EXIT_CLEAN = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,
	EXIT_PLUGIN = 4,
	EXIT_INTERNAL = 70,
};

struct cli_common {
	struct lint_options lint;
	const char *format;        /* "text" unless told */
	const char *docs_base_url; /* lint: --docs-base-url URL (absolute) */
	const char *changed_since; /* lint: --changed-since REF (changes.h) */
	bool with_context;         /* lint: --with-context (changes.h) */
	/* lint: migration tool, schema dumps, table sizes (framework.h, dump.h, stats.h) */
	int framework;             /* --framework NAME: enum framework; 0 detects */
	const char *schema_files[16];   /* --schema FILE, in order */
	size_t n_schema_files;
	const char *stats_file;    /* --stats FILE */
	long long small_rows;      /* --small-table-rows N; 0: the stats file's or the default */
	long long small_bytes;     /* --small-table-bytes SIZE; 0: likewise */
	const char *stdin_name;
	const char *color;         /* auto, always, never */
	bool show_statements;
	const char *config_path;   /* --config PATH: for every input (config.h) */
	bool no_config;            /* --no-config: no .pgsafe.yaml at all */
	/* plugins (cli_plugins.c, plugin.h) */
	const char *plugins[16];   /* --plugin PATH, in order */
	size_t n_plugins;
	const char *plugin_options[64];   /* --plugin-option PLUGIN.NAME=VALUE */
	size_t n_plugin_options;
	bool allow_plugins;        /* --allow-plugins: load the plugins configurations name */
};

/* Option values above 255 that commands may not reuse. */
enum cli_common_opt {
	CLI_OPT_PG = 256,
	CLI_OPT_ASSUME,
	CLI_OPT_FAIL_ON,
	CLI_OPT_STDIN_NAME,
	CLI_OPT_MAX_SIZE,
	CLI_OPT_COLOR,
	CLI_OPT_SHOW,
	CLI_OPT_CONFIG,
	CLI_OPT_NO_CONFIG,
	CLI_OPT_PLUGIN,
	CLI_OPT_PLUGIN_OPTION,
	CLI_OPT_ALLOW_PLUGINS,
	CLI_OPT_FIRST_FREE = 300,  /* commands number their own options from here */
};

/* The long options every command accepts; splice into a command's table. */
#define CLI_COMMON_LONGOPTS \
	{ "format", required_argument, NULL, 'f' }, \
	{ "pg-version", required_argument, NULL, CLI_OPT_PG }, \
	{ "assume-in-transaction", no_argument, NULL, CLI_OPT_ASSUME }, \
	{ "fail-on", required_argument, NULL, CLI_OPT_FAIL_ON }, \
	{ "stdin-filename", required_argument, NULL, CLI_OPT_STDIN_NAME }, \
	{ "max-file-size", required_argument, NULL, CLI_OPT_MAX_SIZE }, \
	{ "color", required_argument, NULL, CLI_OPT_COLOR }, \
	{ "show-statements", no_argument, NULL, CLI_OPT_SHOW }, \
	{ "config", required_argument, NULL, CLI_OPT_CONFIG }, \
	{ "no-config", no_argument, NULL, CLI_OPT_NO_CONFIG }

/* The plugin options, for the commands that load plugins (lint, explain, rules). */
#define CLI_PLUGIN_LONGOPTS \
	{ "plugin", required_argument, NULL, CLI_OPT_PLUGIN }, \
	{ "plugin-option", required_argument, NULL, CLI_OPT_PLUGIN_OPTION }, \
	{ "allow-plugins", no_argument, NULL, CLI_OPT_ALLOW_PLUGINS }

void cli_common_init(struct cli_common *c);

/*
 * Applies one option from getopt_long. Returns 1 when it was a common
 * option, 0 when it is not (the command handles it), or EXIT_USAGE after
 * printing the problem.
 */
int cli_common_option(struct cli_common *c, int opt, const char *arg);

/* Prints "pgsafe: <message>" and the --help hint; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);

/* Whether to colour output on stdout (--color, NO_COLOR, a terminal). */
bool cli_use_color(const struct cli_common *c);

/*
 * Plugins (cli_plugins.c). The caller owns @ps (plugin_set_init before,
 * plugin_set_release after the report is written). Each prints what went
 * wrong and returns an exit code: EXIT_CLEAN, EXIT_PLUGIN, EXIT_USAGE or
 * EXIT_INTERNAL.
 *
 * cli_plugins_load() loads --plugin's plugins and puts their rules in the
 * registry: call it before anything reads the registry (configurations,
 * lint_init). cli_plugins_from_configs() then loads the plugins the
 * configurations of the inputs name, only if the runner allows it
 * (--allow-plugins, PGSAFE_ALLOW_PLUGINS=1), and refuses them with
 * EXIT_PLUGIN otherwise; it checks the plugin rule ids those
 * configurations name and the --plugin-option values (@cs may be NULL).
 */
struct plugin_set;
struct input_list;
int cli_plugins_load(const struct cli_common *c, struct plugin_set *ps);
int cli_plugins_from_configs(const struct cli_common *c, struct plugin_set *ps,
			     struct config_set *cs, const struct input_list *inputs,
			     const char *stdin_shown, bool sql);
/* After lint_file() or lint_buffer() returned PGS_ERR_PLUGIN: says why; EXIT_PLUGIN. */
int cli_plugin_failure(const struct plugin_set *ps);

/* The commands (cmd_*.c). Each gets argv with argv[0] = "pgsafe". */
int cmd_lint(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_lsp(int argc, char **argv);
int cmd_plan(int argc, char **argv);    /* cmd_plan.c: plan and verify */
int cmd_verify(int argc, char **argv);

#endif
