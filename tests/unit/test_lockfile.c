/*
 * Unit tests for safe file access: atomic replacement under injected faults
 * (write, fsync and rename are wrapped with -Wl,--wrap), RLIMIT_FSIZE, the
 * order of syncs, bounded reads, and the writers' lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lockfile.h"

/* --- Fault injection ------------------------------------------------------ */

ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_fsync(int fd);
int __real_rename(const char *from, const char *to);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __wrap_fsync(int fd);
int __wrap_rename(const char *from, const char *to);

static int fail_write_at, fail_fsync_at, fail_rename_at; /* 1-based call; 0 = never */
static int writes, fsyncs, renames;
static char trace[256]; /* "F" file fsync, "D" dir fsync, "R" rename */

static void faults_reset(void)
{
	fail_write_at = fail_fsync_at = fail_rename_at = 0;
	writes = fsyncs = renames = 0;
	trace[0] = '\0';
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	if (++writes == fail_write_at) {
		errno = ENOSPC;
		return -1;
	}
	/* Short writes exercise the loop. */
	return __real_write(fd, buf, n > 7 ? n / 2 : n);
}

int __wrap_fsync(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0)
		strcat(trace, S_ISDIR(st.st_mode) ? "D" : "F");
	if (++fsyncs == fail_fsync_at) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

int __wrap_rename(const char *from, const char *to)
{
	strcat(trace, "R");
	if (++renames == fail_rename_at) {
		errno = EXDEV;
		return -1;
	}
	return __real_rename(from, to);
}

/* --- Helpers -------------------------------------------------------------- */

