/*
 * report.c - the workshop's deliverable in Markdown or CSV.
 *
 * Both formats walk the board once in sieve order, with each card's list and
 * last decision worked out first (struct report), so the lists, the grids and
 * the CSV rows agree.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sign.h"
#include "text.h"
#include "timeutil.h"
#include "xmalloc.h"

static const char *const report_list_names[REPORT_LIST_COUNT] = {
	"v1", "v1-candidate", "v2", "elsewhere", "debated", "unplaced", "undecided",
};

static void report_cell(struct strbuf *out, struct cell c)
{
	if (c.x)
		strbuf_addf(out, "%d,%d", c.x, c.y);
	else
		strbuf_addstr(out, _("tray"));
}

void report_move(struct strbuf *out, struct cell from, struct cell to)
{
	report_cell(out, from);
	strbuf_addstr(out, " → ");
	report_cell(out, to);
}

int report_format_parse(const char *name)
{
	if (!strcmp(name, "md") || !strcmp(name, "markdown"))
		return REPORT_MARKDOWN;
	if (!strcmp(name, "csv"))
		return REPORT_CSV;
	return -1;
}

const char *report_format_ext(enum report_format fmt)
{
	return fmt == REPORT_CSV ? "csv" : "md";
}

const char *report_list_name(enum report_list list)
{
	return (unsigned)list < REPORT_LIST_COUNT ? report_list_names[list] : "undecided";
}

int report_card_hits(const struct board *b, const struct card *card)
{
	size_t g;
	int hits = 0;

	for (g = 0; g < b->ngrids; g++)
		if (card_in_easy_zone(b, card, g))
			hits++;
	return hits;
}

static bool report_card_placed(const struct board *b, const struct card *card)
{
	size_t g;

	for (g = 0; g < b->ngrids; g++)
		if (card_is_placed(card, g))
			return true;
	return false;
}

enum report_list report_card_list(const struct board *b, const struct card *card)
{
	switch (card->decision) {
	case DECISION_V1:
		return REPORT_LIST_V1;
	case DECISION_V2:
		return REPORT_LIST_V2;
	case DECISION_ELSEWHERE:
		return REPORT_LIST_ELSEWHERE;
	default:
		break;
	}
	if (card_is_debated(b, card))
		return REPORT_LIST_DEBATED;
	if ((size_t)report_card_hits(b, card) * 2 > b->ngrids)
		return REPORT_LIST_CANDIDATE;
	if (!report_card_placed(b, card))
		return REPORT_LIST_UNPLACED;
	return REPORT_LIST_UNDECIDED;
}

/* --- The cards in order, with what both formats need ------------------------ */

struct report {
	const struct board *b;
	struct sieve_entry *rank;            /* every card, in sieve order */
	enum report_list *list;              /* per rank entry */
	const struct decision_entry **last;  /* per rank entry: last decision, or NULL */
	enum sign_status *signed_log;        /* per decision log entry (sign.h) */
	struct strbuf *why_log;              /* per decision log entry: why unverified */
	enum sign_status *signed_card;       /* per rank entry: its decision's status */
	bool signatures;                     /* the log says whether each entry verifies */
	struct strbuf flat, safe;            /* scratch for report_md_text() */
};

static int report_decision_cmp(const void *a, const void *c)
{
	const struct decision_entry *const *x = a, *const *y = c;
	int r = memcmp((*x)->card, (*y)->card, sizeof(uuid_t));

	if (r)
		return r;
	return *x < *y ? -1 : *x > *y; /* log order: entries live in one array */
}

/* Finds each card's last entry in the decision log. */
static void report_last_decisions(struct report *r)
{
	const struct board *b = r->b;
	const struct decision_entry **log = xcalloc(b->ndecisions + 1, sizeof(*log));
	size_t i, lo, hi, mid;

	for (i = 0; i < b->ndecisions; i++)
		log[i] = &b->decisions[i];
	qsort(log, b->ndecisions, sizeof(*log), report_decision_cmp);
	for (i = 0; i < b->ncards; i++) {
		const unsigned char *id = r->rank[i].card->id;

		/* The first entry past every entry for this card. */
		lo = 0;
		hi = b->ndecisions;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (memcmp(log[mid]->card, id, sizeof(uuid_t)) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && !memcmp(log[lo - 1]->card, id, sizeof(uuid_t)))
			r->last[i] = log[lo - 1];
	}
	free(log);
}

