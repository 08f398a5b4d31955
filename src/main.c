/*
 * main.c - parses the command line and dispatches: to a CLI command
 * (cli.h), or to the terminal board (ui.h) for "tamis FILE".
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "complete.h"
#include "i18n.h"
#include "ui.h"

/* Widths and ncursesw need a UTF-8 LC_CTYPE; fall back to C.UTF-8. */
static void main_locale(void)
{
	const char *codeset;

	setlocale(LC_ALL, "");
	codeset = nl_langinfo(CODESET);
	if (strcmp(codeset, "UTF-8") && strcmp(codeset, "utf8"))
		setlocale(LC_CTYPE, "C.UTF-8");
	i18n_init();
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "facilitator", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd;
	struct ui_options ui = { NULL, false };
	int c;

	main_locale();
	/* A write past RLIMIT_FSIZE must fail with EFBIG, not kill us mid-save. */
	signal(SIGXFSZ, SIG_IGN);

	/* Hidden: the shell completion scripts' helper (complete.h). */
	if (argc > 1 && !strcmp(argv[1], COMPLETE_COMMAND))
		return complete_run(argc - 1, argv + 1, stdout);
	if (argc > 1 && (cmd = cli_find(argv[1])))
		return cmd->run(argc - 1, argv + 1);

	ui.by = getenv("TAMIS_BY");
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'b': ui.by = optarg; break;
		case 'f': ui.facilitator = true; break;
		case 'h': cli_usage(stdout); return 0;
		case 'V': printf("tamis %s\n", TAMIS_VERSION); return 0;
		default:
			fprintf(stderr, _("Try 'tamis --help'.\n"));
			return EX_USAGE;
		}
	}
	if (argc - optind != 1) {
		if (argc - optind > 1 && !cli_find(argv[optind]))
			cli_error(EX_USAGE, _("unknown command '%s'"), argv[optind]);
		else if (argc - optind > 1)
			cli_error(EX_USAGE, _("put --by and --facilitator after the file, "
					      "not before a command"));
		cli_usage(stderr);
		return EX_USAGE;
	}
	if (ui.by && !*ui.by)
		ui.by = NULL;
	return ui_run(argv[optind], &ui);
}