static char dir[64];
static char board[128];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/tamis-lockfile.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(board, sizeof(board), "%s/board.yaml", dir);
	faults_reset();
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	(void)state;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0)
			rmdir(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

static void put(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static char *get(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(file_read(path, 1 << 20, &sb, NULL), 0);
	return strbuf_detach(&sb, NULL);
}

/* Number of entries in dir besides . and .. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void assert_content(const char *path, const char *want)
{
	char *got = get(path);

	assert_string_equal(got, want);
	free(got);
}

/* --- Tests ---------------------------------------------------------------- */

static void test_replace_creates_and_replaces(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	assert_int_equal(file_replace(board, "one\n", 4, &err), 0);
	assert_content(board, "one\n");
	assert_int_equal(stat(board, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(file_replace(board, "two, longer\n", 12, &err), 0);
	assert_content(board, "two, longer\n");
	assert_int_equal(entries(), 1); /* no temporary file left */
	/* File data synced before the rename, the directory after it. */
	assert_string_equal(trace, "FRDFRD");
	umask(old);
	strbuf_release(&err);
}

static void test_replace_keeps_mode_never_world_writable(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	put(board, "x");
	chmod(board, 0640);
	assert_int_equal(file_replace(board, "y", 1, &err), 0);
	stat(board, &st);
	assert_int_equal(st.st_mode & 0777, 0640);
	chmod(board, 0666);
	assert_int_equal(file_replace(board, "z", 1, &err), 0);
	stat(board, &st);
	assert_int_equal(st.st_mode & 0777, 0664);
	unlink(board);
	assert_int_equal(file_replace(board, "new", 3, &err), 0);
	stat(board, &st);
	assert_int_equal(st.st_mode & 0002, 0);
	umask(old);
	strbuf_release(&err);
}

/* Every write, fsync and rename along a save fails in turn: the old file stays. */
static void test_replace_fault_at_every_step(void **state)
{
	static const char big[] = "a new board, long enough to need several short writes\n";
	struct strbuf err = STRBUF_INIT;
	int k, total_writes, total_fsyncs;

	(void)state;
	put(board, "original\n");
	faults_reset();
	assert_int_equal(file_replace(board, big, strlen(big), &err), 0);
	total_writes = writes;
	total_fsyncs = fsyncs;
	assert_true(total_writes > 1);
	assert_int_equal(total_fsyncs, 2);
	for (k = 1; k <= total_writes + total_fsyncs + 1; k++) {
		put(board, "original\n");
		faults_reset();
		if (k <= total_writes)
			fail_write_at = k;
		else if (k <= total_writes + 1)
			fail_fsync_at = 1; /* the file's fsync */
		else
			fail_rename_at = 1;
		strbuf_reset(&err);
		assert_int_equal(file_replace(board, big, strlen(big), &err), -1);
		assert_true(err.len > 0);
		assert_content(board, "original\n");
		assert_int_equal(entries(), 1);
	}
	strbuf_release(&err);
}

static void test_replace_file_size_limit(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct rlimit old, small;
	char data[4096];

	(void)state;
	put(board, "original\n");
	memset(data, 'x', sizeof(data));
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 1000;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(file_replace(board, data, sizeof(data), &err), -1);
	setrlimit(RLIMIT_FSIZE, &old);
	assert_non_null(strstr(err.buf, "cannot write"));
	assert_content(board, "original\n");
	assert_int_equal(entries(), 1);
	strbuf_release(&err);
}

static void test_create_never_overwrites(void **state)
{
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(file_create(board, "first", 5, &err), 0);
	assert_content(board, "first");
	assert_int_equal(file_create(board, "second", 6, &err), -1);
	assert_int_equal(errno, EEXIST);
	assert_content(board, "first");
	assert_int_equal(entries(), 1);
	strbuf_release(&err);
}

static void test_read_refuses_dirs_fifos_and_big_files(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char fifo[160];

	(void)state;
	assert_int_equal(file_read(dir, 100, &out, &err), -1);
	assert_int_equal(errno, EISDIR);
	assert_non_null(strstr(err.buf, "is a directory"));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	strbuf_reset(&err);
	assert_int_equal(file_read(fifo, 100, &out, &err), -1); /* does not block */
	assert_non_null(strstr(err.buf, "not a regular file"));
	put(board, "0123456789");
	strbuf_reset(&err);
	assert_int_equal(file_read(board, 5, &out, &err), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(file_read(board, 10, &out, &err), 0);
	assert_string_equal(out.buf, "0123456789");
	strbuf_reset(&err);
	assert_int_equal(file_read("/nonexistent/x", 10, &out, &err), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(err.buf, "cannot open '/nonexistent/x': No such file or directory");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_lock_excludes_other_processes(void **state)
{
	struct board_lock lk = BOARD_LOCK_INIT;
	struct strbuf err = STRBUF_INIT;
	char *path = board_lock_path(board);
	int status;
	pid_t pid;

	(void)state;
	assert_non_null(strstr(path, "/.board.yaml.lock"));
	assert_int_equal(board_lock_acquire(&lk, board, 0, &err), 0);
	pid = fork();
	if (pid == 0) {
		struct board_lock other = BOARD_LOCK_INIT;
		int r = board_lock_acquire(&other, board, 50, NULL);

		_exit(r == -1 && errno == EWOULDBLOCK ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	board_lock_release(&lk);
	board_lock_release(&lk); /* twice is harmless */
	pid = fork();
	if (pid == 0) {
		struct board_lock other = BOARD_LOCK_INIT;

		_exit(board_lock_acquire(&other, board, 0, NULL) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The lock survives an atomic save of the board. */
	assert_int_equal(board_lock_acquire(&lk, board, 0, &err), 0);
	assert_int_equal(file_replace(board, "x", 1, &err), 0);
	pid = fork();
	if (pid == 0) {
		struct board_lock other = BOARD_LOCK_INIT;

		_exit(board_lock_acquire(&other, board, 0, NULL) == -1 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	board_lock_release(&lk);
	free(path);
	strbuf_release(&err);
}

static void test_lock_does_not_follow_symlinks(void **state)
{
	struct board_lock lk = BOARD_LOCK_INIT;
	struct strbuf err = STRBUF_INIT;
	char *path = board_lock_path(board), target[160];

	(void)state;
	snprintf(target, sizeof(target), "%s/victim", dir);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(board_lock_acquire(&lk, board, 0, &err), -1);
	assert_int_equal(access(target, F_OK), -1); /* nothing created there */
	free(path);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_creates_and_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_keeps_mode_never_world_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_fault_at_every_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_file_size_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_never_overwrites, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refuses_dirs_fifos_and_big_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_excludes_other_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_does_not_follow_symlinks, setup, teardown),
	};

	return cmocka_run_group_tests_name("lockfile", tests, NULL, NULL);
}
