/*
 * plan_json.c - the plan as JSON, both ways (plan.h).
 *
 * The format is docs/plan.md, closed by schemas/plan.schema.json; keys are
 * written in a fixed order so plans diff well. Reading accepts what the
 * schema describes, plus hand-written plans that leave out what the
 * verifier re-derives anyway (locks, rewrites, scans are never read).
 */
#include "plan.h"

#include "pgsafe.h"

#include <jansson.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *names(const char *const *items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

static const char *relkind_name(char k)
{
	switch (k) {
	case 'r': return "table";
	case 'p': return "partitioned table";
	case 'i': return "index";
	case 'S': return "sequence";
	case 'v': return "view";
	case 'm': return "materialized view";
	case 'f': return "foreign table";
	case 'e': return "if exists";
	default: return "unknown";
	}
}

static json_t *step_json(struct arena *a, const struct plan_step *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "phase", json_string(plan_phase_name(s->phase)));
	json_object_set_new(o, "kind", json_string(plan_kind_name(s->kind)));
	json_object_set_new(o, "description", json_string(s->description ? s->description : ""));
	json_object_set_new(o, "sql", str_or_null(s->sql));
	json_object_set_new(o, "transaction", json_string(plan_txn_name(a, s)));
	json_t *locks = json_array();
	for (size_t i = 0; i < s->n_locks; i++)
		json_array_append_new(locks, json_pack("{s:s,s:s,s:s,s:s}",
			"relation", s->locks[i].relation, "kind", relkind_name(s->locks[i].relkind),
			"mode", pgs_lock_mode_name(s->locks[i].mode),
			"blocks", pgs_lock_blocks_text(s->locks[i].mode)));
	json_object_set_new(o, "locks", locks);
	json_object_set_new(o, "rewrites", names(s->rewrites, s->n_rewrites));
	json_object_set_new(o, "scans", names(s->scans, s->n_scans));
	json_object_set_new(o, "modeled", json_boolean(s->modeled || s->kind == PLAN_STEP_CHECKPOINT));
	if (!s->modeled && s->kind != PLAN_STEP_CHECKPOINT)
		json_object_set_new(o, "unmodeled_reason",
				    json_string(s->unmodeled_reason ? s->unmodeled_reason : "unknown"));
	json_object_set_new(o, "lock_timeout", json_integer(s->lock_timeout_ms));
	json_object_set_new(o, "statement_timeout", json_integer(s->statement_timeout_ms));
	if (s->has_retry)
		json_object_set_new(o, "retry", json_pack("{s:s,s:i,s:I,s:I}",
			"sqlstate", s->retry.sqlstate, "attempts", s->retry.attempts,
			"delay_ms", (json_int_t)s->retry.delay_ms,
			"max_delay_ms", (json_int_t)s->retry.max_delay_ms));
	else
		json_object_set_new(o, "retry", json_null());
	if (s->has_batch) {
		const struct plan_batch *b = &s->batch;
		json_t *bo = json_object();
		json_object_set_new(bo, "table", json_string(b->table));
		json_object_set_new(bo, "key", str_or_null(b->key));
		json_object_set_new(bo, "size", json_integer(b->size));
		json_object_set_new(bo, "pause_ms", json_integer(b->pause_ms));
		json_object_set_new(bo, "first_sql", str_or_null(b->first_sql));
		json_object_set_new(bo, "sql", json_string(b->sql ? b->sql : ""));
		json_t *params = json_array();
		if (b->key)
			json_array_append_new(params, json_pack("{s:s,s:s}", "name", "$1", "value",
				"the key the previous batch returned"));
		json_object_set_new(bo, "parameters", params);
		json_object_set_new(bo, "until", json_string(b->until ? b->until : ""));
		json_object_set_new(o, "batch", bo);
	} else {
		json_object_set_new(o, "batch", json_null());
	}
	json_t *deps = json_array();
	for (size_t i = 0; i < s->n_depends_on; i++)
		json_array_append_new(deps, json_integer(s->depends_on[i]));
	json_object_set_new(o, "depends_on", deps);
	if (s->origin)
		json_object_set_new(o, "origin", json_pack("{s:s,s:i,s:s}", "file", s->origin->file,
			"line", (int)s->origin->line, "statement", s->origin->statement));
	else
		json_object_set_new(o, "origin", json_null());
	if (s->kind == PLAN_STEP_CHECKPOINT)
		json_object_set_new(o, "deploy", json_string(s->deploy ? s->deploy : ""));
	json_object_set_new(o, "online", json_boolean(s->online));
	if (!s->online) {
		json_object_set_new(o, "reason", json_string(s->reason ? s->reason : ""));
		json_object_set_new(o, "needs", json_string(s->needs ? s->needs : ""));
	}
	json_object_set_new(o, "notes", names(s->notes, s->n_notes));
	return o;
}