/*
 * Whether each decision verifies (sign.h): every entry of the log once,
 * then each card's decision from its last entry.
 */
static void report_signatures(struct report *r)
{
	const struct board *b = r->b;
	size_t i, k;

	r->signed_log = xcalloc(b->ndecisions + 1, sizeof(*r->signed_log));
	r->why_log = xcalloc(b->ndecisions + 1, sizeof(*r->why_log));
	r->signed_card = xcalloc(b->ncards + 1, sizeof(*r->signed_card));
	r->signatures = b->nkeys > 0;
	for (i = 0; i < b->ndecisions; i++) {
		strbuf_init(&r->why_log[i], 0);
		r->signed_log[i] = sign_decision_status(b, &b->decisions[i], &r->why_log[i]);
		if (b->decisions[i].sig)
			r->signatures = true;
	}
	for (i = 0; i < b->ncards; i++) {
		const struct decision_entry *d = r->last[i];

		k = d ? (size_t)(d - b->decisions) : 0;
		r->signed_card[i] = sign_card_entry_status(b, r->rank[i].card, d,
							   d ? r->signed_log[k] : SIGN_UNSIGNED,
							   NULL);
	}
}

static void report_init(struct report *r, const struct board *b)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->b = b;
	r->rank = board_sieve(b);
	r->list = xcalloc(b->ncards + 1, sizeof(*r->list));
	r->last = xcalloc(b->ncards + 1, sizeof(*r->last));
	for (i = 0; i < b->ncards; i++)
		r->list[i] = report_card_list(b, r->rank[i].card);
	report_last_decisions(r);
	report_signatures(r);
	strbuf_init(&r->flat, 0);
	strbuf_init(&r->safe, 0);
}

static void report_release(struct report *r)
{
	size_t i;

	for (i = 0; i < r->b->ndecisions; i++)
		strbuf_release(&r->why_log[i]);
	free(r->why_log);
	free(r->signed_log);
	free(r->signed_card);
	free(r->rank);
	free(r->list);
	free(r->last);
	strbuf_release(&r->flat);
	strbuf_release(&r->safe);
}

static const char *report_decision_label(enum decision d)
{
	switch (d) {
	case DECISION_V1: return _("V1");
	case DECISION_V2: return _("V2");
	case DECISION_ELSEWHERE: return _("elsewhere");
	default: return _("undecided");
	}
}

/* --- Markdown ----------------------------------------------------------------- */

/* Appends s on one line: line breaks and tabs become spaces; trimmed. */
static void report_flatten(struct strbuf *out, const char *s)
{
	size_t len = strlen(s), i = 0, n, start = out->len;
	uint32_t cp;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			strbuf_addch(out, s[i++]); /* text_sanitize() shows it as \xNN */
			continue;
		}
		if (cp == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		}
		if (cp == '\n' || cp == '\r' || cp == '\t' || cp == '\v' || cp == '\f' ||
		    cp == 0x85 || cp == 0x2028 || cp == 0x2029)
			strbuf_addch(out, ' ');
		else
			strbuf_add(out, s + i, n);
		i += n;
	}
	while (out->len > start && out->buf[out->len - 1] == ' ')
		strbuf_setlen(out, out->len - 1);
}

/*
 * Appends s with Markdown punctuation escaped. With block, s starts a block
 * (a paragraph or a list item's content), where a leading - + = : or the
 * '.' or ')' after leading digits would start a list, a heading underline or
 * a definition.
 */
static void report_md_escape(struct strbuf *out, const char *s, bool block)
{
	static const char always[] = "\\`*_{}[]<>#|~&$^@";
	size_t i = 0, d = 0;

	if (block) {
		while (s[d] >= '0' && s[d] <= '9')
			d++;
		if (d && (s[d] == '.' || s[d] == ')')) {
			strbuf_add(out, s, d);
			strbuf_addch(out, '\\');
			strbuf_addch(out, s[d]);
			i = d + 1;
		} else if (s[0] && strchr("-+=:", s[0])) {
			strbuf_addch(out, '\\');
			strbuf_addch(out, s[0]);
			i = 1;
		}
	}
	for (; s[i]; i++) {
		if (strchr(always, s[i]))
			strbuf_addch(out, '\\');
		strbuf_addch(out, s[i]);
	}
}

