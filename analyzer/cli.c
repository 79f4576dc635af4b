/*
 * cli.c - options every command shares (cli.h).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_common_init(struct cli_common *c)
{
	memset(c, 0, sizeof(*c));
	c->lint.pg_version = PGS_PG_DEFAULT;
	c->lint.fail_on = PGS_SEV_ERROR;
	c->format = "text";
}

int cli_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pgsafe: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pgsafe --help'.\n");
	return EXIT_USAGE;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int cli_common_option(struct cli_common *c, int opt, const char *arg)
{
	long v;
	switch (opt) {
	case 'f':
		c->format = arg;
		return 1;
	case CLI_OPT_PG:
		if (parse_long(arg, PGS_PG_MIN, PGS_PG_MAX, &v))
			return cli_usage_error("--pg-version \"%s\" is not a major version from 10 to 17", arg);
		c->lint.pg_version = (int)v;
		c->lint.given |= LINT_GIVEN_PG_VERSION;
		return 1;
	case CLI_OPT_ASSUME:
		c->lint.assume_in_transaction = true;
		c->lint.given |= LINT_GIVEN_ASSUME_IN_TRANSACTION;
		return 1;
	case CLI_OPT_FAIL_ON:
		if (!strcmp(arg, "never"))
			c->lint.fail_on = PGS_SEV_NONE;
		else if ((c->lint.fail_on = pgs_severity_parse(arg)) == PGS_SEV_NONE)
			return cli_usage_error("--fail-on \"%s\" is not error, warning, hint or never", arg);
		c->lint.given |= LINT_GIVEN_FAIL_ON;
		return 1;
	case CLI_OPT_STDIN_NAME:
		c->stdin_name = arg;
		return 1;
	case CLI_OPT_MAX_SIZE:
		if (parse_long(arg, 1, 1L << 40, &v))
			return cli_usage_error("--max-file-size \"%s\" is not a positive number of bytes", arg);
		c->lint.max_file_bytes = (size_t)v;
		return 1;
	case CLI_OPT_COLOR:
		if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never"))
			return cli_usage_error("--color \"%s\" is not auto, always or never", arg);
		c->color = arg;
		return 1;
	case CLI_OPT_SHOW:
		c->show_statements = true;
		return 1;
	case CLI_OPT_CONFIG:
		c->config_path = arg;
		return 1;
	case CLI_OPT_NO_CONFIG:
		c->no_config = true;
		return 1;
	case CLI_OPT_PLUGIN:
		if (c->n_plugins == sizeof(c->plugins) / sizeof(c->plugins[0]))
			return cli_usage_error("--plugin \"%s\": at most 16 plugins", arg);
		c->plugins[c->n_plugins++] = arg;
		return 1;
	case CLI_OPT_PLUGIN_OPTION:
		if (c->n_plugin_options == sizeof(c->plugin_options) / sizeof(c->plugin_options[0]))
			return cli_usage_error("--plugin-option \"%s\": at most 64 plugin options", arg);
		c->plugin_options[c->n_plugin_options++] = arg;
		return 1;
	case CLI_OPT_ALLOW_PLUGINS:
		c->allow_plugins = true;
		return 1;
	default:
		return 0;
	}
}

bool cli_use_color(const struct cli_common *c)
{
	if (c->color && !strcmp(c->color, "always"))
		return true;
	if (c->color && !strcmp(c->color, "never"))
		return false;
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(fileno(stdout)) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}
