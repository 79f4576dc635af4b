/*
 * cmd_plan.c - `pgsafe plan PATH...` and `pgsafe verify PLAN.json`.
 *
 * plan: runs the pipeline over the inputs with the planner attached
 * (plan.h), re-derives every step's effects from its SQL and sets its
 * timeouts (verify.h), checks the result with the verifier, and writes
 * the plan as JSON or as a psql script.
 *
 * verify: reads a plan (ours or written by hand), replays it over the
 * catalog the context files build, and reports what breaks its
 * invariants, naming the step.
 *
 * Both take --context FILE (repeatable): migrations already applied,
 * read only to learn the schema the plan starts from.
 */
#include "cli.h"
#include "dump.h"
#include "framework.h"
#include "inputs.h"
#include "plan.h"
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CONTEXT 64
#define MAX_SCHEMA 16

struct plan_cli {
	struct cli_common common;
	const char *context[MAX_CONTEXT];
	size_t n_context;
	const char *schema[MAX_SCHEMA];
	size_t n_schema;
	struct plan_settings settings;
};

static const char plan_usage[] =
	"usage: pgsafe plan [options] PATH...\n"
	"       pgsafe verify [options] PLAN.json\n"
	"\n"
	"plan: the migration as an ordered plan of online steps (expand, backfill,\n"
	"validate, contract, with deploy checkpoints), as JSON (docs/plan.md) or,\n"
	"with --format sql, as a psql script.\n"
	"verify: checks a plan's invariants, re-deriving each step's effects.\n"
	"\n"
	"options:\n"
	"  -f, --format FORMAT        plan: json (default) or sql; verify: text (default) or json\n"
	"      --pg-version N         target PostgreSQL major version, 10 to 17 (default 15;\n"
	"                             verify: the plan's own)\n"
	"      --context FILE         a migration already applied: read for the schema only\n"
	"      --schema FILE          a schema dump (pg_dump --schema-only) the migration starts from\n"
	"      --assume-in-transaction  the migration tool wraps each file in a transaction\n"
	"      --framework NAME       the migration tool (default: detected; docs/frameworks.md):\n"
	"                             its up sections are planned, in its apply order\n"
	"      --lock-timeout MS      plan: lock_timeout of steps whose locks block writes (2000)\n"
	"      --statement-timeout MS plan: statement_timeout of brief steps (30000)\n"
	"      --batch-size N         plan: rows per backfill batch (1000)\n"
	"      --batch-pause MS       plan: pause between batches (100)\n"
	"      --fail-on LEVEL        verify: exit 1 on findings at or above error (default) or warning\n"
	"\n"
	"exit status: plan: 0 every step online and modeled; 1 some step is not online, not\n"
	"modeled, a statement could not be planned, or the plan fails verification; verify:\n"
	"0 no finding at or above --fail-on, 1 otherwise; both: 2 usage, 3 input error,\n"
	"70 internal error.\n";

enum {
	OPT_CONTEXT = CLI_OPT_FIRST_FREE + 40,
	OPT_SCHEMA,
	OPT_FRAMEWORK,
	OPT_LOCK_TIMEOUT,
	OPT_STATEMENT_TIMEOUT,
	OPT_BATCH_SIZE,
	OPT_BATCH_PAUSE,
	OPT_HELP,
};

static int parse_number(const char *opt, const char *arg, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v < lo || v > hi) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s \"%%s\" is not a number from %ld to %ld", opt, lo, hi);
		return cli_usage_error(msg, arg);
	}
	*out = v;
	return EXIT_CLEAN;
}

