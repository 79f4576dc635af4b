/*
 * golden.c - runs pgsafe on every case under testdata/ and compares its
 * output with the expected file beside the input.
 *
 *   golden PGSAFE TESTDATA_DIR [--bless]
 *
 * A case is NAME.sql with NAME.json beside it (the exact output of
 * `pgsafe lint --format json NAME.sql`, run in the case's directory so
 * paths are relative). The case's first line may carry options:
 *   -- pgsafe-test: --pg-version=11 --assume-in-transaction
 * and, for CLI cases, an expected exit code: -- pgsafe-test-exit: 3
 * (default: whatever the output says; recorded in NAME.exit when present).
 * --bless rewrites every expected file; review the diff before committing.
 * Ends with "N passed, M failed".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 32
#define MAX_OUTPUT (16 * 1024 * 1024)

static int passed, failed;

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

static int write_all(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	return fclose(f) == 0 && w == len ? 0 : -1;
}

/* Splits the options on the case's first line into @argv; returns the count. */
static int case_options(const char *text, char *storage, size_t size, char **argv, int max,
			int *want_exit)
{
	static const char tag[] = "-- pgsafe-test:";
	static const char tag_exit[] = "-- pgsafe-test-exit:";
	int n = 0;
	*want_exit = -1;
	const char *p = text;
	for (int line = 0; line < 3 && *p; line++) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);
		if (l > sizeof(tag_exit) - 1 && !strncmp(p, tag_exit, sizeof(tag_exit) - 1)) {
			*want_exit = atoi(p + sizeof(tag_exit) - 1);
		} else if (l > sizeof(tag) - 1 && !strncmp(p, tag, sizeof(tag) - 1) && l < size) {
			memcpy(storage, p + sizeof(tag) - 1, l - (sizeof(tag) - 1));
			storage[l - (sizeof(tag) - 1)] = '\0';
			for (char *t = strtok(storage, " \t\r"); t && n < max; t = strtok(NULL, " \t\r"))
				argv[n++] = t;
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	return n;
}

/* Runs pgsafe in @dir with @argv; captures stdout; returns the exit code. */
static int run(const char *dir, char *const argv[], char **out, size_t *out_len)
{
	int pipefd[2];
	if (pipe(pipefd))
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		if (chdir(dir))
			_exit(127);
		setenv("NO_COLOR", "1", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	ssize_t got;
	while (buf && (got = read(pipefd[0], buf + n, cap - n - 1)) > 0) {
		n += (size_t)got;
		if (cap - n - 1 == 0 && cap < MAX_OUTPUT) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(pipefd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (buf)
		buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void run_case(const char *pgsafe, const char *dir, const char *name, int bless)
{
	char path[PATH_MAX], expected_path[PATH_MAX], exit_path[PATH_MAX];
	size_t len;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = read_all(path, &len);
	if (!text) {
		printf("FAIL %s: cannot read\n", path);
		failed++;
		return;
	}
	char storage[1024];
	char *opts[MAX_ARGS];
	int want_exit;
	int nopts = case_options(text, storage, sizeof(storage), opts, MAX_ARGS - 8, &want_exit);
	char *argv[MAX_ARGS];
	int k = 0;
	argv[k++] = (char *)pgsafe;
	argv[k++] = "lint";
	argv[k++] = "--format=json";
	for (int i = 0; i < nopts; i++)
		argv[k++] = opts[i];
	argv[k++] = (char *)name;
	argv[k] = NULL;

	char *out = NULL;
	size_t out_len = 0;
	int code = run(dir, argv, &out, &out_len);
	size_t base = strlen(name) - 4;
	snprintf(expected_path, sizeof(expected_path), "%s/%.*s.json", dir, (int)base, name);
	snprintf(exit_path, sizeof(exit_path), "%s/%.*s.exit", dir, (int)base, name);
	if (!out || code >= 64) {
		printf("FAIL %s: pgsafe exited with %d\n", path, code);
		failed++;
	} else if (bless) {
		char codes[16];
		snprintf(codes, sizeof(codes), "%d\n", code);
		if (write_all(expected_path, out, out_len) || write_all(exit_path, codes, strlen(codes))) {
			printf("FAIL %s: cannot write %s\n", path, expected_path);
			failed++;
		} else {
			passed++;
		}
	} else {
		size_t elen = 0, xlen = 0;
		char *expected = read_all(expected_path, &elen);
		char *exp_exit = read_all(exit_path, &xlen);
		int recorded = exp_exit ? atoi(exp_exit) : -1;
		if (!expected) {
			printf("FAIL %s: no expected output %s (run golden-bless)\n", path, expected_path);
			failed++;
		} else if (elen != out_len || memcmp(expected, out, out_len)) {
			printf("FAIL %s: output differs from %s\n", path, expected_path);
			char tmp[] = "/tmp/pgsafe-golden-XXXXXX";
			int fd = mkstemp(tmp);
			if (fd >= 0) {
				if (write(fd, out, out_len) == (ssize_t)out_len) {
					char cmd[PATH_MAX * 2 + 64];
					snprintf(cmd, sizeof(cmd), "diff -u '%s' '%s' | head -40", expected_path, tmp);
					fflush(stdout);
					if (system(cmd) < 0)
						perror("diff");
				}
				close(fd);
				unlink(tmp);
			}
			failed++;
		} else if ((recorded >= 0 && recorded != code) || (want_exit >= 0 && want_exit != code)) {
			printf("FAIL %s: exit code %d, expected %d\n", path, code,
			       want_exit >= 0 ? want_exit : recorded);
			failed++;
		} else {
			passed++;
		}
		free(expected);
		free(exp_exit);
	}
	free(out);
	free(text);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *pgsafe, const char *dir, int bless)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(char *));
			if (!nn)
				break;
			names = nn;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		size_t l = strlen(names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			walk(pgsafe, path, bless);
		else if (l > 4 && !strcmp(names[i] + l - 4, ".sql"))
			run_case(pgsafe, dir, names[i], bless);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: golden PGSAFE DIR... [--bless]\n");
		return 2;
	}
	int bless = !strcmp(argv[argc - 1], "--bless");
	char pgsafe[PATH_MAX];
	if (!realpath(argv[1], pgsafe)) {
		fprintf(stderr, "golden: cannot find %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	for (int i = 2; i < argc - bless; i++)
		walk(pgsafe, argv[i], bless);
	printf("%d passed, %d failed\n", passed, failed);
	return failed || passed == 0 ? 1 : 0;
}
