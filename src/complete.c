/*
 * complete.c - the candidates for one word of a command line, for the shell
 * completion scripts (complete.h).
 */
#include "complete.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cli.h"
#include "session.h"
#include "store.h"
#include "strbuf.h"
#include "text.h"
#include "xmalloc.h"

/* Checked against "tamis --help" by tests/cli/completion.sh. */
const char *const complete_commands[] = {
	"new", "add", "move", "list", "show", "restore", "check", "show-conflicts", "sieve", "import",
	"deal", "report", "merge", "compact", "criterion", "grid", NULL,
};

/* "tamis FILE" itself, in the notation of cli.c's usage lines. */
static const char complete_global[] = "[--by NAME] [--facilitator] [--help] [--version] FILE";

#define COMPLETE_MAX 32         /* arguments or options in one usage line */
#define COMPLETE_TEXT_WIDTH 50  /* columns of a card's text in its description */

/* A usage line read: "FILE CARD --grid ID (--cell X,Y | --unplace) [--by NAME]". */
struct complete_spec {
	const char *pos[COMPLETE_MAX]; /* arguments: "FILE", "CARD", "B.yaml..." */
	size_t npos;
	const char *opt[COMPLETE_MAX]; /* options: "--grid", "-o" */
	const char *val[COMPLETE_MAX]; /* the value each takes ("ID"), or NULL */
	size_t nopt;
	char *buf;                     /* the words, owned */
};

/* One word of the usage line without the brackets around it. */
static char *complete_strip(char *w)
{
	size_t n;

	while (*w == '[' || *w == '(')
		w++;
	n = strlen(w);
	while (n && (w[n - 1] == ']' || w[n - 1] == ')'))
		w[--n] = '\0';
	return w;
}

/*
 * Reads usage into spec: a word starting with '-' is an option, which takes
 * the next word as its value unless a bracket closes after the option, or
 * that word is an option itself, a '|' or opens a bracket; every other word
 * is an argument.
 */
static void complete_spec_read(struct complete_spec *spec, const char *usage)
{
	char *words[2 * COMPLETE_MAX], *save = NULL, *w;
	size_t n = 0, i;

	memset(spec, 0, sizeof(*spec));
	spec->buf = xstrdup(usage);
	for (w = strtok_r(spec->buf, " ", &save); w && n < 2 * COMPLETE_MAX;
	     w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	for (i = 0; i < n; i++) {
		size_t len = strlen(words[i]);
		/* "[--force]": a bracket closes after it, so it takes no value. */
		bool closed = len && (words[i][len - 1] == ']' || words[i][len - 1] == ')');
		bool opens = i + 1 < n && (words[i + 1][0] == '[' || words[i + 1][0] == '(');
		char *word = complete_strip(words[i]);

		if (!*word || !strcmp(word, "|"))
			continue;
		if (word[0] != '-') {
			if (spec->npos < COMPLETE_MAX)
				spec->pos[spec->npos++] = word;
			continue;
		}
		if (spec->nopt == COMPLETE_MAX)
			continue;
		spec->opt[spec->nopt] = word;
		spec->val[spec->nopt] = NULL;
		if (i + 1 < n && !opens && !closed) {
			char *next = complete_strip(words[i + 1]);

			if (next[0] != '-' && strcmp(next, "|")) {
				spec->val[spec->nopt] = next;
				i++;
			}
		}
		spec->nopt++;
	}
}

/* The option opt (up to len bytes of it) of spec, or -1. */
static int complete_option(const struct complete_spec *spec, const char *opt, size_t len)
{
	size_t i;

	for (i = 0; i < spec->nopt; i++)
		if (strlen(spec->opt[i]) == len && !strncmp(spec->opt[i], opt, len))
			return (int)i;
	return -1;
}

/* The placeholder of argument k: the last one repeats when it ends with "...". */
static const char *complete_arg(const struct complete_spec *spec, size_t k)
{
	const char *last;

	if (k < spec->npos)
		return spec->pos[k];
	if (!spec->npos)
		return NULL;
	last = spec->pos[spec->npos - 1];
	return strlen(last) > 3 && !strcmp(last + strlen(last) - 3, "...") ? last : NULL;
}

static bool complete_is_file(const char *placeholder)
{
	return placeholder && strcmp(placeholder, "CARD") && strcmp(placeholder, "ID") &&
	       strcmp(placeholder, "TEXT");
}

/* Where the word being completed stands on the line. */
struct complete_line {
	const char *cmd;        /* the command, or NULL for "tamis FILE" */
	struct complete_spec spec;
	const char *board;      /* the board named on the line, or NULL */
	int option;             /* the option whose value is being completed, or -1 */
	const char *arg;        /* else the argument's placeholder, or NULL */
	const char *cur;        /* the word */
};

/* Reads words[first..cword) to find what words[cword] is. */
static void complete_line_read(struct complete_line *l, char **words, int first, int cword)
{
	size_t k = 0;
	int i, o;

	l->board = NULL;
	l->option = -1;
	l->cur = words[cword];
	for (i = first; i < cword; i++) {
		const char *w = words[i], *eq = strchr(w, '=');

		if (w[0] == '-' && w[1]) {
			o = complete_option(&l->spec, w, eq ? (size_t)(eq - w) : strlen(w));
			if (o >= 0 && l->spec.val[o] && !eq && ++i == cword)
				l->option = o;
			continue;
		}
		if (complete_is_file(complete_arg(&l->spec, k)) && !l->board &&
		    (!l->cmd || strcmp(l->cmd, "merge")))
			l->board = w;
		k++;
	}
	l->arg = complete_arg(&l->spec, k);
}

/* Prints prefix + word (and its description) when it begins with cur. */
static void complete_put(FILE *out, const char *cur, const char *prefix, const char *word,
			 const char *desc)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, prefix);
	strbuf_addstr(&sb, word);
	if (!strncmp(sb.buf, cur, strlen(cur))) {
		fputs(sb.buf, out);
		if (desc && *desc) {
			strbuf_reset(&sb);
			text_fit(&sb, desc, COMPLETE_TEXT_WIDTH);
			fprintf(out, "\t%s", sb.buf);
		}
		fputc('\n', out);
	}
	strbuf_release(&sb);
}

