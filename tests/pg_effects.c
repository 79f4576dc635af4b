/*
 * pg_effects: observe what a real postgresql server does for each statement
 * of an effects corpus (locks, rewrites, sequential scans, whether it must run
 * outside a transaction block), and compare that with pgsafe's model
 *
 *   pg_effects observe CONNSTR FILE...
 *   pg_effects compare CONNSTR PGSAFE_BINARY FILE...
 *
 * corpus format: comments, a "-- setup" line, the setup sql, then a "-- test"
 * line before each test statement (exactly one sql statement per test, it may
 * span lines). a setup statement preceded by a "-- expect-error" comment may
 * fail. session-level SET and RESET statements of the setup are replayed in
 * the session that runs each test, so they apply to it as they would in a
 * migration file that holds the setup followed by the test
 *
 * observe prints one json line per test statement: file, line, sql, locks
 * (strongest granted mode per pre-existing table, view, matview or foreign
 * table), rewrites (relfilenode changed), scans (seq_scan grew),
 * needs_no_transaction and error. compare also runs
 * "PGSAFE_BINARY lint --format json --pg-version MAJOR --fail-on never" on
 * the setup followed by the test statement, prints one line per difference
 * and "N passed, M failed", and exits 1 when anything differs (2 on usage or
 * setup trouble)
 *
 * each test runs in its own database, cloned from a per-file template
 * database that holds the setup. statements that work inside a transaction
 * block are observed from inside it (pg_locks, pg_class.relfilenode and
 * pg_stat_xact_user_tables read before the rollback). statements that fail
 * there with sqlstate 25001 are re-run on their own while helper sessions hold
 * locks on every setup relation; the lock requests the statement waits for
 * are read from pg_locks (see observe_nontx for the method and its limits)
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STATEMENT_TIMEOUT "60s"
#define POLL_INTERVAL_MS 5
#define MAX_POLLS 6000 /* 30 s of observing one statement */
#define STALL_POLLS 200 /* 1 s waiting on something no helper holds */
#define LINT_TIMEOUT_MS 60000

/* ---------------------------------------------------------------- utils */