/*
 * Appends text from the board, safe for Markdown: on one line, sanitized,
 * escaped, and cut to width columns when width > 0.
 */
static void report_md_text(struct report *r, struct strbuf *out, const char *s, bool block,
			   int width)
{
	strbuf_reset(&r->flat);
	report_flatten(&r->flat, s);
	strbuf_reset(&r->safe);
	if (width > 0)
		text_fit(&r->safe, r->flat.buf, width);
	else
		text_sanitize(&r->safe, r->flat.buf);
	report_md_escape(out, r->safe.buf, block);
}

static void report_md_none(struct strbuf *out)
{
	strbuf_addf(out, "_%s_\n\n", _("None."));
}

static void report_md_heading(struct strbuf *out, const char *title, size_t count)
{
	strbuf_addf(out, "## %s (%zu)\n\n", title, count);
}

static void report_md_description(struct report *r, struct strbuf *out, const char *s)
{
	struct strbuf para = STRBUF_INIT;
	const char *line = s;

	/* Paragraphs are separated by blank lines; each is written on one line. */
	for (;;) {
		size_t n = strcspn(line, "\n"), k;
		bool blank = true;

		for (k = 0; k < n; k++)
			if (line[k] != ' ' && line[k] != '\t' && line[k] != '\r')
				blank = false;
		if (!blank) {
			if (para.len)
				strbuf_addch(&para, ' ');
			strbuf_add(&para, line, n);
		}
		if ((blank || !line[n]) && para.len) {
			report_md_text(r, out, para.buf, true, 0);
			strbuf_addstr(out, "\n\n");
			strbuf_reset(&para);
		}
		if (!line[n])
			break;
		line += n + 1;
	}
	strbuf_release(&para);
}

/* A colon after a label, as the language writes it (French: " : "). */
static void report_colon(struct strbuf *out)
{
	/* TRANSLATORS: the colon after a label in the report; French puts a space before it. */
	strbuf_addstr(out, _(": "));
}

static void report_md_criteria(struct report *r, struct strbuf *out)
{
	const struct board *b = r->b;
	size_t i;

	strbuf_addf(out, "## %s\n\n", _("Criteria"));
	if (!b->ncriteria) {
		report_md_none(out);
		return;
	}
	strbuf_addf(out, "| %s | %s | %s | %s |\n| --- | --- | --- | --- |\n", _("Criterion"),
		    _("Low pole"), _("High pole"), _("Easier to launch"));
	for (i = 0; i < b->ncriteria; i++) {
		const struct criterion *c = &b->criteria[i];

		strbuf_addstr(out, "| ");
		report_md_text(r, out, c->id, false, 0);
		strbuf_addstr(out, " | ");
		report_md_text(r, out, c->low, false, 0);
		strbuf_addstr(out, " | ");
		report_md_text(r, out, c->high, false, 0);
		strbuf_addf(out, " | %s", c->easy == POLE_LOW ? _("low") : _("high"));
		report_colon(out);
		report_md_text(r, out, c->easy == POLE_LOW ? c->low : c->high, false, 0);
		strbuf_addstr(out, " |\n");
	}
	strbuf_addch(out, '\n');
}

/* Appends ", " between marks, or " (" before the first one. */
static void report_mark_sep(struct strbuf *out, bool *first)
{
	strbuf_addstr(out, *first ? " (" : ", ");
	*first = false;
}

/* A card as it appears in a grid cell: cut text and marks. */
static void report_md_cell_card(struct report *r, struct strbuf *out, const struct card *card,
				bool debated)
{
	bool first = true;

	report_md_text(r, out, card->text, false, REPORT_CELL_WIDTH);
	if (card->decision != DECISION_UNDECIDED) {
		report_mark_sep(out, &first);
		strbuf_addstr(out, report_decision_label(card->decision));
	}
	if (debated) {
		report_mark_sep(out, &first);
		strbuf_addstr(out, _("debated"));
	}
	if (card->locked) {
		report_mark_sep(out, &first);
		strbuf_addstr(out, _("locked"));
	}
	if (!first)
		strbuf_addch(out, ')');
}

