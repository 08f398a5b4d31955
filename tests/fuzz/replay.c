/*
 * replay.c - the fuzz harnesses in the normal test suite: every seed of
 * tests/fuzz/corpus/NAME/ and every saved crash tests/fuzz/crashes/NAME-*
 * goes through harness NAME once, each in a child process so that a crash
 * (an abort, a signal) is one failure and not the end of the suite.
 *
 * Built by tests/fuzz/fuzz.mk with the ordinary compiler as
 * $(O)/tests/test_fuzz_replay (the parsers) and, with -DFUZZ_REPLAY_UI, as
 * $(O)/tests/test_fuzz_replay_ui (the UI), which tests/run.sh runs with the
 * unit tests; prints TAP. The tree is $TAMIS_TOP, or else the one it was built from.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"
#include "xmalloc.h"

#ifndef FUZZ_TOP
#define FUZZ_TOP "."
#endif

struct replay_harness {
	const char *name;
	int (*test)(const uint8_t *data, size_t size);
	int (*init)(int *argc, char ***argv);
};

#ifdef FUZZ_REPLAY_UI
/* test_fuzz_replay_ui: the UI's harness, linked with the UI and curses. */
int fuzz_ui_test(const uint8_t *data, size_t size);
int fuzz_ui_init(int *argc, char ***argv);

static const struct replay_harness replay_harnesses[] = {
	{ "ui", fuzz_ui_test, fuzz_ui_init },
};
#else
int fuzz_store_test(const uint8_t *data, size_t size);
int fuzz_import_test(const uint8_t *data, size_t size);
int fuzz_journal_test(const uint8_t *data, size_t size);
int fuzz_journal_init(int *argc, char ***argv);

static const struct replay_harness replay_harnesses[] = {
	{ "store", fuzz_store_test, NULL },
	{ "import", fuzz_import_test, NULL },
	{ "journal", fuzz_journal_test, fuzz_journal_init },
};
#endif

static int replay_n;

/* In the child: runs harness h once on the file at path, and exits 0 if it returns. */
static void replay_child(const struct replay_harness *h, const char *path)
{
	struct strbuf data = STRBUF_INIT;
	char *args[] = { (char *)"replay", NULL }, **argv = args;
	int argc = 1;
	char buf[65536];
	uint8_t *copy;
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "cannot open '%s': %s\n", path, strerror(errno));
		_exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&data, buf, n);
	fclose(f);
	/* As libFuzzer hands it over: exactly size bytes, no NUL after. */
	copy = xmalloc(data.len ? data.len : 1);
	memcpy(copy, data.buf, data.len);
	if (h->init)
		h->init(&argc, &argv);
	h->test(copy, data.len);
	free(copy);
	strbuf_release(&data);
	exit(0);
}

/*
 * Runs one input in a child; returns 0 when it passed, else -1 with why it
 * did not and the first lines the harness wrote on stderr, in why.
 */
static int replay_one(const struct replay_harness *h, const char *path, struct strbuf *why)
{
	FILE *log = tmpfile(); /* the child's stderr */
	char line[512];
	int status, n = 0;
	pid_t pid, waited = -1;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (!pid) {
		if (log)
			dup2(fileno(log), STDERR_FILENO);
		replay_child(h, path);
	}
	while (pid > 0 && (waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (pid < 0 || waited < 0) {
		strbuf_addf(why, "%s: cannot run: %s", path, strerror(errno));
	} else if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		if (log)
			fclose(log);
		return 0;
	} else if (WIFSIGNALED(status)) {
		strbuf_addf(why, "%s: killed by signal %d", path, WTERMSIG(status));
	} else {
		strbuf_addf(why, "%s: exit status %d", path, WEXITSTATUS(status));
	}
	if (log) {
		rewind(log);
		while (n++ < 12 && fgets(line, sizeof(line), log)) {
			line[strcspn(line, "\n")] = '\0';
			strbuf_addf(why, "\n#     %s", line);
		}
		fclose(log);
	}
	return -1;
}

static int replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir whose names start with prefix, sorted (caller frees). */
static char **replay_list(const char *dir, const char *prefix, size_t *n)
{
	char **v = NULL;
	size_t alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		struct strbuf path = STRBUF_INIT;

		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			v = xreallocarray(v, alloc, sizeof(*v));
		}
		strbuf_addf(&path, "%s/%s", dir, de->d_name);
		v[(*n)++] = strbuf_detach(&path, NULL);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), replay_cmp);
	return v;
}

static void replay_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void replay_tap(int ok, const char *what, const struct strbuf *why)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++replay_n, what);
	if (!ok)
		printf("#   %s\n", why->buf);
}

int main(void)
{
	const char *top = getenv("TAMIS_TOP");
	struct strbuf dir = STRBUF_INIT, why = STRBUF_INIT, what = STRBUF_INIT;
	size_t h, i, n, failed;
	char **files;
	int failures = 0;

	if (!top || !*top)
		top = FUZZ_TOP;
	for (h = 0; h < sizeof(replay_harnesses) / sizeof(replay_harnesses[0]); h++) {
		const struct replay_harness *hr = &replay_harnesses[h];

		/* The seed corpus: one line for all of it. */
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/tests/fuzz/corpus/%s", top, hr->name);
		files = replay_list(dir.buf, "", &n);
		strbuf_reset(&why);
		for (i = failed = 0; i < n; i++) {
			struct strbuf one = STRBUF_INIT;

			if (replay_one(hr, files[i], &one) < 0) {
				if (failed++)
					strbuf_addstr(&why, "\n#   ");
				strbuf_add(&why, one.buf, one.len);
			}
			strbuf_release(&one);
		}
		if (!n)
			strbuf_addf(&why, "no seed in %s", dir.buf);
		strbuf_reset(&what);
		strbuf_addf(&what, "fuzz_%s: the %zu seeds of tests/fuzz/corpus/%s pass", hr->name,
			    n, hr->name);
		replay_tap(n && !failed, what.buf, &why);
		failures += !n || failed;
		replay_free(files, n);

		/* Each saved crash: one line each. */
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/tests/fuzz/crashes", top);
		strbuf_reset(&what);
		strbuf_addf(&what, "%s-", hr->name);
		files = replay_list(dir.buf, what.buf, &n);
		for (i = 0; i < n; i++) {
			int r;

			strbuf_reset(&why);
			r = replay_one(hr, files[i], &why);
			strbuf_reset(&what);
			strbuf_addf(&what, "fuzz_%s: crash %s passes", hr->name,
				    strrchr(files[i], '/') + 1);
			replay_tap(r == 0, what.buf, &why);
			failures += r < 0;
		}
		replay_free(files, n);
	}
	strbuf_release(&dir);
	strbuf_release(&why);
	strbuf_release(&what);
	return failures ? 1 : 0;
}
