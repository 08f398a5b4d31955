/*
 * cli.h - the scriptable command-line interface: tamis COMMAND FILE ...
 *
 * Each command parses its own options, prints results on stdout and errors
 * on stderr (one line per problem), and returns a sysexits(3) status:
 * 0 ok, 64 usage, 65 invalid board, 66 cannot open, 73 cannot create,
 * 74 I/O error, 75 lock not obtained in time.
 *
 * Commands that change a board take the writers' lock, re-read the board
 * under it, apply their change and save atomically before releasing it, so
 * concurrent commands (and UIs) never lose each other's changes.
 */
#ifndef TAMIS_CLI_H
#define TAMIS_CLI_H

#include <stdio.h>

struct cli_command {
	const char *name;
	const char *args;     /* e.g. "FILE TEXT [--theme ID] ..." */
	const char *summary;  /* untranslated; shown through _() */
	int (*run)(int argc, char **argv);
};

/* The command called name, or NULL. */
const struct cli_command *cli_find(const char *name);
/* Prints the general usage (every command) to f. */
void cli_usage(FILE *f);
/* Prints "tamis: " and the message to stderr (formatted); returns status. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