enum complete_ids { COMPLETE_CARDS, COMPLETE_GRIDS, COMPLETE_THEMES, COMPLETE_CRITERIA };

/* The ids of one kind of the board at path, as candidates after prefix. */
static void complete_ids(FILE *out, const char *path, enum complete_ids kind, const char *cur,
			 const char *prefix)
{
	struct strbuf desc = STRBUF_INIT;
	struct store_errors err;
	struct session s;
	const struct board *b;
	char id[CARD_SHORT_ID_LEN + 1];
	size_t i;

	if (!path)
		return;
	store_errors_init(&err, path);
	if (session_open(&s, path, SESSION_READ, &err) < 0) {
		store_errors_release(&err);
		return;
	}
	b = s.board;
	for (i = 0; kind == COMPLETE_CARDS && i < b->ncards; i++) {
		card_short_id(b->cards[i], id);
		complete_put(out, cur, prefix, id, b->cards[i]->text);
	}
	for (i = 0; kind == COMPLETE_GRIDS && i < b->ngrids; i++) {
		strbuf_reset(&desc);
		strbuf_addf(&desc, "%s × %s, %d×%d", b->criteria[b->grids[i].x].id,
			    b->criteria[b->grids[i].y].id, b->grids[i].cells, b->grids[i].cells);
		complete_put(out, cur, prefix, b->grids[i].id, desc.buf);
	}
	for (i = 0; kind == COMPLETE_THEMES && i < b->nthemes; i++)
		complete_put(out, cur, prefix, b->themes[i].id, b->themes[i].label);
	for (i = 0; kind == COMPLETE_CRITERIA && i < b->ncriteria; i++) {
		strbuf_reset(&desc);
		strbuf_addf(&desc, "%s / %s", b->criteria[i].low, b->criteria[i].high);
		complete_put(out, cur, prefix, b->criteria[i].id, desc.buf);
	}
	session_close(&s, NULL);
	store_errors_release(&err);
	strbuf_release(&desc);
}

