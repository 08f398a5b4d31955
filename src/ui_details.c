/*
 * ui_details.c - the selected card's details (i): its full text, theme,
 * author and date, decision (by whom and why, and whether its signature
 * verifies), pair, marks, note, id, its cell on every grid, its history and
 * a profile across the criteria. The arrows follow other cards, Tab other
 * grids, PgDn / PgUp scroll; any other key closes.
 */
#include <curses.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "report.h"
#include "sign.h"
#include "text.h"
#include "timeutil.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

#define UI_DETAILS_MAX 64 /* lines, at most */
#define UI_DETAILS_WRAP 40

struct ui_details {
	int top;                  /* first line shown */
};

/* The lines of the popup, as they are made. */
struct ui_details_lines {
	struct strbuf line[UI_DETAILS_MAX];
	int n;
};

static void ui_details_add(struct ui_details_lines *o, const char *s)
{
	if (o->n < UI_DETAILS_MAX) {
		strbuf_reset(&o->line[o->n]);
		strbuf_addstr(&o->line[o->n], s);
		o->n++;
	}
}

/* Appends label padded with spaces to w display columns (one space at least). */
static void ui_details_label(struct strbuf *sb, const char *label, int w)
{
	int lw = text_width(label);

	strbuf_addstr(sb, label);
	do
		strbuf_addch(sb, ' ');
	while (++lw < w);
}

/* Adds label and value as one line ("Theme     [M] Mobilité"). */
static void ui_details_field(struct ui_details_lines *o, const char *label, const char *value)
{
	struct strbuf sb = STRBUF_INIT;

	ui_details_label(&sb, label, 10);
	strbuf_addstr(&sb, value);
	ui_details_add(o, sb.buf);
	strbuf_release(&sb);
}

/* Adds s wrapped to w columns, at most max lines, after label (none: "" and w). */
static void ui_details_wrapped(struct ui_details_lines *o, const char *label, const char *s,
			       int w, int max)
{
	struct strbuf wrap[UI_DETAILS_WRAP];
	int i, n;

	for (i = 0; i < UI_DETAILS_WRAP; i++)
		strbuf_init(&wrap[i], 0);
	/* Wrapped lines are already sanitized; labels and values are too, by ui_draw_put(). */
	n = text_wrap(s, w, wrap, max);
	for (i = 0; i < n; i++) {
		if (label)
			ui_details_field(o, i ? "" : label, wrap[i].buf);
		else
			ui_details_add(o, wrap[i].buf);
	}
	for (i = 0; i < UI_DETAILS_WRAP; i++)
		strbuf_release(&wrap[i]);
}

/* The decision, by whom and why, and, once the board lists keys, whether it verifies. */
static void ui_details_decision(struct ui_details_lines *o, const struct board *b,
				const struct card *card)
{
	struct strbuf sb = STRBUF_INIT, why = STRBUF_INIT;
	char fp[SIGN_FINGERPRINT_LEN + 1];
	const struct decision_entry *d;
	enum sign_status st;

	strbuf_addstr(&sb, ui_decision_name(card->decision));
	st = sign_card_decision(b, card, &d, &why);
	if (d && d->by)
		strbuf_addf(&sb, _(" (by %s)"), d->by);
	if (d && d->rationale)
		strbuf_addf(&sb, _(": “%s”"), d->rationale);
	ui_details_field(o, _("Decision"), sb.buf);
	strbuf_reset(&sb);
	/* Once the board lists facilitator keys: whether the decision verifies (sign.h). */
	if (st != SIGN_UNSIGNED) {
		if (st == SIGN_VERIFIED) {
			sign_fingerprint(d->key, fp);
			strbuf_addf(&sb, _("✓ verified, key %s"), fp);
		} else {
			strbuf_addf(&sb, _("✗ UNVERIFIED: %s"), why.buf);
		}
		ui_details_field(o, _("Signature"), sb.buf);
	}
	strbuf_release(&sb);
	strbuf_release(&why);
}

/* "✋ Binôme B is moving it", when someone else carries card. */
static void ui_details_carrier(const struct ui *ui, const struct card *card, struct strbuf *out)
{
	const struct presence_entry *e = ui_presence_carrier(ui, card);
	struct strbuf who = STRBUF_INIT;

	if (!e)
		return;
	ui_presence_who(e, 24, &who);
	strbuf_addf(out, "%s ", UI_MARK_CARRIED);
	strbuf_addf(out, _("%s is moving it"), who.buf);
	strbuf_release(&who);
}