static const char *progname = "pg_effects";

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void warnx(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->s = xrealloc(b->s, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static char *sb_take(sbuf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

static char *xasprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("vsnprintf failed");
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

typedef struct {
    char **v;
    size_t n, cap;
} strlist;

static void sl_push(strlist *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = xstrdup(s);
}

static bool sl_has(const strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

static void sl_add_unique(strlist *l, const char *s)
{
    if (!sl_has(l, s))
        sl_push(l, s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sl_sort(strlist *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_str);
}

static void sl_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static bool sl_equal(const strlist *a, const strlist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

static char *sl_format(const strlist *l)
{
    sbuf b = {0};
    sb_puts(&b, "[");
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            sb_puts(&b, ", ");
        sb_puts(&b, l->v[i]);
    }
    sb_puts(&b, "]");
    return sb_take(&b);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_add(&b, chunk, n);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(b.s);
        return NULL;
    }
    *len = b.len;
    return sb_take(&b);
}

/* ----------------------------------------------------------- lock modes */

static const char *const lock_modes[] = {
    NULL,
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
};

static const char *const lock_sql[] = {
    NULL,
    "ACCESS SHARE",
    "ROW SHARE",
    "ROW EXCLUSIVE",
    "SHARE UPDATE EXCLUSIVE",
    "SHARE",
    "SHARE ROW EXCLUSIVE",
    "EXCLUSIVE",
    "ACCESS EXCLUSIVE",
};

#define MODE_ACCESS_EXCLUSIVE 8

/*
 * for a mode x the statement has just been granted, the mode a helper can
 * take next to it without blocking it that still conflicts with every mode
 * stronger than x, so that a later upgrade by the statement becomes visible
 * as a wait
 */
static const int probe_mode[] = {0, 7, 6, 4, 3, 5, 2, 1, 0};

static int lock_rank(const char *mode)
{
    for (int i = 1; i <= MODE_ACCESS_EXCLUSIVE; i++)
        if (strcmp(lock_modes[i], mode) == 0)
            return i;
    return 0;
}

/* ------------------------------------------------------------ sql lexer */

typedef struct {
    size_t gap;   /* where the text before the statement starts */
    size_t start; /* first token */
    size_t end;   /* just past the terminating semicolon, or end of text */
    int line;     /* line of the first token, 1-based */
    bool terminated;
} span;

static bool ident_char(unsigned char c)
{
    return c == '_' || c == '$' || c >= 0x80 || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool ident_start(unsigned char c)
{
    return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * split sql text into statements at top-level semicolons, skipping comments,
 * quoted strings and identifiers, and dollar quotes. base_line is the line
 * number of the first character. BEGIN ATOMIC bodies are not understood
 */
static size_t split_sql(const char *s, size_t len, int base_line, span **out)
{
    size_t n = 0, cap = 0;
    span *v = NULL;
    size_t i = 0;
    int line = base_line;
    bool in_stmt = false;
    span cur = {0};
    cur.gap = 0;

#define ADVANCE()                                                              \
    do {                                                                       \
        if (s[i] == '\n')                                                      \
            line++;                                                            \
        i++;                                                                   \
    } while (0)

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == '-' && i + 1 < len && s[i + 1] == '-') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            int depth = 0;
            while (i < len) {
                if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
                    depth--;
                    i += 2;
                    if (depth == 0)
                        break;
                } else {
                    ADVANCE();
                }
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
            ADVANCE();
            continue;
        }
        if (!in_stmt) {
            in_stmt = true;
            cur.start = i;
            cur.line = line;
        }
        if (c == ';') {
            i++;
            cur.end = i;
            cur.terminated = true;
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[n++] = cur;
            in_stmt = false;
            memset(&cur, 0, sizeof cur);
            cur.gap = i;
            continue;
        }
        if (c == '\'') {
            bool esc = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                       (i < 2 || !ident_char((unsigned char)s[i - 2]));
            i++;
            while (i < len) {
                if (esc && s[i] == '\\' && i + 1 < len) {
                    i++;
                    ADVANCE();
                    continue;
                }
                if (s[i] == '\'') {
                    if (i + 1 < len && s[i + 1] == '\'') {
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                ADVANCE();
            }
            continue;
        }
        if (c == '"') {
            i++;
            while (i < len) {
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                ADVANCE();
            }
            continue;
        }
        if (c == '$' && !(i > 0 && ident_char((unsigned char)s[i - 1]))) {
            size_t j = i + 1;
            if (j < len && ident_start((unsigned char)s[j])) {
                while (j < len && ident_char((unsigned char)s[j]) && s[j] != '$')
                    j++;
            }
            if (j < len && s[j] == '$') {
                size_t taglen = j + 1 - i;
                const char *tag = s + i;
                i = j + 1;
                while (i < len) {
                    if (s[i] == '$' && i + taglen <= len && memcmp(s + i, tag, taglen) == 0) {
                        i += taglen;
                        break;
                    }
                    ADVANCE();
                }
                continue;
            }
        }
        if (ident_char(c)) {
            while (i < len && ident_char((unsigned char)s[i]))
                i++;
            continue;
        }
        ADVANCE();
    }
#undef ADVANCE
    if (in_stmt) {
        size_t e = len;
        while (e > cur.start && strchr(" \t\r\n\f\v", s[e - 1]))
            e--;
        cur.end = e;
        cur.terminated = false;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[n++] = cur;
    }
    *out = v;
    return n;
}

/* ------------------------------------------------------------ case files */

typedef struct {
    char *sql;
    int line;
    bool may_fail;
    bool session; /* SET/RESET: replayed in every test session */
} setup_stmt;

typedef struct {
    char *sql;
    int line;
} test_case;

typedef struct {
    const char *path;
    char *setup_raw; /* setup lines verbatim, ends with a newline */
    int setup_nlines;
    setup_stmt *setup;
    size_t nsetup;
    test_case *tests;
    size_t ntests;
} case_file;

static void case_file_free(case_file *cf)
{
    free(cf->setup_raw);
    for (size_t i = 0; i < cf->nsetup; i++)
        free(cf->setup[i].sql);
    free(cf->setup);
    for (size_t i = 0; i < cf->ntests; i++)
        free(cf->tests[i].sql);
    free(cf->tests);
    memset(cf, 0, sizeof *cf);
}

/* "-- setup" -> 1, "-- test" -> 2, else 0 */
static int marker_kind(const char *line, size_t n)
{
    while (n > 0 && strchr(" \t\r", line[n - 1]))
        n--;
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (n - i < 2 || line[i] != '-' || line[i + 1] != '-')
        return 0;
    i += 2;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (n - i == 5 && memcmp(line + i, "setup", 5) == 0)
        return 1;
    if (n - i == 4 && memcmp(line + i, "test", 4) == 0)
        return 2;
    return 0;
}

static bool word_at(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0' || (s[i] | 0x20) != w[i])
            return false;
    return !ident_char((unsigned char)s[n]);
}

/* a session-level SET or RESET (not LOCAL, TRANSACTION, CONSTRAINTS, ...) */
static bool is_session_setting(const char *sql)
{
    const char *p;
    if (word_at(sql, "reset"))
        return true;
    if (!word_at(sql, "set"))
        return false;
    p = sql + 3;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (word_at(p, "session")) {
        p += 7;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        return !word_at(p, "characteristics");
    }
    return !word_at(p, "local") && !word_at(p, "transaction") && !word_at(p, "constraints");
}

static bool gap_has_expect_error(const char *s, size_t from, size_t to)
{
    static const char needle[] = "-- expect-error";
    size_t nl = sizeof needle - 1;
    for (size_t i = from; i + nl <= to; i++)
        if (memcmp(s + i, needle, nl) == 0)
            return true;
    return false;
}

static bool parse_case_file(const char *path, case_file *cf)
{
    memset(cf, 0, sizeof *cf);
    cf->path = path;
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        warnx("%s: cannot read: %s", path, strerror(errno));
        return false;
    }

    /* find marker lines: offsets of section bodies */
    typedef struct {
        int kind;
        size_t body;     /* offset of the line after the marker */
        int body_line;   /* its line number */
        size_t body_end; /* offset of the next marker line or eof */
    } section;
    section *secs = NULL;
    size_t nsecs = 0, cap = 0;
    size_t pos = 0;
    int line = 1;
    bool ok = true;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - text) : len;
        int k = marker_kind(text + pos, eol - pos);
        if (k) {
            if (nsecs)
                secs[nsecs - 1].body_end = pos;
            if (nsecs == cap) {
                cap = cap ? cap * 2 : 16;
                secs = xrealloc(secs, cap * sizeof *secs);
            }
            secs[nsecs].kind = k;
            secs[nsecs].body = nl ? eol + 1 : len;
            secs[nsecs].body_line = line + 1;
            secs[nsecs].body_end = len;
            nsecs++;
        } else if (nsecs == 0) {
            /* only comments and blank lines may precede the setup */
            span *sp;
            size_t ns = split_sql(text + pos, eol - pos, line, &sp);
            free(sp);
            if (ns) {
                warnx("%s:%d: sql before the \"-- setup\" marker", path, line);
                ok = false;
            }
        }
        pos = nl ? eol + 1 : len;
        line++;
    }
    if (ok && (nsecs == 0 || secs[0].kind != 1)) {
        warnx("%s: the file must start with a \"-- setup\" section", path);
        ok = false;
    }
    for (size_t i = 1; ok && i < nsecs; i++)
        if (secs[i].kind != 2) {
            warnx("%s:%d: only one \"-- setup\" section is allowed", path, secs[i].body_line - 1);
            ok = false;
        }

    if (ok) {
        section *st = &secs[0];
        sbuf raw = {0};
        sb_add(&raw, text + st->body, st->body_end - st->body);
        if (raw.len == 0 || raw.s[raw.len - 1] != '\n')
            sb_puts(&raw, "\n");
        cf->setup_raw = sb_take(&raw);
        cf->setup_nlines = 0;
        for (const char *p = cf->setup_raw; *p; p++)
            if (*p == '\n')
                cf->setup_nlines++;
        span *sp;
        size_t ns = split_sql(text + st->body, st->body_end - st->body, st->body_line, &sp);
        cf->setup = xmalloc(ns * sizeof *cf->setup);
        for (size_t j = 0; j < ns; j++) {
            if (!sp[j].terminated) {
                warnx("%s:%d: setup statement lacks a terminating semicolon", path, sp[j].line);
                ok = false;
            }
            cf->setup[cf->nsetup].sql = xstrndup(text + st->body + sp[j].start, sp[j].end - sp[j].start);
            cf->setup[cf->nsetup].line = sp[j].line;
            cf->setup[cf->nsetup].may_fail =
                gap_has_expect_error(text + st->body, sp[j].gap, sp[j].start);
            cf->setup[cf->nsetup].session = is_session_setting(cf->setup[cf->nsetup].sql);
            cf->nsetup++;
        }
        free(sp);
    }
    if (ok) {
        cf->tests = xmalloc(nsecs * sizeof *cf->tests);
        for (size_t i = 1; i < nsecs; i++) {
            span *sp;
            size_t ns = split_sql(text + secs[i].body, secs[i].body_end - secs[i].body,
                                  secs[i].body_line, &sp);
            if (ns != 1) {
                warnx("%s:%d: a test must hold exactly one statement, found %zu", path,
                      secs[i].body_line - 1, ns);
                ok = false;
            } else {
                cf->tests[cf->ntests].sql = xstrndup(text + secs[i].body + sp[0].start,
                                                     sp[0].end - sp[0].start);
                cf->tests[cf->ntests].line = sp[0].line;
                cf->ntests++;
            }
            free(sp);
        }
    }
    free(secs);
    free(text);
    if (!ok)
        case_file_free(cf);
    return ok;
}

/* ------------------------------------------------------------- libpq */

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static char *trim_dup(const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    return xstrndup(s, n);
}

static char *result_error(const PGconn *c, const PGresult *r)
{
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (m)
        return xstrdup(m);
    const char *e = r ? PQresultErrorMessage(r) : NULL;
    if (!e || !*e)
        e = PQerrorMessage(c);
    if (!e || !*e)
        e = "unknown error";
    return trim_dup(e);
}

static PGconn *connect_db(const char *connstr, const char *dbname, char **err)
{
    const char *keys[6];
    const char *vals[6];
    int k = 0;
    /* a default the connection string may override: no gss probing */
    keys[k] = "gssencmode";
    vals[k++] = "disable";
    keys[k] = "dbname";
    vals[k++] = connstr;
    if (dbname) {
        keys[k] = "dbname";
        vals[k++] = dbname;
    }
    keys[k] = "connect_timeout";
    vals[k++] = "10";
    /* the session default, so that a RESET in the setup keeps a bound */
    keys[k] = "options";
    vals[k++] = "-c statement_timeout=" STATEMENT_TIMEOUT;
    keys[k] = NULL;
    vals[k] = NULL;
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c) {
        *err = xstrdup("out of memory");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        *err = trim_dup(PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet_notices, NULL);
    return c;
}

/* run a command; on failure return false and set *err (when err given) */
static bool exec_cmd(PGconn *c, const char *sql, char **err)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok && err)
        *err = result_error(c, r);
    PQclear(r);
    return ok;
}