static int parse(int argc, char **argv, struct plan_cli *pc, bool pg_given[1], int *first)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "framework", required_argument, NULL, OPT_FRAMEWORK },
		{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
		{ "statement-timeout", required_argument, NULL, OPT_STATEMENT_TIMEOUT },
		{ "batch-size", required_argument, NULL, OPT_BATCH_SIZE },
		{ "batch-pause", required_argument, NULL, OPT_BATCH_PAUSE },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	long v;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		if (c == CLI_OPT_PG)
			pg_given[0] = true;
		rc = cli_common_option(&pc->common, c, optarg);
		if (rc == EXIT_USAGE)
			return rc;
		if (rc == 1)
			continue;
		switch (c) {
		case OPT_CONTEXT:
			if (pc->n_context == MAX_CONTEXT)
				return cli_usage_error("--context \"%s\": at most 64 context files", optarg);
			pc->context[pc->n_context++] = optarg;
			break;
		case OPT_SCHEMA:
			if (pc->n_schema == MAX_SCHEMA)
				return cli_usage_error("--schema \"%s\": at most 16 schema files", optarg);
			pc->schema[pc->n_schema++] = optarg;
			break;
		case OPT_FRAMEWORK: {
			enum framework fw;
			if (framework_parse(optarg, &fw)) {
				fprintf(stderr, "pgsafe: frameworks: %s\n", framework_names());
				return cli_usage_error("--framework \"%s\" is not a migration framework pgsafe knows",
						       optarg);
			}
			pc->common.framework = fw;
			break;
		}
		case OPT_LOCK_TIMEOUT:
			if ((rc = parse_number("--lock-timeout", optarg, 1, 3600000, &v)))
				return rc;
			pc->settings.lock_timeout_ms = v;
			break;
		case OPT_STATEMENT_TIMEOUT:
			if ((rc = parse_number("--statement-timeout", optarg, 0, 86400000, &v)))
				return rc;
			pc->settings.statement_timeout_ms = v;
			break;
		case OPT_BATCH_SIZE:
			if ((rc = parse_number("--batch-size", optarg, 1, 10000000, &v)))
				return rc;
			pc->settings.batch_size = v;
			break;
		case OPT_BATCH_PAUSE:
			if ((rc = parse_number("--batch-pause", optarg, 0, 3600000, &v)))
				return rc;
			pc->settings.batch_pause_ms = v;
			break;
		case 'h':
		case OPT_HELP:
			fputs(plan_usage, stdout);
			return -1;
		case ':':
			return cli_usage_error("option \"%s\" needs a value", argv[optind - 1]);
		default:
			fputs(plan_usage, stderr);
			return cli_usage_error("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	*first = optind;
	return EXIT_CLEAN;
}

/* Replays the --schema dumps into @run's catalog; returns an exit code. */
static int seed_dumps(const struct plan_cli *pc, struct lint_run *run, bool quiet)
{
	for (size_t i = 0; i < pc->n_schema; i++) {
		struct dump_result res;
		int rc = dump_seed(&run->schema, &run->file, pc->schema[i], run->opts.max_file_bytes, &res);
		if (rc == PGS_ERR_IO || rc == PGS_ERR_INPUT) {
			fprintf(stderr, "pgsafe: schema dump %s\n", res.message);
			return EXIT_USAGE;
		}
		if (rc) {
			fprintf(stderr, "pgsafe: out of memory while reading the schema dump \"%s\"\n", pc->schema[i]);
			return EXIT_INTERNAL;
		}
		if (res.errors && !quiet)
			fprintf(stderr, "pgsafe: warning: schema dump \"%s\": %zu statement%s did not parse and "
				"%s skipped (the first at line %u)\n", pc->schema[i], res.errors,
				res.errors == 1 ? "" : "s", res.errors == 1 ? "was" : "were", res.first_error_line);
	}
	return EXIT_CLEAN;
}

/*
 * The catalog before the plan: the schema dumps and the context files
 * replayed, reporting nothing. Lives in @run (lint_release it). Returns an
 * exit code.
 */
static int seed_catalog(const struct plan_cli *pc, struct lint_run *run, struct arena *a)
{
	struct lint_options lo = pc->common.lint;
	lo.on_stmt = NULL;
	lint_init(run, &lo);
	run->framework = pc->common.framework;
	int rc = seed_dumps(pc, run, true);
	if (rc)
		return rc;
	struct input_list inputs = { 0 };
	for (size_t i = 0; i < pc->n_context; i++)
		if (inputs_add(&inputs, a, pc->context[i]))
			return EXIT_INTERNAL;
	for (size_t i = 0; i < inputs.n; i++) {
		if (lint_file_as(run, inputs.paths[i], inputs.paths[i], LINT_FILE_CONTEXT)) {
			fprintf(stderr, "pgsafe: out of memory while reading \"%s\"\n", inputs.paths[i]);
			return EXIT_INTERNAL;
		}
	}
	return EXIT_CLEAN;
}

/* The number of files seed_catalog() reads (what file numbers the plan starts from). */
static int seed_files(const struct lint_run *run)
{
	return run->file_index;
}

static void print_findings(FILE *out, const struct plan *p, const struct verify_result *vr,
			   const char *where)
{
	for (size_t i = 0; i < vr->n; i++) {
		const struct verify_finding *f = &vr->items[i];
		const char *desc = NULL;
		for (size_t k = 0; k < p->n_steps; k++)
			if (p->steps[k]->id == f->step)
				desc = p->steps[k]->description;
		fprintf(out, "%s: step %d: %s[%s]: %s\n", where, f->step, pgs_severity_name(f->severity),
			f->check, f->message);
		if (desc && *desc)
			fprintf(out, "   = step %d: %s\n", f->step, desc);
	}
}

int cmd_plan(int argc, char **argv)
{
	struct plan_cli pc;
	bool pg_given = false;
	int first, rc, status = EXIT_CLEAN;
	memset(&pc, 0, sizeof(pc));
	cli_common_init(&pc.common);
	pc.common.format = "json";
	plan_settings_default(&pc.settings, PGS_PG_DEFAULT);
	if ((rc = parse(argc, argv, &pc, &pg_given, &first)))
		return rc < 0 ? EXIT_CLEAN : rc;
	pc.settings.pg_version = pc.common.lint.pg_version;
	if (strcmp(pc.common.format, "json") && strcmp(pc.common.format, "sql"))
		return cli_usage_error("plan: unknown format \"%s\" (json or sql)", pc.common.format);
	if (first >= argc)
		return cli_usage_error("%s", "plan: no input: give a file, a directory or -");

	struct arena args;
	struct plan plan;
	struct lint_run run, seed;
	struct input_list inputs = { 0 };
	arena_init(&args);
	plan_init(&plan, &pc.settings);
	struct lint_options lo = pc.common.lint;
	lo.on_stmt = plan_on_stmt;
	lo.on_stmt_arg = &plan;
	lint_init(&run, &lo);
	memset(&seed, 0, sizeof(seed));

	/* the schema dumps, then the context, then the migration itself, as one history */
	for (size_t i = 0; i < pc.n_context; i++)
		if (inputs_add(&inputs, &args, pc.context[i])) {
			status = EXIT_INTERNAL;
			goto out;
		}
	size_t n_context_inputs = inputs.n;
	/*
	 * The migrations in their tool's apply order, as lint takes them
	 * (framework.h): down sections are not planned, schema dumps found
	 * among the inputs seed the catalog.
	 */
	struct input_list all = { 0 }, dumps = { 0 };
	size_t *from = arena_alloc(&args, (size_t)(argc - first + 1) * sizeof(*from));
	if (!from) {
		status = EXIT_INTERNAL;
		goto out;
	}
	for (int i = first; i < argc; i++) {
		from[i - first] = all.n;
		if (inputs_add(&all, &args, argv[i])) {
			status = EXIT_INTERNAL;
			goto out;
		}
	}
	from[argc - first] = all.n;
	enum framework fw = pc.common.framework ? (enum framework)pc.common.framework :
		framework_detect((const char *const *)all.paths, all.n);
	run.framework = fw;
	pc.common.framework = fw;
	for (int i = first; i < argc; i++) {
		struct stat sb;
		bool named = !strcmp(argv[i], "-") || stat(argv[i], &sb) || !S_ISDIR(sb.st_mode);
		size_t start = inputs.n;
		for (size_t k = from[i - first]; k < from[i - first + 1]; k++)
			if (ARENA_PUSH(&args, inputs.paths, inputs.n, inputs.cap, all.paths[k])) {
				status = EXIT_INTERNAL;
				goto out;
			}
		if (framework_order(fw, &inputs, start, &args, false, named, &dumps)) {
			status = EXIT_INTERNAL;
			goto out;
		}
	}
	for (size_t i = 0; i < dumps.n && pc.n_schema < MAX_SCHEMA; i++)
		pc.schema[pc.n_schema++] = dumps.paths[i];
	if ((status = seed_dumps(&pc, &run, false)))
		goto out;
	for (size_t i = 0; i < pc.n_schema; i++)
		if (plan_learn_file(&plan, &run.schema, pc.schema[i], run.opts.max_file_bytes)) {
			status = EXIT_INTERNAL;
			goto out;
		}
	for (size_t i = 0; i < inputs.n; i++) {
		const char *p = inputs.paths[i];
		const char *shown = !strcmp(p, "-") ? (pc.common.stdin_name ? pc.common.stdin_name : "<stdin>") : p;
		if (lint_file_as(&run, p, shown, i < n_context_inputs ? LINT_FILE_CONTEXT : 0)) {
			fprintf(stderr, "pgsafe: out of memory while planning \"%s\"\n", shown);
			status = EXIT_INTERNAL;
			goto out;
		}
	}
	if (plan_finish(&plan)) {
		status = EXIT_INTERNAL;
		goto out;
	}
	/* effects from the steps' own SQL, then the timeouts they call for */
	if ((status = seed_catalog(&pc, &seed, &args)))
		goto out;
	struct verify_options vo = { .pg_version = pc.settings.pg_version, .seed = &seed.schema,
				     .seed_files = seed_files(&seed) };
	if (plan_derive(&plan, &vo)) {
		status = EXIT_INTERNAL;
		goto out;
	}
	plan_finish_timeouts(&plan);
	lint_release(&seed);
	memset(&seed, 0, sizeof(seed));
	if ((status = seed_catalog(&pc, &seed, &args)))
		goto out;
	vo.seed = &seed.schema;
	vo.seed_files = seed_files(&seed);
	struct verify_result vr;
	if (plan_verify(&plan, &vo, &vr)) {
		status = EXIT_INTERNAL;
		goto out;
	}
	int wrc = !strcmp(pc.common.format, "sql") ? plan_write_sql(stdout, &plan) :
		plan_write_json(stdout, &plan);
	if (wrc || fflush(stdout)) {
		fprintf(stderr, "pgsafe: cannot write the plan\n");
		status = EXIT_INTERNAL;
		goto out;
	}
	if (vr.errors) {
		/* a plan pgsafe made that fails its own checks is a bug: say so loudly */
		fprintf(stderr, "pgsafe: the plan fails verification (a bug in pgsafe):\n");
		print_findings(stderr, &plan, &vr, "plan");
	}
	for (size_t i = 0; i < plan.n_problems; i++)
		fprintf(stderr, "pgsafe: %s:%u: %s\n", plan.problems[i].file, plan.problems[i].line,
			plan.problems[i].message);
	size_t not_online = plan_count_not_online(&plan), not_modeled = plan_count_not_modeled(&plan);
	fprintf(stderr, "pgsafe: plan of %zu statement%s: %zu step%s, %zu checkpoint%s, %zu not online, "
		"%zu not modeled, %zu problem%s\n", plan.statements, plan.statements == 1 ? "" : "s",
		plan.n_steps, plan.n_steps == 1 ? "" : "s", plan_count_checkpoints(&plan),
		plan_count_checkpoints(&plan) == 1 ? "" : "s", not_online, not_modeled,
		plan.n_problems, plan.n_problems == 1 ? "" : "s");
	if (run.input_error)
		status = EXIT_INPUT;
	else if (vr.errors || not_online || not_modeled || plan.n_problems)
		status = EXIT_FINDINGS;
out:
	lint_release(&seed);
	lint_release(&run);
	plan_release(&plan);
	arena_release(&args);
	return status;
}

static int write_verify_json(FILE *out, const char *path, const struct plan *p,
			     const struct verify_result *vr);

int cmd_verify(int argc, char **argv)
{
	struct plan_cli pc;
	bool pg_given = false;
	int first, rc, status = EXIT_CLEAN;
	memset(&pc, 0, sizeof(pc));
	cli_common_init(&pc.common);
	plan_settings_default(&pc.settings, PGS_PG_DEFAULT);
	if ((rc = parse(argc, argv, &pc, &pg_given, &first)))
		return rc < 0 ? EXIT_CLEAN : rc;
	bool json = !strcmp(pc.common.format, "json");
	if (!json && strcmp(pc.common.format, "text"))
		return cli_usage_error("verify: unknown format \"%s\" (text or json)", pc.common.format);
	if (argc - first != 1)
		return cli_usage_error("%s", "verify: give one plan file (PLAN.json)");
	const char *path = argv[first];

	struct plan plan;
	struct lint_run seed;
	struct arena args;
	const char *err = NULL;
	arena_init(&args);
	plan_init(&plan, &pc.settings);
	memset(&seed, 0, sizeof(seed));
	rc = plan_read_json(&plan, path, &err);
	if (rc == PGS_ERR_NOMEM) {
		status = EXIT_INTERNAL;
		goto out;
	}
	if (rc) {
		fprintf(stderr, "pgsafe: %s\n", err ? err : "cannot read the plan");
		status = EXIT_INPUT;
		goto out;
	}
	if (pg_given)
		plan.settings.pg_version = pc.common.lint.pg_version;
	pc.common.lint.pg_version = plan.settings.pg_version;
	if ((status = seed_catalog(&pc, &seed, &args)))
		goto out;
	struct verify_options vo = { .pg_version = plan.settings.pg_version, .seed = &seed.schema,
				     .seed_files = seed_files(&seed) };
	struct verify_result vr;
	if (plan_verify(&plan, &vo, &vr)) {
		status = EXIT_INTERNAL;
		goto out;
	}
	int wrc;
	if (json) {
		wrc = write_verify_json(stdout, path, &plan, &vr);
	} else {
		print_findings(stdout, &plan, &vr, path);
		wrc = printf("pgsafe verify: %zu step%s, %zu not online, %zu not modeled; %zu error%s, "
			     "%zu warning%s\n", plan.n_steps, plan.n_steps == 1 ? "" : "s",
			     plan_count_not_online(&plan), plan_count_not_modeled(&plan), vr.errors,
			     vr.errors == 1 ? "" : "s", vr.warnings, vr.warnings == 1 ? "" : "s") < 0;
	}
	if (wrc || fflush(stdout)) {
		fprintf(stderr, "pgsafe: cannot write the report\n");
		status = EXIT_INTERNAL;
		goto out;
	}
	if (pc.common.lint.fail_on != PGS_SEV_NONE &&
	    ((vr.errors && pc.common.lint.fail_on <= PGS_SEV_ERROR) ||
	     (vr.warnings && pc.common.lint.fail_on <= PGS_SEV_WARNING)))
		status = EXIT_FINDINGS;
out:
	lint_release(&seed);
	plan_release(&plan);
	arena_release(&args);
	return status;
}

#include <jansson.h>

static int write_verify_json(FILE *out, const char *path, const struct plan *p,
			     const struct verify_result *vr)
{
	json_t *root = json_object();
	json_object_set_new(root, "plan", json_string(path));
	json_t *items = json_array();
	for (size_t i = 0; i < vr->n; i++) {
		const struct verify_finding *f = &vr->items[i];
		json_array_append_new(items, json_pack("{s:i,s:s,s:s,s:s}", "step", f->step,
			"severity", pgs_severity_name(f->severity), "check", f->check,
			"message", f->message));
	}
	json_object_set_new(root, "findings", items);
	json_object_set_new(root, "summary", json_pack("{s:I,s:I,s:I,s:I,s:I}",
		"steps", (json_int_t)p->n_steps,
		"not_online", (json_int_t)plan_count_not_online(p),
		"not_modeled", (json_int_t)plan_count_not_modeled(p),
		"errors", (json_int_t)vr->errors, "warnings", (json_int_t)vr->warnings));
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || fputc('\n', out) == EOF ? -1 : 0;
	json_decref(root);
	return rc;
}
