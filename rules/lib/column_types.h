/*
 * column_types.h - what the data-type hygiene rules share (prefer-jsonb,
 * prefer-timestamptz, prefer-identity, prefer-text-over-char,
 * prefer-text-over-varchar): finding every column a statement defines or
 * retypes, naming its type, and underlining the type in the source.
 */
#ifndef PGS_RULES_COLUMN_TYPES_H
#define PGS_RULES_COLUMN_TYPES_H

#include "../rule.h"

/* The type's own name as the parser spells it ("int4", "serial", "json"); @catalog: pg_catalog-qualified. */
const char *column_type_name(const PgQuery__TypeName *tn, bool *catalog);

/* The finding's message for @column of @table (allocated with rule_printf). */
typedef const char *(*column_message_fn)(struct rule_ctx *ctx, const char *column, const char *table);

/*
 * Reports every column of a CREATE TABLE, an ALTER TABLE ... ADD COLUMN or
 * an ALTER COLUMN ... TYPE whose type @matches, underlining the type, with
 * @message and @help. Returns PGS_OK or PGS_ERR_NOMEM.
 */
int report_column_types(struct rule_ctx *ctx, bool (*matches)(const PgQuery__TypeName *tn),
			column_message_fn message, const char *help);

#endif
