/*
 * floor.c - the floor of a tamis command as a whole process (bench/README.md):
 *
 *   floor FILE        starts, parses FILE with libyaml's event parser, exits
 *   floor FILE NEW    the same, then writes FILE's bytes into a new file
 *                     beside NEW, fsync()s it, renames it to NEW and fsync()s
 *                     the directory: the durable replacement a command that
 *                     changes a board makes
 *
 * What tamis itself cannot go under: `tamis list` and `tamis check` read and
 * parse a board, `tamis add` reads it and writes it again durably. Built
 * with the flags the Makefile gives tamis (hardening included), linked with
 * libyaml alone. Exits 0, or 1 with a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#define FLOOR_PIECE 65536

static int floor_fail(const char *what, const char *path)
{
	fprintf(stderr, "floor: %s '%s': %s\n", what, path, strerror(errno));
	return 1;
}

/* The bare parse: every event, nothing kept. */
static int floor_parse(FILE *f, const char *path)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	int done = 0;

	if (!yaml_parser_initialize(&yp))
		return floor_fail("cannot parse", path);
	yaml_parser_set_input_file(&yp, f);
	while (!done) {
		if (!yaml_parser_parse(&yp, &ev)) {
			fprintf(stderr, "floor: '%s' is not YAML: %s\n", path,
				yp.problem ? yp.problem : "?");
			yaml_parser_delete(&yp);
			return 1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	return 0;
}

/* FILE's bytes into a new file that replaces NEW durably. */
static int floor_replace(FILE *f, const char *path, const char *dest)
{
	char tmp[4096], dirbuf[4096], buf[FLOOR_PIECE];
	const char *dir;
	size_t n;
	int fd;

	snprintf(dirbuf, sizeof(dirbuf), "%s", dest);
	dir = dirname(dirbuf);
	snprintf(tmp, sizeof(tmp), "%s/.floor.XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0)
		return floor_fail("cannot create", tmp);
	rewind(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (write(fd, buf, n) != (ssize_t)n)
			return floor_fail("cannot write", tmp);
	if (ferror(f))
		return floor_fail("cannot read", path);
	if (fsync(fd) < 0 || close(fd) < 0)
		return floor_fail("cannot write", tmp);
	if (rename(tmp, dest) < 0)
		return floor_fail("cannot rename to", dest);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(fd) < 0)
		return floor_fail("cannot sync", dir);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	FILE *f;
	int r;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: floor FILE [NEW]\n");
		return 64;
	}
	if (!(f = fopen(argv[1], "rb")))
		return floor_fail("cannot open", argv[1]);
	r = floor_parse(f, argv[1]);
	if (!r && argc == 3)
		r = floor_replace(f, argv[1], argv[2]);
	fclose(f);
	return r;
}
