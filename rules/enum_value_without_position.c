/*
 * enum-value-without-position: ALTER TYPE ... ADD VALUE without BEFORE or AFTER.
 *
 * Enum values sort in the order they were declared, not alphabetically:
 * ORDER BY, <, > and MIN/MAX on the column use that order. ADD VALUE
 * without BEFORE or AFTER appends the value at the end, which is rarely
 * where a state machine or a severity scale wants it, and the order cannot
 * be changed later without recreating the type. (pg_enum.c
 * AddEnumLabel; docs: "Enumerated Types", 8.7.2 Ordering; ALTER TYPE.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, ALTER_ENUM_STMT))
		return PGS_OK;
	const PgQuery__AlterEnumStmt *ae = n->alter_enum_stmt;
	if ((ae->old_val && *ae->old_val) || !ae->new_val || (ae->new_val_neighbor && *ae->new_val_neighbor))
		return PGS_OK;
	const char *type = schema_qualify_list(ctx->schema, ctx->arena, ae->type_name, ae->n_type_name);
	struct finding f = {
		.message = rule_printf(ctx,
			"enum value '%s' is added at the end of type \"%s\": values sort in declaration order, so ORDER BY and comparisons put it last",
			ae->new_val, type ? type : "?"),
		.help = rule_printf(ctx, "say where it belongs: ALTER TYPE %s ADD VALUE '%s' BEFORE 'x' (or AFTER 'y')",
				    type ? type : "t", ae->new_val),
	};
	return rule_report(ctx, &f);
}

const struct rule rule_enum_value_without_position = {
	.id = "enum-value-without-position",
	.summary = "ALTER TYPE ... ADD VALUE without BEFORE or AFTER appends the value at the end of the sort order",
	.rationale =
		"Enum values sort in declaration order: ORDER BY, comparisons and MIN/MAX on an enum "
		"column follow it. ADD VALUE without BEFORE or AFTER puts the new value last, which is "
		"rarely right for ordered states or levels, and the order cannot be changed later "
		"without recreating the type. Saying where the value goes documents the intent. A "
		"convention, so a hint. On every version.",
	.safe_alternative = "ALTER TYPE order_status ADD VALUE 'packed' AFTER 'paid';",
	.bad_example = "ALTER TYPE order_status ADD VALUE 'packed';",
	.good_example = "ALTER TYPE order_status ADD VALUE 'packed' AFTER 'paid';",
	.peers = "squawk: require-enum-value-ordering",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
