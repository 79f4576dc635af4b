/*
 * cmd_lsp.c - `pgsafe lsp`: the Language Server on standard input and
 * output, for editors (docs/editors.md).
 *
 * Parses the options that decide how documents are linted, then hands
 * stdin and stdout to lsp_serve() and logs to stderr. Exit status, as LSP
 * asks: 0 after shutdown and exit, 1 when the client left without
 * shutdown; 2 usage or a bad --config; 4 a --plugin that cannot be loaded;
 * 70 when stdout cannot be written or memory runs out.
 */
#include "cli.h"
#include "config.h"
#include "lsp.h"
#include "plugin.h"
#include "report_util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char lsp_usage[] =
	"usage: pgsafe lsp [--pg-version N] [--assume-in-transaction] [--max-file-size BYTES]\n"
	"                  [--config PATH | --no-config] [--docs-base-url URL]\n"
	"                  [--plugin PATH]... [--plugin-option PLUGIN.NAME=VALUE]...\n"
	"\n"
	"Runs pgsafe as a Language Server (LSP) over standard input and output:\n"
	"editors start it and show its findings as diagnostics, a statement's\n"
	"locks on hover, and quick fixes. Set-up for editors: docs/editors.md.\n"
	"\n"
	"options:\n"
	"      --pg-version N         target PostgreSQL major version, 10 to 17 (default 15)\n"
	"      --assume-in-transaction  the migration tool wraps each file in a transaction\n"
	"      --max-file-size BYTES  do not analyze larger documents (default 67108864)\n"
	"      --config PATH          use this configuration for every document\n"
	"      --no-config            read no .pgsafe.yaml\n"
	"      --docs-base-url URL    link each finding to URL/<rule-id>\n"
	"      --plugin PATH          run the rules of this plugin too (docs/plugins.md);\n"
	"                             plugins named in .pgsafe.yaml are not loaded here\n"
	"      --plugin-option PLUGIN.NAME=VALUE  a setting of a loaded plugin\n";

int cmd_lsp(int argc, char **argv)
{
	enum { OPT_DOCS_URL = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "plugin", required_argument, NULL, CLI_OPT_PLUGIN },
		{ "plugin-option", required_argument, NULL, CLI_OPT_PLUGIN_OPTION },
		{ "docs-base-url", required_argument, NULL, OPT_DOCS_URL },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_common cli;
	struct lsp_options opts;
	int c;

	cli_common_init(&cli);
	memset(&opts, 0, sizeof(opts));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		int rc = cli_common_option(&cli, c, optarg);
		if (rc == EXIT_USAGE)
			return rc;
		if (rc == 1)
			continue;
		switch (c) {
		case OPT_DOCS_URL:
			if (!report_url_is_absolute(optarg))
				return cli_usage_error("--docs-base-url \"%s\" is not an absolute URL such as https://example.com/rules/", optarg);
			opts.docs_url = optarg;
			break;
		case ':':
			return cli_usage_error("option \"%s\" needs a value", argv[optind - 1]);
		default:
			fputs(lsp_usage, stderr);
			return cli_usage_error("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("'pgsafe lsp' reads documents from the editor, not \"%s\"",
				       argv[optind]);
	if (cli.config_path && cli.no_config)
		return cli_usage_error("%s", "--config and --no-config do not go together");
	if (cli.config_path) {
		/* a bad --config is the user's to fix now, not a diagnostic in every document */
		struct arena a;
		struct config c;
		struct config_error err = { 0 };
		arena_init(&a);
		int rc = config_load(&c, &a, cli.config_path, cli.config_path, &err);
		arena_release(&a);
		if (rc == PGS_ERR_NOMEM) {
			fputs("pgsafe lsp: out of memory\n", stderr);
			return EXIT_INTERNAL;
		}
		if (rc) {
			if (err.line)
				fprintf(stderr, "pgsafe: %s:%u:%u: %s\n", cli.config_path, err.line, err.column,
					err.message);
			else
				fprintf(stderr, "pgsafe: %s: %s\n", cli.config_path, err.message);
			return EXIT_USAGE;
		}
	}
	/* --plugin's rules run in every document, as in pgsafe lint (cli_plugins.c) */
	struct plugin_set plugins;
	plugin_set_init(&plugins);
	int status = cli_plugins_load(&cli, &plugins);
	if (!status)
		status = cli_plugins_from_configs(&cli, &plugins, NULL, NULL, NULL, false);
	if (status) {
		plugin_set_release(&plugins);
		return status;
	}
	opts.lint = cli.lint;
	opts.config_path = cli.config_path;
	opts.no_config = cli.no_config;

	/* a client that goes away is a write error, not a signal */
	signal(SIGPIPE, SIG_IGN);
	bool clean = false;
	int rc = lsp_serve(&opts, stdin, stdout, stderr, &clean);
	plugin_set_release(&plugins);
	if (rc == PGS_ERR_NOMEM) {
		fputs("pgsafe lsp: out of memory\n", stderr);
		return EXIT_INTERNAL;
	}
	if (rc) {
		fputs("pgsafe lsp: cannot write to the client\n", stderr);
		return EXIT_INTERNAL;
	}
	return clean ? EXIT_CLEAN : 1;  /* LSP: exit without shutdown */
}
