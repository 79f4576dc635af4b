/*
 * rule_list.h - every built-in rule, once, sorted by id.
 * RULE(name) names the descriptor rule_<name> in rules/<name>.c.
 * tests/test_registry.c fails when a rule file is missing here.
 */
RULE(add_column_default_before_pg11)
RULE(add_column_domain_constraint)
RULE(add_column_not_null_without_default)
RULE(add_column_stored_generated)
RULE(add_column_volatile_default)
RULE(alter_column_type_rewrite)
RULE(backfill_in_ddl_transaction)
RULE(check_constraint_without_not_valid)
RULE(drop_index_without_concurrently)
RULE(foreign_key_without_not_valid)
RULE(lock_held_during_slow_statement)
RULE(locks_on_multiple_tables)
RULE(missing_lock_timeout)
RULE(non_transactional_in_transaction)
RULE(require_concurrent_index)
RULE(set_not_null_in_backfill_transaction)
RULE(set_not_null_without_check)
RULE(statement_not_modeled)
