/*
 * registry.c - the built-in rule table (registry.h).
 */
#include "registry.h"

#include "../rules/rule.h"

#include <string.h>

#define RULE(name) extern const struct rule rule_##name;
#include "../rules/rule_list.h"
#undef RULE

static const struct rule *const rules[] = {
#define RULE(name) &rule_##name,
#include "../rules/rule_list.h"
#undef RULE
};

/*
 * The table in use: the built-in one, or the built-ins plus the rules of
 * the loaded plugins (registry_use). Process state, like the plugins'
 * handles themselves.
 */
static const struct rule *const *table = rules;
static size_t n_table = sizeof(rules) / sizeof(rules[0]);

const struct rule *const *registry_rules(size_t *n)
{
	*n = n_table;
	return table;
}

void registry_use(const struct rule *const *use, size_t n)
{
	table = use ? use : rules;
	n_table = use ? n : sizeof(rules) / sizeof(rules[0]);
}

bool registry_rule_answers_to(const struct rule *rule, const char *id)
{
	if (!strcmp(rule->id, id))
		return true;
	for (const char *const *a = rule->aliases; a && *a; a++)
		if (!strcmp(*a, id))
			return true;
	return false;
}

const struct rule *registry_find(const char *id)
{
	for (size_t i = 0; i < n_table; i++)
		if (!strcmp(table[i]->id, id))
			return table[i];
	/* an old id that only survives as an alias (a renamed rule) */
	for (size_t i = 0; i < n_table; i++)
		if (registry_rule_answers_to(table[i], id))
			return table[i];
	return NULL;
}

bool registry_is_reserved_id(const char *id)
{
	static const char *const reserved[] = {
		"syntax-error", "unsupported-syntax", "psql-meta-command", "input-unreadable",
		"input-not-utf8", "input-nul-byte", "input-empty", "input-too-large",
	};
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(reserved[i], id))
			return true;
	return false;
}
