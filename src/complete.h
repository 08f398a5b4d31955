/*
 * complete.h - what the shell completion scripts ask: the candidates for
 * one word of a tamis command line ("tamis __complete", a hidden command;
 * completion/tamis.bash and completion/_tamis are its two callers).
 *
 *   tamis __complete CWORD WORD...
 *
 * WORD... are the words after "tamis" as the shell split them (an option's
 * value after '=' rejoined: "--grid=au"), and the one being completed is at
 * index CWORD among them; it may be the empty string. Prints each candidate
 * that begins with it on a line of its own, maybe followed by a tab and a
 * short description (zsh shows it; bash keeps what comes before the tab),
 * and the line ":files" when a file name fits there too. Prints nothing it
 * does not know, never an error; always exits 0.
 *
 * The candidates:
 *  - the first word: the commands, the options of "tamis FILE" (--by,
 *    --facilitator, --help, --version) and file names;
 *  - an option of a command: those of its usage line in cli.c's table
 *    (cli_find()->args), so the two never disagree, and --help;
 *  - an option's value: grid ids for --grid, theme ids for --theme,
 *    criterion ids for each half of --axes X,Y, the choices the usage line
 *    lists (--format text|tsv|yaml), file names for -o;
 *  - an argument: card ids (CARD: their first 8 hex digits, the card's
 *    text as description), grid or criterion ids (ID of "grid" or
 *    "criterion"), file names (FILE, OUT, IDEAS...), nothing for TEXT.
 * Ids are read from the board named on the line (the command's first FILE
 * argument) as every reader reads it (session.h: its live journal
 * included, no lock taken); nothing when it cannot be read.
 */
#ifndef TAMIS_COMPLETE_H
#define TAMIS_COMPLETE_H

#include <stdio.h>

/* The name of the hidden command. */
#define COMPLETE_COMMAND "__complete"

/*
 * Runs "tamis __complete CWORD WORD..." (argv[0] is "__complete"), writing
 * the candidates to out. Returns 0.
 */
int complete_run(int argc, char **argv, FILE *out);

/* The commands completed, in the order of cli.c's table, NULL-terminated. */
extern const char *const complete_commands[];

#endif
