/*
 * verify.h - the plan verifier: a plan's invariants, checked statically.
 *
 * Last stage of the planning branch (DESIGN.md). A plan, ours or written
 * by hand, is replayed step by step into a catalog that starts where the
 * migration starts (context files, --schema). Each step's effects are
 * re-derived from its SQL with the effects model, never read from the
 * plan: a DO block is opened (PL/pgSQL parser) and the statements inside
 * it analyzed. Then, in plan order:
 *
 *   verify-lock-while-scanning   no step (nor the transaction it shares)
 *                                holds a lock that blocks reads or writes
 *                                while an existing table is rewritten or read
 *   verify-not-null-without-check  SET NOT NULL / PRIMARY KEY on an existing
 *                                column only after a validated IS NOT NULL check
 *   verify-validate-before-backfill  a check, foreign key or NOT NULL on a
 *                                column is validated only after its backfill
 *   verify-concurrently-in-transaction  nothing that refuses a transaction
 *                                block (CONCURRENTLY, VACUUM, a DO that
 *                                COMMITs) runs inside one
 *   verify-lock-timeout          a step taking ACCESS EXCLUSIVE on an existing
 *                                table sets a lock_timeout
 *   verify-backfill-not-batched  a data change over a whole existing table
 *                                runs in committed batches
 *   verify-backfill-in-ddl-transaction  ... and never in a DDL transaction
 *   verify-depends-on            dependencies name earlier steps (so they
 *                                are acyclic and the order respects them)
 *   verify-transaction           a group's steps are consecutive
 *   verify-not-online            (warning) a step the plan marks not online
 *   verify-not-modeled           (warning) a step whose effects are unknown
 *
 * Findings live in the plan's arena.
 */
#ifndef PGS_VERIFY_H
#define PGS_VERIFY_H

#include "plan.h"
#include "schema.h"

struct verify_options {
	int pg_version;
	/*
	 * The catalog before the plan's first step (built from context files or
	 * a schema dump); the replay changes it. @seed_files inputs built it, so
	 * the plan's file number i replays as file seed_files + i.
	 */
	struct schema *seed;
	int seed_files;
};

struct verify_finding {
	int step;                   /* the step's id; 0: the plan as a whole */
	enum pgs_severity severity;
	const char *check;          /* "verify-lock-timeout", ... */
	const char *message;
};

struct verify_result {
	struct verify_finding *items;
	size_t n, cap;
	size_t errors, warnings;
};

/*
 * Replays the plan and writes each step's re-derived effects (locks,
 * rewrites, scans, modeled) into it. Returns PGS_OK or PGS_ERR_NOMEM.
 */
int plan_derive(struct plan *p, const struct verify_options *o);

/*
 * plan_derive(), then the checks above. Returns PGS_OK or PGS_ERR_NOMEM;
 * findings are in @out, in step order.
 */
int plan_verify(struct plan *p, const struct verify_options *o, struct verify_result *out);

/* The checks' ids and one line each, for docs and --help. */
struct verify_check {
	const char *id;
	enum pgs_severity severity;
	const char *summary;
};
const struct verify_check *verify_checks(size_t *n);

#endif