/* The header of column x or row y: its number, and its pole at either end. */
static void report_md_axis_cell(struct report *r, struct strbuf *out, const struct criterion *c,
				int v, int n)
{
	strbuf_addf(out, "%d", v);
	if (v == 1 || v == n) {
		report_colon(out);
		report_md_text(r, out, v == 1 ? c->low : c->high, false, 0);
	}
}

/* The grid's heading: its axes with their poles, and what ★ marks. */
static void report_md_grid_head(struct report *r, struct strbuf *out, const struct grid *grid)
{
	const struct criterion *cx = &r->b->criteria[grid->x], *cy = &r->b->criteria[grid->y];

	strbuf_addstr(out, "### ");
	report_md_text(r, out, grid->id, false, 0);
	strbuf_addstr(out, "\n\n");
	strbuf_addf(out, "%s ", _("Across:"));
	report_md_text(r, out, cx->id, false, 0);
	strbuf_addstr(out, " (");
	report_md_text(r, out, cx->low, false, 0);
	strbuf_addstr(out, " → ");
	report_md_text(r, out, cx->high, false, 0);
	strbuf_addf(out, "). %s ", _("Up:"));
	report_md_text(r, out, cy->id, false, 0);
	strbuf_addstr(out, " (");
	report_md_text(r, out, cy->low, false, 0);
	strbuf_addstr(out, " → ");
	report_md_text(r, out, cy->high, false, 0);
	strbuf_addf(out, "). ★ %s\n\n",
		    grid_has_easy_zone(grid)
			    ? _("marks the easiest-to-launch zone, as drawn by the facilitator.")
			    : _("marks the easiest-to-launch zone (the easy half of both "
				"criteria)."));
}

/* One cell of the grid's table: ★, its zone, its cards in the sieve's order. */
static void report_md_grid_cell(struct report *r, struct strbuf *out, size_t g, int x, int y)
{
	const struct board *b = r->b;
	const struct grid *grid = &b->grids[g];
	int zone = grid_zone_at(grid, x, y);
	bool sep = false;
	size_t i;

	strbuf_addch(out, ' ');
	if (grid_cell_is_easy(b, grid, x, y)) {
		strbuf_addstr(out, "★");
		sep = true;
	}
	if (zone >= 0) {
		strbuf_addstr(out, sep ? " _" : "_");
		report_md_text(r, out, grid->zones[zone].name, false, 0);
		strbuf_addch(out, '_');
		sep = true;
	}
	for (i = 0; i < b->ncards; i++) {
		const struct card *card = r->rank[i].card;

		if (card->place[g].x != x || card->place[g].y != y)
			continue;
		if (sep)
			strbuf_addstr(out, "<br>");
		report_md_cell_card(r, out, card, card_is_debated(b, card));
		sep = true;
	}
	strbuf_addstr(out, " |");
}

/* The facilitator's zones of a grid, with their cells. */
static void report_md_grid_zones(struct report *r, struct strbuf *out, const struct grid *grid)
{
	int n = grid->cells, x, y;
	size_t z;
	bool any;

	if (!grid->nzones)
		return;
	strbuf_addf(out, "%s ", _("Facilitator zones:"));
	for (z = 0; z < grid->nzones; z++) {
		const struct zone *zn = &grid->zones[z];

		if (z)
			strbuf_addstr(out, "; ");
		strbuf_addch(out, '_');
		report_md_text(r, out, zn->name, false, 0);
		strbuf_addf(out, "_ (%s", hue_name(zn->color));
		if (zn->easy)
			strbuf_addf(out, ", %s", _("easiest to launch"));
		strbuf_addch(out, ':');
		any = false;
		for (y = 1; y <= n; y++)
			for (x = 1; x <= n; x++)
				if (zone_has_cell(zn, x, y)) {
					strbuf_addf(out, " %d,%d", x, y);
					any = true;
				}
		if (!any)
			strbuf_addf(out, " %s", _("no cell"));
		strbuf_addch(out, ')');
	}
	strbuf_addstr(out, ".\n\n");
}