/* The text, then one line per field: theme, author, date, decision, pair, marks, note, id. */
static void ui_details_fields(struct ui *ui, struct ui_details_lines *o, const struct card *card,
			      int w)
{
	const struct board *b = ui->board;
	struct strbuf sb = STRBUF_INIT;
	char iso[ISO8601_LEN + 1], id[CARD_SHORT_ID_LEN + 1];

	ui_details_wrapped(o, NULL, card->text, w, 12);
	ui_details_add(o, "");
	strbuf_addf(&sb, "[%s] %s", ui->badges[card->theme], b->themes[card->theme].label);
	ui_details_field(o, _("Theme"), sb.buf);
	ui_details_field(o, _("By"), card->by ? card->by : "—");
	if (card->created) {
		iso8601_format(card->created, iso);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.10s %.5s", iso, iso + 11);
		ui_details_field(o, _("Created"), sb.buf);
	}
	ui_details_decision(o, b, card);
	if (card->pair)
		ui_details_field(o, _("Pair"), card->pair);
	if (card->locked || card_is_debated(b, card) || ui_presence_carrier(ui, card)) {
		strbuf_reset(&sb);
		if (card->locked)
			strbuf_addf(&sb, "%s %s  ", UI_MARK_LOCKED, _("locked by the facilitator"));
		if (card_is_debated(b, card))
			strbuf_addf(&sb, "%s %s  ", UI_MARK_DEBATED, _("debated"));
		ui_details_carrier(ui, card, &sb);
		ui_details_field(o, _("Marks"), sb.buf);
	}
	if (card->note)
		ui_details_wrapped(o, _("Note"), card->note, w > 12 ? w - 10 : w, 6);
	card_short_id(card, id);
	ui_details_field(o, _("Id"), id);
	strbuf_release(&sb);
}

/* One history event as a line: "06-28 10:15  Binôme 3  moved on 1: tray → 2,2". */
static void ui_details_history_line(const struct card_event *e, struct strbuf *out)
{
	char iso[ISO8601_LEN + 1];

	iso8601_format(e->at, iso);
	strbuf_addf(out, "  %.5s %.5s  %s  ", iso + 5, iso + 11, e->by ? e->by : "—");
	switch (e->kind) {
	case EVENT_CREATED: strbuf_addstr(out, _("created it")); break;
	case EVENT_MOVED:
		strbuf_addf(out, _("moved it on grid %zu: "), e->grid + 1);
		report_move(out, e->from, e->to);
		break;
	case EVENT_EDITED: strbuf_addstr(out, _("edited its text")); break;
	case EVENT_THEMED: strbuf_addstr(out, _("changed its theme")); break;
	case EVENT_NOTED: strbuf_addstr(out, _("changed its note")); break;
	case EVENT_DECIDED:
		strbuf_addf(out, _("decided: %s → %s"), ui_decision_name(e->dfrom),
			    ui_decision_name(e->dto));
		break;
	case EVENT_LOCKED: strbuf_addstr(out, _("locked it")); break;
	case EVENT_UNLOCKED: strbuf_addstr(out, _("unlocked it")); break;
	default: break;
	}
}

/* Its cell on every grid, then its history (the last 12 events). */
static void ui_details_places(struct ui *ui, struct ui_details_lines *o, const struct card *card)
{
	const struct board *b = ui->board;
	struct strbuf sb = STRBUF_INIT, label = STRBUF_INIT;
	struct card_version versions[CARD_VERSIONS_MAX];
	size_t g, h, first = card->nhistory > 12 ? card->nhistory - 12 : 0;
	size_t nv = card_versions(card, versions);

	ui_details_add(o, "");
	ui_details_add(o, _("On every grid:"));
	for (g = 0; g < b->ngrids; g++) {
		strbuf_reset(&label);
		ui_tab_label(ui, g, &label);
		strbuf_reset(&sb);
		strbuf_addstr(&sb, g == ui->grid ? "▶ " : "  ");
		ui_details_label(&sb, label.buf, 29);
		if (card_is_placed(card, g))
			strbuf_addf(&sb, _("cell %d,%d%s"), card->place[g].x, card->place[g].y,
				    card_in_easy_zone(b, card, g) ? _("  ★ easiest to launch") : "");
		else
			strbuf_addstr(&sb, _("in the tray"));
		ui_details_add(o, sb.buf);
	}
	if (nv > 1) {
		ui_details_add(o, "");
		strbuf_reset(&sb);
		strbuf_addf(&sb, ngettext("%zu version of its text (r lists them)",
					  "%zu versions of its text (r lists them)", nv),
			    nv);
		ui_details_add(o, sb.buf);
	}
	if (card->nhistory) {
		ui_details_add(o, "");
		strbuf_reset(&sb);
		if (first)
			strbuf_addf(&sb, _("History (the last 12 of %zu):"), card->nhistory);
		else
			strbuf_addstr(&sb, _("History:"));
		ui_details_add(o, sb.buf);
		for (h = first; h < card->nhistory; h++) {
			strbuf_reset(&sb);
			ui_details_history_line(&card->history[h], &sb);
			ui_details_add(o, sb.buf);
		}
	}
	strbuf_release(&sb);
	strbuf_release(&label);
}