int plan_write_json(FILE *out, const struct plan *p)
{
	struct arena scratch;
	arena_init(&scratch);
	json_t *root = json_object();
	json_object_set_new(root, "plan_version", json_integer(PLAN_FORMAT_VERSION));
	json_object_set_new(root, "pgsafe_version", json_string(PGSAFE_VERSION));
	json_object_set_new(root, "pg_version", json_integer(p->settings.pg_version));
	json_object_set_new(root, "inputs", names(p->inputs, p->n_inputs));
	const struct plan_settings *st = &p->settings;
	json_object_set_new(root, "settings", json_pack("{s:I,s:I,s:I,s:I}",
		"lock_timeout", (json_int_t)st->lock_timeout_ms,
		"statement_timeout", (json_int_t)st->statement_timeout_ms,
		"batch_size", (json_int_t)st->batch_size,
		"batch_pause_ms", (json_int_t)st->batch_pause_ms));
	json_t *steps = json_array();
	for (size_t i = 0; i < p->n_steps; i++)
		json_array_append_new(steps, step_json(&scratch, p->steps[i]));
	json_object_set_new(root, "steps", steps);
	json_t *problems = json_array();
	for (size_t i = 0; i < p->n_problems; i++)
		json_array_append_new(problems, json_pack("{s:s,s:i,s:s}", "file", p->problems[i].file,
			"line", (int)p->problems[i].line, "message", p->problems[i].message));
	json_object_set_new(root, "problems", problems);
	json_object_set_new(root, "summary", json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"statements", (json_int_t)p->statements,
		"passed_through", (json_int_t)p->passed_through,
		"steps", (json_int_t)p->n_steps,
		"checkpoints", (json_int_t)plan_count_checkpoints(p),
		"not_online", (json_int_t)plan_count_not_online(p),
		"not_modeled", (json_int_t)plan_count_not_modeled(p),
		"problems", (json_int_t)p->n_problems));
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || fputc('\n', out) == EOF ? -1 : 0;
	json_decref(root);
	arena_release(&scratch);
	return rc;
}

/* ---------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------- */

struct reader {
	struct plan *p;
	const char **err;
	const char *path;
};

static int bad(struct reader *r, const char *what, long step)
{
	if (step > 0)
		*r->err = arena_printf(&r->p->arena, "%s: step %ld: %s", r->path, step, what);
	else
		*r->err = arena_printf(&r->p->arena, "%s: %s", r->path, what);
	return PGS_ERR_INPUT;
}

static const char *dup_str(struct reader *r, json_t *v)
{
	return json_is_string(v) ? arena_strdup(&r->p->arena, json_string_value(v)) : NULL;
}

static int read_phase(const char *s, enum plan_phase *out)
{
	static const char *const names[] = { "expand", "backfill", "validate", "contract" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum plan_phase)i;
			return 0;
		}
	return -1;
}