static PGresult *exec_query(PGconn *c, const char *sql, char **err)
{
    PGresult *r = PQexec(c, sql);
    if (r && PQresultStatus(r) == PGRES_TUPLES_OK)
        return r;
    *err = result_error(c, r);
    PQclear(r);
    return NULL;
}

static char *quote_ident(PGconn *c, const char *s)
{
    char *q = PQescapeIdentifier(c, s, strlen(s));
    if (!q)
        die("cannot quote identifier %s", s);
    char *r = xstrdup(q);
    PQfreemem(q);
    return r;
}

/* ------------------------------------------------------- observations */

typedef struct {
    unsigned long oid;
    char kind;
    unsigned long filenode;
    long long numscans;      /* pg_stat_get_numscans */
    long long xact_numscans; /* pg_stat_get_xact_numscans */
    char *name;              /* schema.rel, unquoted */
    char *qname;             /* quoted for sql */
} rel_info;

typedef struct {
    rel_info *v;
    size_t n;
} rel_set;

static void rel_set_free(rel_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].qname);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static rel_info *rel_find(const rel_set *s, unsigned long oid)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].oid == oid)
            return &s->v[i];
    return NULL;
}

static bool snapshot_rels(PGconn *c, rel_set *out, char **err)
{
    static const char sql[] =
        "SELECT c.oid::bigint, c.relkind, c.relfilenode::bigint, "
        "coalesce(pg_stat_get_numscans(c.oid), 0), "
        "coalesce(pg_stat_get_xact_numscans(c.oid), 0), "
        "n.nspname || '.' || c.relname, "
        "quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' "
        "AND c.relkind IN ('r', 'p', 'm', 'v', 'f') ORDER BY c.oid";
    PGresult *r = exec_query(c, sql, err);
    if (!r)
        return false;
    int n = PQntuples(r);
    out->v = xmalloc((size_t)n * sizeof *out->v);
    out->n = (size_t)n;
    for (int i = 0; i < n; i++) {
        rel_info *ri = &out->v[i];
        ri->oid = strtoul(PQgetvalue(r, i, 0), NULL, 10);
        ri->kind = PQgetvalue(r, i, 1)[0];
        ri->filenode = strtoul(PQgetvalue(r, i, 2), NULL, 10);
        ri->numscans = strtoll(PQgetvalue(r, i, 3), NULL, 10);
        ri->xact_numscans = strtoll(PQgetvalue(r, i, 4), NULL, 10);
        ri->name = xstrdup(PQgetvalue(r, i, 5));
        ri->qname = xstrdup(PQgetvalue(r, i, 6));
    }
    PQclear(r);
    return true;
}

typedef struct {
    char *rel;
    int mode;
} lock_obs;

typedef struct {
    lock_obs *locks;
    size_t nlocks;
    strlist rewrites;
    strlist scans;
    bool nntx;
    char *error;
} observation;

static void obs_free(observation *o)
{
    for (size_t i = 0; i < o->nlocks; i++)
        free(o->locks[i].rel);
    free(o->locks);
    sl_free(&o->rewrites);
    sl_free(&o->scans);
    free(o->error);
    memset(o, 0, sizeof *o);
}

/* keep the strongest mode per relation */
static void obs_add_lock(observation *o, const char *rel, int mode)
{
    if (mode <= 0)
        return;
    for (size_t i = 0; i < o->nlocks; i++)
        if (strcmp(o->locks[i].rel, rel) == 0) {
            if (mode > o->locks[i].mode)
                o->locks[i].mode = mode;
            return;
        }
    o->locks = xrealloc(o->locks, (o->nlocks + 1) * sizeof *o->locks);
    o->locks[o->nlocks].rel = xstrdup(rel);
    o->locks[o->nlocks].mode = mode;
    o->nlocks++;
}