static void report_md_grid(struct report *r, struct strbuf *out, size_t g)
{
	const struct board *b = r->b;
	const struct grid *grid = &b->grids[g];
	const struct criterion *cx = &b->criteria[grid->x], *cy = &b->criteria[grid->y];
	int n = grid->cells, x, y;
	size_t i, unplaced = 0;

	report_md_grid_head(r, out, grid);
	strbuf_addstr(out, "|  |");
	for (x = 1; x <= n; x++) {
		strbuf_addch(out, ' ');
		report_md_axis_cell(r, out, cx, x, n);
		strbuf_addstr(out, " |");
	}
	strbuf_addstr(out, "\n| --- |");
	for (x = 1; x <= n; x++)
		strbuf_addstr(out, " --- |");
	strbuf_addch(out, '\n');
	for (y = n; y >= 1; y--) {
		strbuf_addstr(out, "| ");
		report_md_axis_cell(r, out, cy, y, n);
		strbuf_addstr(out, " |");
		for (x = 1; x <= n; x++)
			report_md_grid_cell(r, out, g, x, y);
		strbuf_addch(out, '\n');
	}
	strbuf_addch(out, '\n');
	report_md_grid_zones(r, out, grid);
	for (i = 0; i < b->ncards; i++)
		if (!card_is_placed(b->cards[i], g))
			unplaced++;
	strbuf_addf(out, ngettext("Not placed on this grid: %zu card.",
				  "Not placed on this grid: %zu cards.", unplaced),
		    unplaced);
	strbuf_addstr(out, "\n\n");
}

static void report_md_grids(struct report *r, struct strbuf *out)
{
	size_t g;

	strbuf_addf(out, "## %s\n\n", _("Grids"));
	if (!r->b->ngrids)
		report_md_none(out);
	for (g = 0; g < r->b->ngrids; g++)
		report_md_grid(r, out, g);
}

static void report_short_uuid(const uuid_t id, char out[CARD_SHORT_ID_LEN + 1])
{
	char full[CARD_UUID_LEN + 1];

	uuid_unparse_lower(id, full);
	memcpy(out, full, CARD_SHORT_ID_LEN);
	out[CARD_SHORT_ID_LEN] = '\0';
}

/* The signature cell of entry i of the decision log. */
static void report_md_signature(struct report *r, struct strbuf *out, size_t i)
{
	const struct decision_entry *d = &r->b->decisions[i];
	char fp[SIGN_FINGERPRINT_LEN + 1];

	strbuf_addch(out, ' ');
	switch (r->signed_log[i]) {
	case SIGN_VERIFIED:
		sign_fingerprint(d->key, fp);
		strbuf_addf(out, _("verified (key %s)"), fp);
		break;
	case SIGN_UNVERIFIED:
		strbuf_addf(out, "**%s**", _("unverified"));
		report_colon(out);
		report_md_text(r, out, r->why_log[i].buf, false, 0);
		break;
	default:
		strbuf_addstr(out, sign_status_name(SIGN_UNSIGNED));
		break;
	}
	strbuf_addstr(out, " |");
}

/* The facilitators' public keys the decisions verify with. */
static void report_md_keys(struct report *r, struct strbuf *out)
{
	const struct board *b = r->b;
	char fp[SIGN_FINGERPRINT_LEN + 1], when[ISO8601_LEN + 1];
	size_t i;

	if (!b->nkeys)
		return;
	report_md_heading(out, _("Facilitator keys"), b->nkeys);
	strbuf_addf(out, "%s\n\n", _("Decisions verify with these keys. Whoever can write the "
				      "board can add one: check that each is expected."));
	strbuf_addf(out, "| %s | %s | %s |\n| --- | --- | --- |\n", _("Name"), _("Key"),
		    _("Added"));
	for (i = 0; i < b->nkeys; i++) {
		strbuf_addstr(out, "| ");
		report_md_text(r, out, b->keys[i].name, false, 0);
		sign_fingerprint(b->keys[i].key, fp);
		strbuf_addf(out, " | `%s` | ", fp);
		if (b->keys[i].added) {
			iso8601_format(b->keys[i].added, when);
			strbuf_addstr(out, when);
		} else {
			strbuf_addstr(out, "—");
		}
		strbuf_addstr(out, " |\n");
	}
	strbuf_addch(out, '\n');
}