/* The value of option o, the word cur with prefix ("--grid=") before it. */
static void complete_value(FILE *out, const struct complete_line *l, int o, const char *prefix)
{
	const char *opt = l->spec.opt[o], *val = l->spec.val[o];
	struct strbuf sb = STRBUF_INIT;
	const char *comma;
	char *choices, *save = NULL, *c;

	if (!strcmp(opt, "--grid")) {
		complete_ids(out, l->board, COMPLETE_GRIDS, l->cur, prefix);
	} else if (!strcmp(opt, "--theme")) {
		complete_ids(out, l->board, COMPLETE_THEMES, l->cur, prefix);
	} else if (!strcmp(opt, "--axes")) {
		/* X,Y: the second criterion after the comma. */
		const char *first = l->cur + strlen(prefix);

		strbuf_addstr(&sb, prefix);
		if ((comma = strchr(first, ',')))
			strbuf_add(&sb, first, (size_t)(comma + 1 - first));
		complete_ids(out, l->board, COMPLETE_CRITERIA, l->cur, sb.buf);
	} else if (strchr(val, '|')) {
		choices = xstrdup(val);
		for (c = strtok_r(choices, "|", &save); c; c = strtok_r(NULL, "|", &save))
			complete_put(out, l->cur, prefix, c, NULL);
		free(choices);
	} else if (!strcmp(opt, "-o")) {
		fputs(":files\n", out);
	}
	strbuf_release(&sb);
}

/* The word is an option, or an option's value after '=' ("--grid=au"). */
static void complete_options(FILE *out, const struct complete_line *l)
{
	const char *eq = strchr(l->cur, '=');
	struct strbuf prefix = STRBUF_INIT;
	size_t i, j;
	int o;

	if (eq && (o = complete_option(&l->spec, l->cur, (size_t)(eq - l->cur))) >= 0 &&
	    l->spec.val[o]) {
		strbuf_add(&prefix, l->cur, (size_t)(eq + 1 - l->cur));
		complete_value(out, l, o, prefix.buf);
		strbuf_release(&prefix);
		return;
	}
	for (i = 0; i < l->spec.nopt; i++) {
		/* An option named twice in a usage line ("--cells") is said once. */
		for (j = 0; j < i && strcmp(l->spec.opt[j], l->spec.opt[i]); j++)
			;
		if (j == i)
			complete_put(out, l->cur, "", l->spec.opt[i], NULL);
	}
	if (complete_option(&l->spec, "--help", 6) < 0)
		complete_put(out, l->cur, "", "--help", NULL);
}

/* The word is an argument, whose placeholder is l->arg. */
static void complete_argument(FILE *out, const struct complete_line *l)
{
	const char *cmd = l->cmd ? l->cmd : "";

	if (!l->arg || !strcmp(l->arg, "TEXT"))
		return;
	if (!strcmp(l->arg, "CARD"))
		complete_ids(out, l->board, COMPLETE_CARDS, l->cur, "");
	else if (!strcmp(l->arg, "ID") && !strcmp(cmd, "grid"))
		complete_ids(out, l->board, COMPLETE_GRIDS, l->cur, "");
	else if (!strcmp(l->arg, "ID") && !strcmp(cmd, "criterion"))
		complete_ids(out, l->board, COMPLETE_CRITERIA, l->cur, "");
	else if (complete_is_file(l->arg))
		fputs(":files\n", out);
}

int complete_run(int argc, char **argv, FILE *out)
{
	const struct cli_command *cmd = NULL;
	struct complete_line l;
	char *end;
	long cword;
	size_t i;

	if (argc < 3)
		return 0;
	cword = strtol(argv[1], &end, 10);
	if (*end || cword < 0 || cword >= argc - 2)
		return 0;
	argv += 2;
	if (cword > 0)
		cmd = cli_find(argv[0]);
	l.cmd = cmd ? cmd->name : NULL;
	complete_spec_read(&l.spec, cmd ? cmd->args : complete_global);
	complete_line_read(&l, argv, cmd ? 1 : 0, (int)cword);
	if (l.option >= 0) {
		complete_value(out, &l, l.option, "");
	} else if (l.cur[0] == '-') {
		complete_options(out, &l);
	} else if (!cmd && cword == 0) {
		for (i = 0; complete_commands[i]; i++)
			complete_put(out, l.cur, "", complete_commands[i], NULL);
		fputs(":files\n", out);
	} else {
		complete_argument(out, &l);
	}
	free(l.spec.buf);
	return 0;
}