static void obs_set_error(observation *o, char *msg)
{
    if (o->error)
        free(msg);
    else
        o->error = msg;
}

static bool table_like(char kind)
{
    return kind == 'r' || kind == 'p' || kind == 'm' || kind == 'v' || kind == 'f';
}

/* rewrites: tables or matviews whose relfilenode changed; scans: seq scans */
static void diff_snapshots(observation *o, const rel_set *pre, const rel_set *post, bool xact)
{
    for (size_t i = 0; i < pre->n; i++) {
        const rel_info *a = &pre->v[i];
        const rel_info *b = rel_find(post, a->oid);
        if (!b)
            continue;
        if ((a->kind == 'r' || a->kind == 'm') && a->filenode != 0 && a->filenode != b->filenode)
            sl_add_unique(&o->rewrites, a->name);
        long long before = xact ? a->xact_numscans : a->numscans;
        long long after = xact ? b->xact_numscans : b->numscans;
        if (after > before)
            sl_add_unique(&o->scans, a->name);
    }
}

typedef struct {
    const char *connstr;
    const case_file *cf; /* the file being run */
    PGconn *admin;
    char *tpl_db;
    char *run_db;
} context;

static bool drop_db(context *cx, const char *db, char **err)
{
    char *q = quote_ident(cx->admin, db);
    char *sql = xasprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", q);
    bool ok = exec_cmd(cx->admin, sql, err);
    free(sql);
    free(q);
    return ok;
}

static bool create_db(context *cx, const char *db, const char *tpl, char **err)
{
    char *q = quote_ident(cx->admin, db);
    char *t = quote_ident(cx->admin, tpl);
    char *sql = xasprintf("CREATE DATABASE %s TEMPLATE %s", q, t);
    bool ok = exec_cmd(cx->admin, sql, err);
    free(sql);
    free(t);
    free(q);
    return ok;
}

static bool recreate_run_db(context *cx, char **err)
{
    return drop_db(cx, cx->run_db, err) && create_db(cx, cx->run_db, cx->tpl_db, err);
}

