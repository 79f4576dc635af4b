/*
 * cli_plugins.c - which plugins a command loads, and who allowed them
 * (cli.h; the loader is plugin.c).
 *
 * Two sources, two levels of trust. A plugin named on the command line
 * (--plugin) is the runner's own choice and always loads. A plugin named
 * in a configuration file (`plugins:` in .pgsafe.yaml) is the choice of
 * whoever wrote that file, which in CI is whoever opened the pull request,
 * even with --config: loading it would run their code on the runner. So a
 * configuration's plugins load only when the runner allows it, with
 * --allow-plugins or PGSAFE_ALLOW_PLUGINS=1 in the environment. Without
 * that, pgsafe does not skip them quietly, which would let a pull request
 * change the rule set unseen: it says which plugins it did not load and
 * exits with 4.
 */
#include "cli.h"
#include "config.h"
#include "inputs.h"
#include "plugin.h"
#include "registry.h"
#include "../rules/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int plugin_exit(int rc, const struct plugin_error *err)
{
	if (rc == PGS_ERR_NOMEM) {
		fprintf(stderr, "pgsafe: out of memory while loading plugins\n");
		return EXIT_INTERNAL;
	}
	fprintf(stderr, "pgsafe: %s\n", err->message);
	return rc == PGS_ERR_USAGE ? EXIT_USAGE : EXIT_PLUGIN;
}

int cli_plugins_load(const struct cli_common *c, struct plugin_set *ps)
{
	struct plugin_error err;
	int rc;
	for (size_t i = 0; i < c->n_plugin_options; i++)
		if ((rc = plugin_set_option(ps, c->plugin_options[i], &err)))
			return plugin_exit(rc, &err);
	for (size_t i = 0; i < c->n_plugins; i++)
		if ((rc = plugin_load(ps, c->plugins[i], NULL, &err)))
			return plugin_exit(rc, &err);
	if (plugin_set_activate(ps))
		return plugin_exit(PGS_ERR_NOMEM, &err);
	return EXIT_CLEAN;
}

/* Whether the runner allows configuration files' plugins. */
static bool allowed(const struct cli_common *c)
{
	const char *env = getenv("PGSAFE_ALLOW_PLUGINS");
	return c->allow_plugins || (env && !strcmp(env, "1"));
}

/* Says that @cfg names plugins pgsafe did not load; returns EXIT_PLUGIN. */
static int refuse(const struct config *cfg)
{
	fprintf(stderr, "pgsafe: configuration \"%s\" names %s that %s not loaded:", cfg->path,
		cfg->n_plugins == 1 ? "a plugin" : "plugins", cfg->n_plugins == 1 ? "was" : "were");
	for (size_t i = 0; i < cfg->n_plugins; i++)
		fprintf(stderr, "%s \"%s\"", i ? "," : "", cfg->plugins[i]);
	fprintf(stderr, "\n"
		"pgsafe: a plugin runs code, and a configuration file may come from anyone who can\n"
		"pgsafe: open a pull request; if you trust this configuration, allow its plugins\n"
		"pgsafe: with --allow-plugins or PGSAFE_ALLOW_PLUGINS=1\n");
	return EXIT_PLUGIN;
}

/*
 * config.c accepts namespaced rule ids ("plugin/rule") before plugins are
 * loaded, since a configuration may load the plugin it configures: check
 * them now that every plugin is in the registry.
 */
static const char *unknown_in(const struct config_layer *l)
{
	for (size_t k = 0; k < l->n_rules; k++)
		if (strchr(l->rules[k].id, '/') && !registry_find(l->rules[k].id))
			return l->rules[k].id;
	return NULL;
}

static int check_rule_ids(const struct config *cfg)
{
	const char *unknown = unknown_in(&cfg->top);
	for (size_t i = 0; i < cfg->n_overrides && !unknown; i++)
		unknown = unknown_in(&cfg->overrides[i]);
	for (size_t i = 0; i < cfg->n_enable && !unknown; i++)
		if (strchr(cfg->enable[i], '/') && !registry_find(cfg->enable[i]))
			unknown = cfg->enable[i];
	if (!unknown)
		return EXIT_CLEAN;
	fprintf(stderr, "pgsafe: %s: unknown rule \"%s\": no loaded plugin provides it (see 'pgsafe rules')\n",
		cfg->path, unknown);
	return EXIT_USAGE;
}

/* Loads (or refuses) the plugins of one configuration. */
static int from_config(const struct cli_common *c, struct plugin_set *ps, const struct config *cfg)
{
	struct plugin_error err;
	int rc;
	if (!cfg->n_plugins)
		return EXIT_CLEAN;
	if (!allowed(c))
		return refuse(cfg);
	for (size_t i = 0; i < cfg->n_plugins; i++)
		if ((rc = plugin_load(ps, cfg->plugins[i], cfg->dir, &err))) {
			fprintf(stderr, "pgsafe: %s: plugin \"%s\":\n", cfg->path, cfg->plugins[i]);
			return plugin_exit(rc, &err);
		}
	return EXIT_CLEAN;
}

int cli_plugins_from_configs(const struct cli_common *c, struct plugin_set *ps,
			     struct config_set *cs, const struct input_list *inputs,
			     const char *stdin_shown, bool sql)
{
	struct arena scratch;
	struct file_settings fs;
	struct config_error cerr;
	struct plugin_error err;
	const struct config **seen = NULL;
	size_t n_seen = 0, cap_seen = 0;
	int status = EXIT_CLEAN;

	arena_init(&scratch);
	/* the configurations load_configs() found, in input order, each once */
	size_t n = inputs ? inputs->n : 0;
	for (size_t i = 0; cs && i < n + (sql ? 1 : 0); i++) {
		const char *p = i < n ? inputs->paths[i] : "<sql>";
		if (!strcmp(p, "-"))
			p = stdin_shown;
		if (config_set_lookup(cs, p, &scratch, &fs, &cerr)) {
			status = EXIT_INTERNAL;   /* load_configs() read them all already */
			goto out_release;
		}
		bool dup = !fs.config;
		for (size_t k = 0; k < n_seen && !dup; k++)
			dup = seen[k] == fs.config;
		if (dup)
			continue;
		if (ARENA_PUSH(&scratch, seen, n_seen, cap_seen, fs.config)) {
			status = EXIT_INTERNAL;
			goto out_release;
		}
		if ((status = from_config(c, ps, fs.config)))
			goto out_release;
	}
	if (plugin_set_activate(ps)) {
		status = plugin_exit(PGS_ERR_NOMEM, &err);
		goto out_release;
	}
	for (size_t k = 0; k < n_seen; k++)
		if ((status = check_rule_ids(seen[k])))
			goto out_release;
	if (plugin_set_check_options(ps, &err))
		status = plugin_exit(PGS_ERR_USAGE, &err);
out_release:
	arena_release(&scratch);
	return status;
}

int cli_plugin_failure(const struct plugin_set *ps)
{
	fprintf(stderr, "pgsafe: %s\n", ps->failure[0] ? ps->failure : "a plugin rule failed");
	return EXIT_PLUGIN;
}
