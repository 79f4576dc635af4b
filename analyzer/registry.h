/*
 * registry.h - the built-in rules, in id order.
 *
 * rules/rule_list.h names each rule once; this module turns that list into
 * an array and looks rules up by id (or by an old id kept as an alias).
 */
#ifndef PGS_REGISTRY_H
#define PGS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

struct rule;

/*
 * All rules, sorted by id: the built-in ones, plus plugin rules once
 * plugin_set_activate() has run (plugin.h). The array is static, or the
 * plugin set's.
 */
const struct rule *const *registry_rules(size_t *n);

/*
 * Makes @rules (@n of them, sorted by id, built-ins included) the table
 * registry_rules() and registry_find() answer from; NULL restores the
 * built-in table. The caller owns @rules and keeps it alive until then.
 * Only plugin.c calls this.
 */
void registry_use(const struct rule *const *rules, size_t n);

/*
 * The rule with @id, or NULL. An id that is only an alias (a renamed
 * rule's old id) finds the rule that lists it.
 */
const struct rule *registry_find(const char *id);

/*
 * Whether @id names @rule: its own id, or an alias it lists (a rule split
 * from the one that had that id). Configuration and ignore comments match
 * rules with this, so old ids keep selecting every rule split from them.
 */
bool registry_rule_answers_to(const struct rule *rule, const char *id);

/* Ids that are not rules but name diagnostics pgsafe itself emits. */
bool registry_is_reserved_id(const char *id);

#endif