static void report_md_log(struct report *r, struct strbuf *out)
{
	const struct board *b = r->b;
	size_t i;

	strbuf_addf(out, "## %s (%zu)\n\n", _("Decision log"), b->ndecisions);
	if (!b->ndecisions) {
		report_md_none(out);
		return;
	}
	if (!b->nkeys)
		strbuf_addf(out, "_%s_\n\n", _("No facilitator key is listed on this board: its "
					       "decisions are not signed."));
	strbuf_addf(out, "| %s | %s | %s | %s | %s |", _("When"), _("Who"), _("Card"),
		    _("Decision"), _("Rationale"));
	if (r->signatures)
		strbuf_addf(out, " %s |", _("Signature"));
	strbuf_addstr(out, r->signatures ? "\n| --- | --- | --- | --- | --- | --- |\n"
					 : "\n| --- | --- | --- | --- | --- |\n");
	for (i = 0; i < b->ndecisions; i++) {
		const struct decision_entry *d = &b->decisions[i];
		char when[ISO8601_LEN + 1], id[CARD_SHORT_ID_LEN + 1];

		iso8601_format(d->at, when);
		report_short_uuid(d->card, id);
		strbuf_addf(out, "| %s | ", when);
		if (d->by)
			report_md_text(r, out, d->by, false, 0);
		else
			strbuf_addstr(out, "—");
		strbuf_addf(out, " | `%s` ", id);
		report_md_text(r, out, d->text ? d->text : "", false, 40);
		strbuf_addf(out, " | %s → %s | ", report_decision_label(d->from),
			    report_decision_label(d->to));
		if (d->rationale)
			report_md_text(r, out, d->rationale, false, 0);
		strbuf_addstr(out, " |");
		if (r->signatures)
			report_md_signature(r, out, i);
		strbuf_addch(out, '\n');
	}
	strbuf_addch(out, '\n');
	report_md_keys(r, out);
}

/* The moves of a card, for the debated list. */
static void report_md_moves(struct report *r, struct strbuf *out, const struct card *card)
{
	size_t i;

	for (i = 0; i < card->nhistory; i++) {
		const struct card_event *e = &card->history[i];
		char when[ISO8601_LEN + 1];

		if (e->kind != EVENT_MOVED || e->grid >= r->b->ngrids)
			continue;
		iso8601_format(e->at, when);
		strbuf_addf(out, "  - %s, ", when);
		if (e->by)
			report_md_text(r, out, e->by, false, 0);
		else
			strbuf_addstr(out, _("someone"));
		report_colon(out);
		report_md_text(r, out, r->b->grids[e->grid].id, false, 0);
		strbuf_addch(out, ' ');
		report_move(out, e->from, e->to);
		strbuf_addch(out, '\n');
	}
}

/* One card of a list: text (theme) · `id` · marks, then its note and rationale. */
static void report_md_item(struct report *r, struct strbuf *out, size_t i, bool theme)
{
	const struct board *b = r->b;
	const struct card *card = r->rank[i].card;
	const struct decision_entry *d = r->last[i];
	char id[CARD_SHORT_ID_LEN + 1];

	strbuf_addstr(out, "- ");
	report_md_text(r, out, card->text, true, 0);
	if (theme) {
		strbuf_addstr(out, " (");
		report_md_text(r, out, b->themes[card->theme].label, false, 0);
		strbuf_addch(out, ')');
	}
	card_short_id(card, id);
	strbuf_addf(out, " · `%s`", id);
	if (r->list[i] == REPORT_LIST_CANDIDATE)
		strbuf_addf(out, " · **%s** (%s %d/%zu)", _("candidate"),
			    _("easiest-to-launch zone on"), r->rank[i].hits, b->ngrids);
	if (r->list[i] != REPORT_LIST_DEBATED && card_is_debated(b, card))
		strbuf_addf(out, " · %s", _("debated"));
	if (card->locked)
		strbuf_addf(out, " · %s", _("locked"));
	if (r->signed_card[i] == SIGN_UNVERIFIED)
		strbuf_addf(out, " · **%s**", _("unverified decision"));
	strbuf_addch(out, '\n');
	if (card->note) {
		strbuf_addf(out, "  - %s ", _("Note:"));
		report_md_text(r, out, card->note, false, 0);
		strbuf_addch(out, '\n');
	}
	if (card->decision != DECISION_UNDECIDED && d && d->rationale) {
		char when[ISO8601_LEN + 1];

		iso8601_format(d->at, when);
		strbuf_addf(out, "  - %s ", _("Rationale:"));
		report_md_text(r, out, d->rationale, false, 0);
		strbuf_addf(out, " (%s, ", when);
		if (d->by)
			report_md_text(r, out, d->by, false, 0);
		else
			strbuf_addstr(out, _("someone"));
		strbuf_addstr(out, ")\n");
	}
	if (r->list[i] == REPORT_LIST_DEBATED)
		report_md_moves(r, out, card);
}