/* Where the card stands on each criterion: "low★ ○●○ high". */
static void ui_details_profile(struct ui *ui, struct ui_details_lines *o, const struct card *card)
{
	const struct board *b = ui->board;
	struct strbuf sb = STRBUF_INIT;
	size_t c, g;

	ui_details_add(o, "");
	ui_details_add(o, _("Profile across the criteria (● where the card stands):"));
	for (c = 0; c < b->ncriteria; c++) {
		const struct criterion *cr = &b->criteria[c];
		int pos = 0, cells = 0, k;

		for (g = 0; g < b->ngrids && !cells; g++) {
			if (!card_is_placed(card, g))
				continue;
			if (b->grids[g].x == c) {
				pos = card->place[g].x;
				cells = b->grids[g].cells;
			} else if (b->grids[g].y == c) {
				pos = card->place[g].y;
				cells = b->grids[g].cells;
			}
		}
		strbuf_reset(&sb);
		strbuf_addf(&sb, "  %s%s ", cr->low, cr->easy == POLE_LOW ? "★" : "");
		if (!cells)
			strbuf_addstr(&sb, "· · ·");
		for (k = 1; k <= cells; k++)
			strbuf_addstr(&sb, k == pos ? "●" : "○");
		strbuf_addf(&sb, " %s%s", cr->high, cr->easy == POLE_HIGH ? "★" : "");
		ui_details_add(o, sb.buf);
	}
	strbuf_release(&sb);
}

static bool ui_details_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_details *d = state;

	(void)arg;
	d->top = 0;
	return ui_selected(ui) != NULL;
}

static void ui_details_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_details *d = state;
	enum layout_dir dir;

	if (ev->kind == EV_MOUSE) {
		if (ev->mouse == MOUSE_PRESS)
			ui_screen_close(ui);
	} else if (ui_key_dir(ev, &dir)) {
		/* The arrows follow other cards. */
		d->top = 0;
		ui_move_selection(ui, dir);
	} else if (ui_is_key(ev, KEY_NPAGE)) {
		d->top += 10;
	} else if (ui_is_key(ev, KEY_PPAGE)) {
		d->top = d->top > 10 ? d->top - 10 : 0;
	} else if (ui_is_char(ev, L'r')) {
		ui_screen_open(ui, UI_SCREEN_VERSIONS, NULL);
	} else if (!ui_grid_keys(ui, ev)) {
		ui_screen_close(ui);
	}
}

/* The details of a card someone else deleted: never another one's. */
static void ui_details_changed(struct ui *ui, void *state)
{
	(void)state;
	if (!ui_selected(ui))
		ui_card_gone(ui);
}

/* The lines of the selected card; PgDn / PgUp scroll what does not fit. */
static void ui_details_show(struct ui *ui, struct ui_details *d, const struct card *card, int w,
			    struct ui_cursor *cursor)
{
	struct ui_details_lines o;
	struct rect r;
	int i;

	o.n = 0;
	for (i = 0; i < UI_DETAILS_MAX; i++)
		strbuf_init(&o.line[i], 0);
	ui_details_fields(ui, &o, card, w);
	if (ui->board->ngrids) {
		ui_details_places(ui, &o, card);
		ui_details_profile(ui, &o, card);
	}
	r = ui_draw_popup(&ui->layout, w + 4, o.n + 2, _("Card details"));
	if (d->top > o.n - (r.h - 2))
		d->top = o.n - (r.h - 2) > 0 ? o.n - (r.h - 2) : 0;
	/* The cursor on the first line shown: a screen reader reads from there. */
	cursor->x = r.x + 2;
	cursor->y = r.y + 1;
	for (i = 0; i + d->top < o.n && i < r.h - 2; i++)
		ui_draw_put(r.y + 1 + i, r.x + 2, r.w - 4, o.line[i + d->top].buf,
			    i + d->top == 0 ? ui_color_attr(ROLE_POPUP_TITLE)
					    : ui_color_attr(ROLE_POPUP));
	if (o.n - d->top > r.h - 2 && r.h > 2)
		ui_draw_put_pad(r.y + r.h - 2, r.x + 2, r.w - 4, _("… PgDn: more"),
				ui_color_attr(ROLE_POPUP));
	for (i = 0; i < UI_DETAILS_MAX; i++)
		strbuf_release(&o.line[i]);
}

static bool ui_details_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct card *card = ui_selected(ui);
	int w = COLS - 6 < 74 ? COLS - 6 : 74;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	if (card && w >= 10)
		ui_details_show(ui, state, card, w, cursor);
	return true;
}

static const struct ui_hint ui_details_keys[] = {
	{ "←↓↑→", N_("other card") }, { "Tab", N_("other grid") }, { "r", N_("versions") },
	{ N_("any other key"), N_("close") }, { NULL, NULL },
};


const struct ui_screen_ops ui_details_screen = {
	.name = "details",
	.state_size = sizeof(struct ui_details),
	.open = ui_details_open,
	.event = ui_details_event,
	.draw = ui_details_draw,
	.keys = ui_details_keys,
	.changed = ui_details_changed,
};