static int read_step(struct reader *r, json_t *o, size_t index)
{
	struct plan *p = r->p;
	struct arena *a = &p->arena;
	if (!json_is_object(o))
		return bad(r, arena_printf(a, "steps[%zu] is not an object", index), 0);
	struct plan_step *s = arena_alloc(a, sizeof(*s));
	if (!s || ARENA_PUSH(a, p->steps, p->n_steps, p->cap_steps, s))
		return PGS_ERR_NOMEM;
	json_t *id = json_object_get(o, "id");
	if (!json_is_integer(id) || json_integer_value(id) < 1 || json_integer_value(id) > 1000000)
		return bad(r, arena_printf(a, "steps[%zu] needs an \"id\" from 1", index), 0);
	s->id = (int)json_integer_value(id);
	s->online = true;
	s->modeled = true;
	json_t *kind = json_object_get(o, "kind");
	const char *k = json_is_string(kind) ? json_string_value(kind) : "sql";
	if (!strcmp(k, "sql"))
		s->kind = PLAN_STEP_SQL;
	else if (!strcmp(k, "backfill"))
		s->kind = PLAN_STEP_BACKFILL;
	else if (!strcmp(k, "checkpoint"))
		s->kind = PLAN_STEP_CHECKPOINT;
	else
		return bad(r, "\"kind\" is not sql, backfill or checkpoint", s->id);
	json_t *phase = json_object_get(o, "phase");
	if (phase && (!json_is_string(phase) || read_phase(json_string_value(phase), &s->phase)))
		return bad(r, "\"phase\" is not expand, backfill, validate or contract", s->id);
	s->description = dup_str(r, json_object_get(o, "description"));
	json_t *sql = json_object_get(o, "sql");
	if (sql && !json_is_null(sql) && !json_is_string(sql))
		return bad(r, "\"sql\" is not a string", s->id);
	s->sql = dup_str(r, sql);
	json_t *txn = json_object_get(o, "transaction");
	const char *t = json_is_string(txn) ? json_string_value(txn) : "own";
	if (txn && !json_is_string(txn))
		return bad(r, "\"transaction\" is not a string", s->id);
	if (!strcmp(t, "none"))
		s->txn = PLAN_TXN_NONE;
	else if (!strcmp(t, "own"))
		s->txn = PLAN_TXN_OWN;
	else if (!*t)
		return bad(r, "\"transaction\" is empty", s->id);
	else {
		s->txn = PLAN_TXN_GROUP;
		s->group_name = arena_strdup(a, t);
	}
	json_t *lt = json_object_get(o, "lock_timeout"), *stt = json_object_get(o, "statement_timeout");
	if ((lt && !json_is_null(lt) && !json_is_integer(lt)) || (stt && !json_is_null(stt) && !json_is_integer(stt)))
		return bad(r, "\"lock_timeout\" and \"statement_timeout\" are milliseconds (integers)", s->id);
	s->lock_timeout_ms = json_is_integer(lt) ? (long)json_integer_value(lt) : 0;
	s->statement_timeout_ms = json_is_integer(stt) ? (long)json_integer_value(stt) : 0;
	json_t *retry = json_object_get(o, "retry");
	if (json_is_object(retry)) {
		s->has_retry = true;
		s->retry.sqlstate = dup_str(r, json_object_get(retry, "sqlstate"));
		s->retry.attempts = (int)json_integer_value(json_object_get(retry, "attempts"));
		s->retry.delay_ms = (long)json_integer_value(json_object_get(retry, "delay_ms"));
		s->retry.max_delay_ms = (long)json_integer_value(json_object_get(retry, "max_delay_ms"));
		if (!s->retry.sqlstate)
			s->retry.sqlstate = "55P03";
	}
	json_t *batch = json_object_get(o, "batch");
	if (json_is_object(batch)) {
		s->has_batch = true;
		s->batch.table = dup_str(r, json_object_get(batch, "table"));
		s->batch.key = dup_str(r, json_object_get(batch, "key"));
		s->batch.size = (long)json_integer_value(json_object_get(batch, "size"));
		s->batch.pause_ms = (long)json_integer_value(json_object_get(batch, "pause_ms"));
		s->batch.first_sql = dup_str(r, json_object_get(batch, "first_sql"));
		s->batch.sql = dup_str(r, json_object_get(batch, "sql"));
		s->batch.until = dup_str(r, json_object_get(batch, "until"));
		if (!s->batch.table || !s->batch.sql)
			return bad(r, "\"batch\" needs \"table\" and \"sql\"", s->id);
	}
	json_t *deps = json_object_get(o, "depends_on");
	if (deps && !json_is_array(deps))
		return bad(r, "\"depends_on\" is not an array of step ids", s->id);
	size_t i;
	json_t *d;
	json_array_foreach(deps, i, d) {
		if (!json_is_integer(d))
			return bad(r, "\"depends_on\" is not an array of step ids", s->id);
		if (ARENA_PUSH(a, s->depends_on, s->n_depends_on, s->cap_depends_on, (int)json_integer_value(d)))
			return PGS_ERR_NOMEM;
	}
	json_t *origin = json_object_get(o, "origin");
	if (json_is_object(origin)) {
		struct plan_origin *og = arena_alloc(a, sizeof(*og));
		if (!og)
			return PGS_ERR_NOMEM;
		og->file = dup_str(r, json_object_get(origin, "file"));
		og->line = (unsigned)json_integer_value(json_object_get(origin, "line"));
		og->statement = dup_str(r, json_object_get(origin, "statement"));
		if (!og->file)
			og->file = "";
		s->origin = og;
	}
	s->deploy = dup_str(r, json_object_get(o, "deploy"));
	json_t *online = json_object_get(o, "online");
	if (online && !json_is_boolean(online))
		return bad(r, "\"online\" is not true or false", s->id);
	s->online = !online || json_is_true(online);
	s->reason = dup_str(r, json_object_get(o, "reason"));
	s->needs = dup_str(r, json_object_get(o, "needs"));
	if (s->kind != PLAN_STEP_CHECKPOINT && !s->sql)
		return bad(r, "a step of kind sql or backfill needs \"sql\"", s->id);
	return a->failed ? PGS_ERR_NOMEM : PGS_OK;
}