static size_t report_count(const struct report *r, enum report_list a, enum report_list z)
{
	size_t i, n = 0;

	for (i = 0; i < r->b->ncards; i++)
		if (r->list[i] == a || r->list[i] == z)
			n++;
	return n;
}

/* A list of the cards in lists a and z (a first), with its heading and intro. */
static void report_md_list(struct report *r, struct strbuf *out, const char *title,
			   const char *intro, enum report_list a, enum report_list z)
{
	size_t i, n = report_count(r, a, z);

	report_md_heading(out, title, n);
	strbuf_addf(out, "%s\n\n", intro);
	if (!n) {
		report_md_none(out);
		return;
	}
	for (i = 0; i < r->b->ncards; i++)
		if (r->list[i] == a)
			report_md_item(r, out, i, true);
	if (z != a)
		for (i = 0; i < r->b->ncards; i++)
			if (r->list[i] == z)
				report_md_item(r, out, i, true);
	strbuf_addch(out, '\n');
}

static void report_md_v2(struct report *r, struct strbuf *out)
{
	const struct board *b = r->b;
	size_t t, i, n = report_count(r, REPORT_LIST_V2, REPORT_LIST_V2);

	report_md_heading(out, _("V2 recommendations notebook"), n);
	strbuf_addf(out, "%s\n\n", _("Decided V2: to recommend for later, by theme."));
	if (!n) {
		report_md_none(out);
		return;
	}
	for (t = 0; t < b->nthemes; t++) {
		size_t k = 0;

		for (i = 0; i < b->ncards; i++)
			if (r->list[i] == REPORT_LIST_V2 && r->rank[i].card->theme == t)
				k++;
		if (!k)
			continue;
		strbuf_addstr(out, "### ");
		report_md_text(r, out, b->themes[t].label, false, 0);
		strbuf_addf(out, " (%zu)\n\n", k);
		for (i = 0; i < b->ncards; i++)
			if (r->list[i] == REPORT_LIST_V2 && r->rank[i].card->theme == t)
				report_md_item(r, out, i, false);
		strbuf_addch(out, '\n');
	}
}

static void report_md(struct report *r, time_t now, struct strbuf *out)
{
	const struct board *b = r->b;
	char date[ISO8601_LEN + 1];

	iso8601_format(now, date);
	date[10] = '\0';
	strbuf_addstr(out, "# ");
	report_md_text(r, out, b->title, false, 0);
	strbuf_addstr(out, "\n\n");
	strbuf_addf(out, _("Workshop report of %s."), date);
	strbuf_addstr(out, "\n\n");
	if (b->description)
		report_md_description(r, out, b->description);
	report_md_criteria(r, out);
	report_md_grids(r, out);
	report_md_log(r, out);
	report_md_list(r, out, _("V1 list"),
		       _("Decided V1, then the candidates: undecided, undebated cards in the "
			 "easiest-to-launch zone of most grids, best ranked by the sieve first."),
		       REPORT_LIST_V1, REPORT_LIST_CANDIDATE);
	report_md_v2(r, out);
	report_md_list(r, out, _("Elsewhere"), _("Decided elsewhere: for other actors."),
		       REPORT_LIST_ELSEWHERE, REPORT_LIST_ELSEWHERE);
	report_md_list(r, out, _("Debated cards"),
		       _("Undecided cards whose placement was disputed, with their moves."),
		       REPORT_LIST_DEBATED, REPORT_LIST_DEBATED);
	report_md_list(r, out, _("Unplaced cards"), _("Undecided cards placed on no grid."),
		       REPORT_LIST_UNPLACED, REPORT_LIST_UNPLACED);
	report_md_list(r, out, _("Still to decide"), _("Every other undecided card."),
		       REPORT_LIST_UNDECIDED, REPORT_LIST_UNDECIDED);
	/* One trailing newline, not a blank line, at the end of the file. */
	while (out->len >= 2 && out->buf[out->len - 1] == '\n' && out->buf[out->len - 2] == '\n')
		strbuf_setlen(out, out->len - 1);
}