/* connect to the test database; the statement's own session replays setup SETs */
static PGconn *connect_run(context *cx, bool replay, char **err)
{
    PGconn *c = connect_db(cx->connstr, cx->run_db, err);
    if (!c)
        return NULL;
    for (size_t i = 0; replay && cx->cf && i < cx->cf->nsetup; i++) {
        if (cx->cf->setup[i].session && !exec_cmd(c, cx->cf->setup[i].sql, err)) {
            PQfinish(c);
            return NULL;
        }
    }
    if (!exec_cmd(c, "SET statement_timeout = '" STATEMENT_TIMEOUT "'", err)) {
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* -------------------------------------------- statements outside a block */

/*
 * one helper per setup relation: up to two sessions that take turns holding a
 * lock on it, so that a new lock can be queued before the old one is let go
 */
typedef struct {
    PGconn *c[2];
    int pid[2];
    bool pending[2]; /* an asynchronous lock request is in flight */
    bool open[2];    /* inside a transaction */
    int cur;         /* the session holding the lock, or -1 */
    int mode;        /* the mode it holds */
    int relocks;     /* re-locks after a release for a non-relation wait */
} helper;

#define MAX_RELOCKS 8

static void hconn_reset(helper *h, int k)
{
    PGconn *c = h->c[k];
    if (!c)
        return;
    if (h->pending[k]) {
        PGcancel *cancel = PQgetCancel(c);
        if (cancel) {
            char buf[256];
            PQcancel(cancel, buf, sizeof buf);
            PQfreeCancel(cancel);
        }
        /* bounded: the request was cancelled and has a lock_timeout */
        PGresult *r;
        while ((r = PQgetResult(c)) != NULL)
            PQclear(r);
        h->pending[k] = false;
    }
    if (h->open[k])
        exec_cmd(c, "ROLLBACK", NULL);
    h->open[k] = false;
    if (h->cur == k)
        h->cur = -1;
}

static void helper_release_all(helper *h)
{
    hconn_reset(h, 0);
    hconn_reset(h, 1);
}

static bool hconn_connect(context *cx, helper *h, int k)
{
    if (h->c[k])
        return true;
    char *err = NULL;
    h->c[k] = connect_run(cx, false, &err);
    if (!h->c[k]) {
        warnx("helper connection failed: %s", err);
        free(err);
        return false;
    }
    h->pid[k] = PQbackendPID(h->c[k]);
    return true;
}

static char *helper_lock_sql(const rel_info *rel, int mode, bool nowait)
{
    if (rel->kind == 'r' || rel->kind == 'p')
        return xasprintf("BEGIN; SET LOCAL lock_timeout = '2s'; LOCK TABLE ONLY %s IN %s MODE%s",
                         rel->qname, lock_sql[mode], nowait ? " NOWAIT" : "");
    if (mode != MODE_ACCESS_EXCLUSIVE)
        return NULL;
    /* LOCK TABLE refuses these kinds (or, for views, recurses into their tables) */
    const char *what = rel->kind == 'v' ? "VIEW" : rel->kind == 'm' ? "MATERIALIZED VIEW" : "FOREIGN TABLE";
    return xasprintf("BEGIN; SET LOCAL lock_timeout = '2s'; ALTER %s %s OWNER TO CURRENT_USER", what,
                     rel->qname);
}

/* send a lock request on session k without waiting for it */
static bool hconn_send_lock(helper *h, int k, const rel_info *rel, int mode, bool nowait)
{
    char *sql = helper_lock_sql(rel, mode, nowait);
    if (!sql)
        return false;
    bool ok = PQsendQuery(h->c[k], sql) == 1;
    free(sql);
    if (ok) {
        h->pending[k] = true;
        h->open[k] = true;
    }
    return ok;
}

/* poll session k for the end of its lock request; 1 done ok, 0 busy, -1 failed */
static int hconn_poll(helper *h, int k)
{
    PGconn *c = h->c[k];
    if (!h->pending[k])
        return 1;
    if (!PQconsumeInput(c))
        return -1;
    if (PQisBusy(c))
        return 0;
    bool ok = true;
    PGresult *r;
    while ((r = PQgetResult(c)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
            ok = false;
        PQclear(r);
    }
    h->pending[k] = false;
    return ok ? 1 : -1;
}

/*
 * the statement waits for a helper session without waiting for a relation
 * lock (it waits for the transactions that hold conflicting locks to end, as
 * concurrent index builds do): end that transaction and, a few times at most,
 * take the same mode again in a new one with NOWAIT, so that a later stronger
 * request on the relation is still seen as a wait
 */
static void helper_let_pass(helper *h, int k, const rel_info *rel)
{
    bool was_holder = h->cur == k;
    int mode = h->mode;
    hconn_reset(h, k);
    if (!was_holder || h->relocks >= MAX_RELOCKS || mode == MODE_ACCESS_EXCLUSIVE ||
        (rel->kind != 'r' && rel->kind != 'p'))
        return;
    h->relocks++;
    if (!hconn_send_lock(h, k, rel, mode, true))
        return;
    PGresult *r;
    bool ok = true;
    /* bounded: NOWAIT */
    while ((r = PQgetResult(h->c[k])) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
            ok = false;
        PQclear(r);
    }
    h->pending[k] = false;
    if (ok) {
        h->cur = k;
        h->mode = mode;
    } else {
        hconn_reset(h, k);
    }
}

/* true when session pid has a request on relation oid in pg_locks */
static bool lock_requested(PGconn *m, int pid, unsigned long oid)
{
    char *sql = xasprintf("SELECT 1 FROM pg_locks WHERE pid = %d AND locktype = 'relation' "
                          "AND relation = %lu",
                          pid, oid);
    char *err = NULL;
    PGresult *r = exec_query(m, sql, &err);
    free(sql);
    free(err);
    bool found = r && PQntuples(r) > 0;
    PQclear(r);
    return found;
}

/*
 * the statement waits for mode on rel, which the helper holds: hand the
 * relation over to the statement. where a probe mode exists, the other session
 * of the helper first queues a request for it behind the statement's, so both
 * are granted together when the holder lets go and no later upgrade by the
 * statement can slip through unseen
 */
static void helper_hand_over(helper *h, const rel_info *rel, int mode, PGconn *m, context *cx)
{
    int z = probe_mode[mode];
    int old = h->cur;
    int nxt = 1 - old;
    bool queued = false;
    if (z && (rel->kind == 'r' || rel->kind == 'p') && hconn_connect(cx, h, nxt)) {
        hconn_reset(h, nxt);
        if (hconn_send_lock(h, nxt, rel, z, false)) {
            queued = true;
            /* wait until the request is granted or queued (bounded) */
            for (int i = 0; i < 500; i++) {
                int st = hconn_poll(h, nxt);
                if (st != 0) {
                    if (st < 0)
                        queued = false;
                    break;
                }
                if (lock_requested(m, h->pid[nxt], rel->oid))
                    break;
                sleep_ms(2);
            }
        }
    }
    hconn_reset(h, old);
    if (!queued) {
        hconn_reset(h, nxt);
        return;
    }
    /* granted together with the statement's request unless it conflicts */
    for (int i = 0; i < 100; i++) {
        int st = hconn_poll(h, nxt);
        if (st == 1) {
            h->cur = nxt;
            h->mode = z;
            return;
        }
        if (st < 0)
            break;
        sleep_ms(2);
    }
    hconn_reset(h, nxt);
}

/*
 * observe a statement that cannot run inside a transaction block. a helper per
 * setup relation holds an access exclusive lock on it, then the statement is
 * sent. every time the statement waits for a relation lock the requested mode
 * is recorded and the helper hands the relation over (see helper_hand_over):
 * it keeps the weakest mode that does not conflict with the one just granted
 * but conflicts with every stronger one, so a later upgrade shows up as
 * another wait. the statement's granted relation locks are also sampled at
 * every poll. waits on anything else (virtual transaction ids, as concurrent
 * index builds and concurrent detach do) end the blocking helper's
 * transaction, and the helper takes its mode again a few times at most (see
 * helper_let_pass). limits: views, matviews and foreign tables can only be held in access
 * exclusive mode, so only the first request on them is seen; a request that a
 * mode-holding helper does not block (weaker than or equal to a mode already
 * granted) is only seen if a poll samples it; relations the statement creates
 * are not reported
 */
static void observe_nontx(context *cx, const char *sql, observation *o)
{
    char *err = NULL;
    rel_set pre = {0}, post = {0};
    helper *helpers = NULL;
    PGconn *a = NULL, *m = NULL;
    o->nntx = true;

    a = connect_run(cx, true, &err);
    if (!a)
        goto fail;
    m = connect_run(cx, false, &err);
    if (!m)
        goto fail;
    int apid = PQbackendPID(a);
    if (!snapshot_rels(a, &pre, &err))
        goto fail;

    PGresult *r = exec_query(m, "SELECT oid::bigint FROM pg_database WHERE datname = current_database()", &err);
    if (!r)
        goto fail;
    char *dboid = xstrdup(PQgetvalue(r, 0, 0));
    PQclear(r);

    helpers = xmalloc((pre.n ? pre.n : 1) * sizeof *helpers);
    for (size_t i = 0; i < pre.n; i++) {
        helper *h = &helpers[i];
        memset(h, 0, sizeof *h);
        h->cur = -1;
        if (!hconn_connect(cx, h, 0))
            continue;
        if (hconn_send_lock(h, 0, &pre.v[i], MODE_ACCESS_EXCLUSIVE, false)) {
            PGresult *hr;
            bool ok = true;
            while ((hr = PQgetResult(h->c[0])) != NULL) {
                ExecStatusType st = PQresultStatus(hr);
                if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
                    ok = false;
                PQclear(hr);
            }
            h->pending[0] = false;
            if (ok) {
                h->cur = 0;
                h->mode = MODE_ACCESS_EXCLUSIVE;
            }
            else
                hconn_reset(h, 0);
        }
        if (h->cur < 0)
            warnx("cannot hold a lock on %s", pre.v[i].name);
    }

    char *lock_sql_text = xasprintf(
        "SELECT locktype, coalesce(relation, 0)::bigint, mode, granted, "
        "coalesce(database, 0)::bigint = %s FROM pg_locks WHERE pid = %d "
        "AND (NOT granted OR locktype = 'relation')",
        dboid, apid);
    char *blockers_sql = xasprintf("SELECT unnest(pg_blocking_pids(%d))", apid);
    free(dboid);

    bool done = false;
    int stall = 0;
    if (!PQsendQuery(a, sql)) {
        obs_set_error(o, trim_dup(PQerrorMessage(a)));
        done = true;
    }
    for (int poll_no = 0; !done && poll_no < MAX_POLLS; poll_no++) {
        if (!PQconsumeInput(a)) {
            obs_set_error(o, trim_dup(PQerrorMessage(a)));
            break;
        }
        if (!PQisBusy(a)) {
            done = true;
            break;
        }
        char *qerr = NULL;
        r = exec_query(m, lock_sql_text, &qerr);
        if (!r) {
            obs_set_error(o, qerr);
            break;
        }
        bool waiting = false;
        rel_info *wait_rel = NULL;
        int wait_mode = 0;
        for (int i = 0; i < PQntuples(r); i++) {
            bool is_rel = strcmp(PQgetvalue(r, i, 0), "relation") == 0;
            unsigned long oid = strtoul(PQgetvalue(r, i, 1), NULL, 10);
            int mode = lock_rank(PQgetvalue(r, i, 2));
            bool granted = PQgetvalue(r, i, 3)[0] == 't';
            bool this_db = PQgetvalue(r, i, 4)[0] == 't';
            rel_info *ri = is_rel && this_db ? rel_find(&pre, oid) : NULL;
            if (ri)
                obs_add_lock(o, ri->name, mode);
            if (!granted) {
                waiting = true;
                if (ri) {
                    wait_rel = ri;
                    wait_mode = mode;
                }
            }
        }
        PQclear(r);
        helper *wh = wait_rel ? &helpers[wait_rel - pre.v] : NULL;
        if (wh && wh->cur >= 0 && wait_mode > 0) {
            helper_hand_over(wh, wait_rel, wait_mode, m, cx);
            stall = 0;
        } else if (waiting) {
            r = exec_query(m, blockers_sql, &qerr);
            if (!r) {
                obs_set_error(o, qerr);
                break;
            }
            bool released = false;
            for (int i = 0; i < PQntuples(r); i++) {
                int bpid = atoi(PQgetvalue(r, i, 0));
                for (size_t k = 0; k < pre.n; k++)
                    for (int j = 0; j < 2; j++)
                        if (helpers[k].c[j] && helpers[k].pid[j] == bpid &&
                            (helpers[k].open[j] || helpers[k].pending[j])) {
                            helper_let_pass(&helpers[k], j, &pre.v[k]);
                            released = true;
                        }
            }
            PQclear(r);
            if (released) {
                stall = 0;
            } else if (++stall > STALL_POLLS) {
                for (size_t k = 0; k < pre.n; k++)
                    helper_release_all(&helpers[k]);
                stall = 0;
            }
        }
        sleep_ms(POLL_INTERVAL_MS);
    }
    free(lock_sql_text);
    free(blockers_sql);

    if (!done) {
        PGcancel *cancel = PQgetCancel(a);
        if (cancel) {
            char buf[256];
            PQcancel(cancel, buf, sizeof buf);
            PQfreeCancel(cancel);
        }
        obs_set_error(o, xstrdup("gave up waiting for the statement to finish"));
    }
    for (size_t k = 0; k < pre.n; k++) {
        helper_release_all(&helpers[k]);
        for (int j = 0; j < 2; j++)
            if (helpers[k].c[j])
                PQfinish(helpers[k].c[j]);
    }
    free(helpers);
    helpers = NULL;

    /* bounded by statement_timeout now that no helper holds anything */
    PGresult *res;
    while ((res = PQgetResult(a)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR || st == PGRES_BAD_RESPONSE)
            obs_set_error(o, result_error(a, res));
        PQclear(res);
    }

    if (!exec_cmd(a, "SELECT pg_stat_force_next_flush()", &err))
        goto fail;
    if (!snapshot_rels(a, &post, &err))
        goto fail;
    diff_snapshots(o, &pre, &post, false);
    goto out;

fail:
    obs_set_error(o, err ? err : xstrdup("observation failed"));
    err = NULL;
out:
    free(err);
    free(helpers);
    rel_set_free(&pre);
    rel_set_free(&post);
    if (m)
        PQfinish(m);
    if (a)
        PQfinish(a);
}

/* --------------------------------------------- statements inside a block */

static void observe_test(context *cx, const char *sql, observation *o)
{
    char *err = NULL;
    rel_set pre = {0}, post = {0};
    PGconn *a = NULL;
    memset(o, 0, sizeof *o);

    if (!recreate_run_db(cx, &err))
        goto fail;
    a = connect_run(cx, true, &err);
    if (!a)
        goto fail;
    if (!exec_cmd(a, "SET lock_timeout = '20s'", &err) || !exec_cmd(a, "BEGIN", &err) ||
        !snapshot_rels(a, &pre, &err))
        goto fail;

    PGresult *r = PQexec(a, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR || st == PGRES_BAD_RESPONSE ||
        st == PGRES_EMPTY_QUERY) {
        const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
        bool nntx = state && strcmp(state, "25001") == 0;
        char *msg = result_error(a, r);
        PQclear(r);
        exec_cmd(a, "ROLLBACK", NULL);
        PQfinish(a);
        a = NULL;
        if (nntx) {
            free(msg);
            if (!recreate_run_db(cx, &err))
                goto fail;
            observe_nontx(cx, sql, o);
        } else {
            o->error = msg;
        }
        goto out;
    }
    PQclear(r);

    r = exec_query(a,
                   "SELECT relation::bigint, mode FROM pg_locks WHERE pid = pg_backend_pid() "
                   "AND locktype = 'relation' AND granted AND database = "
                   "(SELECT oid FROM pg_database WHERE datname = current_database())",
                   &err);
    if (!r)
        goto fail;
    for (int i = 0; i < PQntuples(r); i++) {
        rel_info *ri = rel_find(&pre, strtoul(PQgetvalue(r, i, 0), NULL, 10));
        if (ri && table_like(ri->kind))
            obs_add_lock(o, ri->name, lock_rank(PQgetvalue(r, i, 1)));
    }
    PQclear(r);
    if (!snapshot_rels(a, &post, &err))
        goto fail;
    diff_snapshots(o, &pre, &post, true);
    exec_cmd(a, "ROLLBACK", NULL);
    goto out;

fail:
    obs_set_error(o, err ? err : xstrdup("observation failed"));
    err = NULL;
out:
    free(err);
    rel_set_free(&pre);
    rel_set_free(&post);
    if (a)
        PQfinish(a);
    char *derr = NULL;
    if (!drop_db(cx, cx->run_db, &derr)) {
        warnx("cannot drop database %s: %s", cx->run_db, derr);
        free(derr);
    }
}

static int cmp_lock(const void *pa, const void *pb)
{
    const lock_obs *a = pa, *b = pb;
    int c = strcmp(a->rel, b->rel);
    return c ? c : a->mode - b->mode;
}

static void obs_normalize(observation *o)
{
    if (o->nlocks > 1)
        qsort(o->locks, o->nlocks, sizeof *o->locks, cmp_lock);
    sl_sort(&o->rewrites);
    sl_sort(&o->scans);
}

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("<invalid utf-8>");
}

static json_t *jstrlist(const strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, jstr(l->v[i]));
    return a;
}

static void print_observation(const char *file, const test_case *t, const observation *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "file", jstr(file));
    json_object_set_new(j, "line", json_integer(t->line));
    json_object_set_new(j, "sql", jstr(t->sql));
    json_t *locks = json_array();
    for (size_t i = 0; i < o->nlocks; i++) {
        json_t *l = json_object();
        json_object_set_new(l, "relation", jstr(o->locks[i].rel));
        json_object_set_new(l, "mode", jstr(lock_modes[o->locks[i].mode]));
        json_array_append_new(locks, l);
    }
    json_object_set_new(j, "locks", locks);
    json_object_set_new(j, "rewrites", jstrlist(&o->rewrites));
    json_object_set_new(j, "scans", jstrlist(&o->scans));
    json_object_set_new(j, "needs_no_transaction", json_boolean(o->nntx));
    json_object_set_new(j, "error", o->error ? jstr(o->error) : json_null());
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!s)
        die("cannot encode json");
    puts(s);
    fflush(stdout);
    free(s);
    json_decref(j);
}

