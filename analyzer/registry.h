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

/* All built-in rules, sorted by id. The array is static. */
const struct rule *const *registry_rules(size_t *n);

/* The rule with @id, or NULL. */
const struct rule *registry_find(const char *id);

/* Ids that are not rules but name diagnostics pgsafe itself emits. */
bool registry_is_reserved_id(const char *id);

#endif
