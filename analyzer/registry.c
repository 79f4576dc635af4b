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

const struct rule *const *registry_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const struct rule *registry_find(const char *id)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i]->id, id))
			return rules[i];
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