/* ------------------------------------------------------------ compare */

typedef struct {
    const char *binary;
    char pg_major[16]; /* major version of the server, passed to pgsafe */
    char *tmpdir;
    char *tmpfile;
    int passed, failed;
} comparer;

/* run argv, capture stdout (stderr passes through), bounded in time */
static bool run_capture(char *const argv[], char **out, int *status, char **err)
{
    int fds[2];
    if (pipe(fds) != 0) {
        *err = xasprintf("pipe: %s", strerror(errno));
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        *err = xasprintf("fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, 0);
            close(devnull);
        }
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "%s: cannot run %s: %s\n", progname, argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    sbuf b = {0};
    long long deadline = now_ms() + LINT_TIMEOUT_MS;
    bool timed_out = false;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = {fds[0], POLLIN, 0};
        int pr = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
        if (pr < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pr == 0)
            continue;
        char chunk[8192];
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        sb_add(&b, chunk, (size_t)n);
    }
    close(fds[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int wst = 0;
    while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
        ;
    if (timed_out) {
        free(b.s);
        *err = xasprintf("%s timed out", argv[0]);
        return false;
    }
    *status = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + (WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
    *out = sb_take(&b);
    return true;
}

static char *format_locks(const strlist *l)
{
    return sl_format(l);
}

static void report_diff(comparer *cmp, const char *file, int line, const char *what,
                        char *mine, char *theirs, int *ndiff)
{
    printf("%s:%d: %s differ: pgsafe %s postgres %s\n", file, line, what, mine, theirs);
    free(mine);
    free(theirs);
    (*ndiff)++;
    (void)cmp;
}

static void compare_test(comparer *cmp, const case_file *cf, const test_case *t, const observation *o)
{
    int ndiff = 0;
    const char *file = cf->path;
    if (o->error) {
        printf("%s:%d: statement fails on postgres: %s\n", file, t->line, o->error);
        cmp->failed++;
        return;
    }

    FILE *f = fopen(cmp->tmpfile, "w");
    if (!f)
        die("cannot write %s: %s", cmp->tmpfile, strerror(errno));
    fputs(cf->setup_raw, f);
    fputs(t->sql, f);
    if (t->sql[strlen(t->sql) - 1] != ';')
        fputs(";", f);
    fputs("\n", f);
    if (fclose(f) != 0)
        die("cannot write %s: %s", cmp->tmpfile, strerror(errno));
    int want_line = cf->setup_nlines + 1;

    char *argv[] = {(char *)cmp->binary, "lint", "--format", "json", "--pg-version", cmp->pg_major,
                    "--fail-on", "never", cmp->tmpfile, NULL};
    char *out = NULL, *err = NULL;
    int status = 0;
    if (!run_capture(argv, &out, &status, &err)) {
        printf("%s:%d: cannot run pgsafe: %s\n", file, t->line, err);
        free(err);
        cmp->failed++;
        return;
    }
    json_error_t jerr;
    json_t *root = json_loads(out, 0, &jerr);
    if (!root) {
        printf("%s:%d: pgsafe output is not json (exit status %d): %s\n", file, t->line, status,
               jerr.text);
        free(out);
        cmp->failed++;
        return;
    }
    free(out);

    json_t *stmts = json_object_get(root, "statements");
    json_t *found = NULL;
    size_t idx;
    json_t *st;
    json_array_foreach(stmts, idx, st)
    {
        json_t *l = json_object_get(st, "line");
        if (json_is_integer(l) && json_integer_value(l) == want_line) {
            found = st;
            break;
        }
    }
    json_t *eff = found ? json_object_get(found, "effects") : NULL;
    if (!found) {
        printf("%s:%d: pgsafe reports no statement at line %d of the combined file\n", file,
               t->line, want_line);
        ndiff++;
    } else if (!json_is_object(eff)) {
        printf("%s:%d: pgsafe reports no effects\n", file, t->line);
        ndiff++;
    } else if (json_is_false(json_object_get(eff, "modeled"))) {
        printf("%s:%d: not modeled by pgsafe\n", file, t->line);
        ndiff++;
    } else {
        strlist mine = {0}, theirs = {0};
        json_t *lk;
        json_array_foreach(json_object_get(eff, "locks"), idx, lk)
        {
            const char *rel = json_string_value(json_object_get(lk, "relation"));
            const char *mode = json_string_value(json_object_get(lk, "mode"));
            char *s = xasprintf("%s:%s", rel ? rel : "?", mode ? mode : "?");
            sl_add_unique(&mine, s);
            free(s);
        }
        for (size_t i = 0; i < o->nlocks; i++) {
            char *s = xasprintf("%s:%s", o->locks[i].rel, lock_modes[o->locks[i].mode]);
            sl_add_unique(&theirs, s);
            free(s);
        }
        sl_sort(&mine);
        sl_sort(&theirs);
        if (!sl_equal(&mine, &theirs))
            report_diff(cmp, file, t->line, "locks", format_locks(&mine), format_locks(&theirs),
                        &ndiff);
        sl_free(&mine);
        sl_free(&theirs);

        static const char *const sets[] = {"rewrites", "scans"};
        for (int k = 0; k < 2; k++) {
            strlist a = {0};
            json_t *v;
            json_array_foreach(json_object_get(eff, sets[k]), idx, v)
            {
                const char *s = json_string_value(v);
                sl_add_unique(&a, s ? s : "?");
            }
            sl_sort(&a);
            const strlist *b = k == 0 ? &o->rewrites : &o->scans;
            if (!sl_equal(&a, b))
                report_diff(cmp, file, t->line, sets[k], sl_format(&a), sl_format(b), &ndiff);
            sl_free(&a);
        }

        json_t *nn = json_object_get(eff, "needs_no_transaction");
        bool mine_nn = json_is_true(nn);
        if (!json_is_boolean(nn) || mine_nn != o->nntx)
            report_diff(cmp, file, t->line, "needs_no_transaction",
                        xstrdup(json_is_boolean(nn) ? (mine_nn ? "true" : "false") : "missing"),
                        xstrdup(o->nntx ? "true" : "false"), &ndiff);
    }
    json_decref(root);
    if (ndiff)
        cmp->failed++;
    else
        cmp->passed++;
}

/* --------------------------------------------------------------- main */

static bool setup_template(context *cx, const case_file *cf)
{
    char *err = NULL;
    if (!drop_db(cx, cx->tpl_db, &err) || !create_db(cx, cx->tpl_db, "template0", &err)) {
        warnx("%s: cannot create the template database: %s", cf->path, err);
        free(err);
        return false;
    }
    PGconn *c = connect_db(cx->connstr, cx->tpl_db, &err);
    if (!c) {
        warnx("%s: cannot connect: %s", cf->path, err);
        free(err);
        return false;
    }
    bool ok = exec_cmd(c, "SET statement_timeout = '" STATEMENT_TIMEOUT "'", &err);
    for (size_t i = 0; ok && i < cf->nsetup; i++) {
        char *serr = NULL;
        bool sok = exec_cmd(c, cf->setup[i].sql, &serr);
        if (!sok && !cf->setup[i].may_fail) {
            warnx("%s:%d: setup statement failed: %s", cf->path, cf->setup[i].line, serr);
            ok = false;
        }
        free(serr);
    }
    if (!ok && err) {
        warnx("%s: %s", cf->path, err);
    }
    free(err);
    /* leave no transaction or session state behind */
    exec_cmd(c, "ROLLBACK", NULL);
    PQfinish(c);
    return ok;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: %s observe CONNSTR FILE...\n"
            "       %s compare CONNSTR PGSAFE_BINARY FILE...\n",
            progname, progname);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    bool compare = false;
    int first_file;
    if (strcmp(argv[1], "observe") == 0 && argc >= 4) {
        first_file = 3;
    } else if (strcmp(argv[1], "compare") == 0 && argc >= 5) {
        compare = true;
        first_file = 4;
    } else {
        usage();
    }

    context cx = {0};
    cx.connstr = argv[2];
    char *err = NULL;
    cx.admin = connect_db(cx.connstr, NULL, &err);
    if (!cx.admin) {
        fprintf(stderr, "%s: cannot connect: %s\n", progname, err);
        free(err);
        return 2;
    }
    cx.tpl_db = xasprintf("pgsafe_fx_tpl_%ld", (long)getpid());
    cx.run_db = xasprintf("pgsafe_fx_run_%ld", (long)getpid());

    comparer cmp = {0};
    if (compare) {
        cmp.binary = argv[3];
        snprintf(cmp.pg_major, sizeof cmp.pg_major, "%d", PQserverVersion(cx.admin) / 10000);
        const char *tmp = getenv("TMPDIR");
        cmp.tmpdir = xasprintf("%s/pg_effects.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(cmp.tmpdir))
            die("cannot create a temporary directory: %s", strerror(errno));
        cmp.tmpfile = xasprintf("%s/case.sql", cmp.tmpdir);
    }

    bool trouble = false;
    for (int i = first_file; i < argc; i++) {
        case_file cf;
        if (!parse_case_file(argv[i], &cf)) {
            trouble = true;
            continue;
        }
        cx.cf = &cf;
        bool set_up = setup_template(&cx, &cf);
        if (!set_up)
            trouble = true;
        for (size_t k = 0; set_up && k < cf.ntests; k++) {
            observation o;
            observe_test(&cx, cf.tests[k].sql, &o);
            obs_normalize(&o);
            if (compare)
                compare_test(&cmp, &cf, &cf.tests[k], &o);
            else
                print_observation(cf.path, &cf.tests[k], &o);
            obs_free(&o);
        }
        char *derr = NULL;
        if (!drop_db(&cx, cx.tpl_db, &derr)) {
            warnx("cannot drop database %s: %s", cx.tpl_db, derr);
            free(derr);
        }
        cx.cf = NULL;
        case_file_free(&cf);
    }

    int rc = trouble ? 2 : 0;
    if (compare) {
        printf("%d passed, %d failed\n", cmp.passed, cmp.failed);
        if (cmp.failed && !rc)
            rc = 1;
        unlink(cmp.tmpfile);
        rmdir(cmp.tmpdir);
        free(cmp.tmpfile);
        free(cmp.tmpdir);
    }
    free(cx.tpl_db);
    free(cx.run_db);
    PQfinish(cx.admin);
    return rc;
}