/* --- CSV ---------------------------------------------------------------------- */

/*
 * Appends one field, quoted when it holds a comma, a quote, CR or LF; a free
 * text starting with = + - @ TAB or CR gets a leading "'" (CSV injection).
 */
static void report_csv_field(struct strbuf *out, const char *s, bool free_text)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	strbuf_addch(out, ',');
	if (quote)
		strbuf_addch(out, '"');
	if (free_text && s[0] && strchr("=+-@\t\r", s[0]))
		strbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	if (quote)
		strbuf_addch(out, '"');
}

/* The signature column: the card's decision verified, unverified, unsigned, or "". */
static const char *report_csv_signature(const struct report *r, size_t i)
{
	switch (r->signed_card[i]) {
	case SIGN_VERIFIED: return "verified";
	case SIGN_UNVERIFIED: return "unverified";
	default: return r->last[i] ? "unsigned" : "";
	}
}

static void report_csv(struct report *r, struct strbuf *out)
{
	const struct board *b = r->b;
	struct strbuf cell = STRBUF_INIT;
	size_t i, g;

	strbuf_addstr(out, "id,short_id,text,theme,theme_label,by,created,decision,locked,"
			   "debated,pair,note,list,rank,hits");
	for (g = 0; g < b->ngrids; g++) {
		strbuf_reset(&cell);
		strbuf_addf(&cell, "grid:%s", b->grids[g].id);
		report_csv_field(out, cell.buf, false);
	}
	strbuf_addstr(out, ",rationale,signature\r\n");
	for (i = 0; i < b->ncards; i++) {
		const struct card *card = r->rank[i].card;
		const struct theme *theme = &b->themes[card->theme];
		char id[CARD_UUID_LEN + 1], when[ISO8601_LEN + 1];

		card_uuid(card, id);
		strbuf_addstr(out, id);
		id[CARD_SHORT_ID_LEN] = '\0';
		report_csv_field(out, id, false);
		report_csv_field(out, card->text, true);
		report_csv_field(out, theme->id, false);
		report_csv_field(out, theme->label, true);
		report_csv_field(out, card->by ? card->by : "", true);
		if (card->created)
			iso8601_format(card->created, when);
		report_csv_field(out, card->created ? when : "", false);
		report_csv_field(out, decision_name(card->decision), false);
		report_csv_field(out, card->locked ? "true" : "false", false);
		report_csv_field(out, card_is_debated(b, card) ? "true" : "false", false);
		report_csv_field(out, card->pair ? card->pair : "", true);
		report_csv_field(out, card->note ? card->note : "", true);
		report_csv_field(out, report_list_name(r->list[i]), false);
		strbuf_addf(out, ",%zu,%d", i + 1, r->rank[i].hits);
		for (g = 0; g < b->ngrids; g++) {
			strbuf_reset(&cell);
			if (card_is_placed(card, g))
				strbuf_addf(&cell, "%d,%d", card->place[g].x, card->place[g].y);
			report_csv_field(out, cell.buf, false);
		}
		report_csv_field(out, r->last[i] && r->last[i]->rationale ? r->last[i]->rationale : "",
				 true);
		report_csv_field(out, report_csv_signature(r, i), false);
		strbuf_addstr(out, "\r\n");
	}
	strbuf_release(&cell);
}

void report_format(const struct board *b, enum report_format fmt, time_t now,
		   struct strbuf *out)
{
	struct report r;

	report_init(&r, b);
	if (fmt == REPORT_CSV)
		report_csv(&r, out);
	else
		report_md(&r, now, out);
	report_release(&r);
}