int plan_read_json(struct plan *p, const char *path, const char **err)
{
	struct reader r = { p, err, path };
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	*err = NULL;
	if (!root) {
		*err = arena_printf(&p->arena, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return PGS_ERR_INPUT;
	}
	int rc = PGS_OK;
	json_t *ver = json_object_get(root, "plan_version");
	json_t *steps = json_object_get(root, "steps");
	if (!json_is_object(root)) {
		rc = bad(&r, "a plan is a JSON object", 0);
	} else if (!json_is_integer(ver) || json_integer_value(ver) != PLAN_FORMAT_VERSION) {
		rc = bad(&r, arena_printf(&p->arena, "\"plan_version\" must be %d", PLAN_FORMAT_VERSION), 0);
	} else if (!json_is_array(steps)) {
		rc = bad(&r, "\"steps\" is not an array", 0);
	} else {
		json_t *pg = json_object_get(root, "pg_version");
		if (json_is_integer(pg)) {
			json_int_t v = json_integer_value(pg);
			if (v < PGS_PG_MIN || v > PGS_PG_MAX)
				rc = bad(&r, "\"pg_version\" is not a major version from 10 to 17", 0);
			else
				p->settings.pg_version = (int)v;
		}
		json_t *inputs = json_object_get(root, "inputs");
		size_t i;
		json_t *v;
		json_array_foreach(inputs, i, v)
			if (json_is_string(v)) {
				const char *s = arena_strdup(&p->arena, json_string_value(v));
				if (!s || ARENA_PUSH(&p->arena, p->inputs, p->n_inputs, p->cap_inputs, s))
					rc = PGS_ERR_NOMEM;
			}
		json_array_foreach(steps, i, v) {
			if (rc)
				break;
			rc = read_step(&r, v, i);
		}
	}
	json_decref(root);
	return rc;
}
