/*
 * ui_presence.c - the others on the board: this instance's entry in the
 * presence file (presence.h) written when it changes and every
 * PRESENCE_BEAT seconds, the others' entries read when the board's
 * directory wakes, what the status bar says of them, the card someone else
 * carries; and the changes others make to my cards, heard from the session
 * as it applies them (session_hear()), said once on the message line and
 * listed under `!` (heard.h).
 *
 * A layer with the shared state (ui_core.c): screens and the drawing ask it;
 * it calls only the core and the session.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "heard.h"
#include "i18n.h"
#include "presence.h"
#include "session.h"
#include "text.h"
#include "timeutil.h"
#include "ui_int.h"
#include "xmalloc.h"

#define UI_PRESENCE_NAME_COLS 16 /* a name in the status bar, at most */

struct ui_presence {
	bool on;                     /* the board is shared live: entries are written */
	struct presence_entry me;    /* as last written */
	bool written;
	time_t written_at;
	bool carrying;
	uuid_t carried;
	struct presence_list others; /* live entries, this instance's aside */
	struct heard_list heard;
	struct heard_change pending; /* heard before it applied */
	bool has_pending;
	struct strbuf frame;         /* someone else's change of the frame, said once applied */
};

/* --- Changes to my cards --- */

static bool ui_presence_counts(const struct op *op)
{
	switch (op->kind) {
	case OP_MOVE: case OP_TEXT: case OP_THEME: case OP_NOTE:
	case OP_DECIDE: case OP_LOCK: case OP_DELETE:
		return true;
	default:
		return false;
	}
}

/* Who, sanitized and cut: a name or "someone". */
static void ui_presence_name(const char *name, int cols, struct strbuf *out)
{
	text_fit(out, name && *name ? name : _("someone"), cols);
}

/* A criterion's change, told from the board before it: added, flipped or renamed. */
static void ui_presence_criterion(const struct board *b, const struct op *op, const char *who,
				  struct strbuf *out)
{
	int c = op->name ? board_criterion_index(b, op->name) : -1;

	if (c < 0)
		strbuf_addf(out, _("%s added the criterion %s ↔ %s"), who, op->text ? op->text : "",
			    op->text2 ? op->text2 : "");
	else if ((int)b->criteria[c].easy != op->value)
		strbuf_addf(out, _("%s flipped the easier pole of %s ↔ %s: the easy zone moved"), who,
			    b->criteria[c].low, b->criteria[c].high);
	else
		strbuf_addf(out, _("%s renamed the poles of %s ↔ %s"), who, b->criteria[c].low,
			    b->criteria[c].high);
}

/*
 * Someone else's change of the board's frame, told from the board before
 * it (what it was): every instance says who changed what, once it applied.
 */
static void ui_presence_frame(const struct board *b, const struct op *op, struct strbuf *out)
{
	struct strbuf who = STRBUF_INIT;
	int g = op->grid ? board_grid_index(b, op->grid) : -1;

	strbuf_reset(out);
	ui_presence_name(op->by, UI_PRESENCE_NAME_COLS, &who);
	switch (op->kind) {
	case OP_CRITERION: ui_presence_criterion(b, op, who.buf, out); break;
	case OP_GRID_ADD:
		strbuf_addf(out, _("%s added a grid: %s × %s"), who.buf, op->text ? op->text : "",
			    op->text2 ? op->text2 : "");
		break;
	case OP_GRID_CELLS:
		if (g >= 0)
			strbuf_addf(out, _("%s changed grid %d from %d×%d to %d×%d cells"), who.buf,
				    g + 1, b->grids[g].cells, b->grids[g].cells, op->value, op->value);
		break;
	case OP_ZONE_ADD:
	case OP_ZONE_DEL:
	case OP_ZONE_CELL:
		if (g >= 0)
			strbuf_addf(out, _("%s changed the zones of grid %d"), who.buf, g + 1);
		break;
	case OP_THEME_ADD:
		strbuf_addf(out, _("%s added the theme %s"), who.buf, op->text ? op->text : "");
		break;
	case OP_TITLE: strbuf_addf(out, _("%s renamed the board"), who.buf); break;
	default: break;
	}
	strbuf_release(&who);
}

/* session_heard_fn: someone else's change to a card of whoever plays is kept. */
static void ui_presence_heard(void *data, struct board *b, const struct op *op,
			      bool applied)
{
	struct ui *ui = data;
	struct ui_presence *p = ui->presence;
	const struct card *card;

	if (applied) {
		if (p->has_pending)
			heard_add(&p->heard, &p->pending);
		p->has_pending = false;
		if (p->frame.len)
			ui_message(ui, "%s", p->frame.buf);
		strbuf_reset(&p->frame);
		return;
	}
	ui_presence_frame(b, op, &p->frame);
	if (p->has_pending)
		heard_change_release(&p->pending);
	p->has_pending = false;
	if (!ui->by || !ui_presence_counts(op) || (op->by && !strcmp(op->by, ui->by)))
		return;
	card = board_find_card(b, op->card);
	if (!card || !ui_card_is_mine(ui, card))
		return;
	heard_change_from_op(&p->pending, op, card->text);
	p->has_pending = true;
}

const struct heard_change *ui_presence_change(const struct ui *ui, size_t i)
{
	return heard_get(&ui->presence->heard, i);
}

static void ui_presence_what(const struct ui *ui, const struct heard_change *c,
			     const char *who, const char *card, struct strbuf *out)
{
	int g;

	switch (c->kind) {
	case OP_MOVE:
		g = c->grid ? board_grid_index(ui->board, c->grid) : -1;
		if (!c->x)
			strbuf_addf(out, _("%s put « %s » back in the tray"), who, card);
		else if (ui->board->ngrids > 1 && g >= 0)
			strbuf_addf(out, _("%s moved « %s » to %d,%d on grid %d"), who, card, c->x, c->y,
				    g + 1);
		else
			strbuf_addf(out, _("%s moved « %s » to %d,%d"), who, card, c->x, c->y);
		break;
	case OP_TEXT: strbuf_addf(out, _("%s edited « %s »"), who, card); break;
	case OP_THEME: strbuf_addf(out, _("%s changed the theme of « %s »"), who, card); break;
	case OP_NOTE: strbuf_addf(out, _("%s changed the note of « %s »"), who, card); break;
	case OP_DECIDE:
		strbuf_addf(out, _("%s decided « %s »: %s"), who, card,
			    ui_decision_name((enum decision)c->value));
		break;
	case OP_LOCK:
		strbuf_addf(out, c->value ? _("%s locked « %s »") : _("%s unlocked « %s »"), who, card);
		break;
	case OP_DELETE: strbuf_addf(out, _("%s deleted « %s »"), who, card); break;
	default: strbuf_addf(out, _("%s changed « %s »"), who, card); break;
	}
}

void ui_presence_describe(const struct ui *ui, const struct heard_change *c, int text_cols,
			  struct strbuf *out)
{
	struct strbuf who = STRBUF_INIT, card = STRBUF_INIT;

	ui_presence_name(c->by, UI_PRESENCE_NAME_COLS, &who);
	text_fit(&card, c->text, text_cols);
	ui_presence_what(ui, c, who.buf, card.buf, out);
	strbuf_release(&who);
	strbuf_release(&card);
}

/* Says the changes to my cards not said yet: the newest, and how many more. */
static void ui_presence_tell(struct ui *ui)
{
	struct strbuf sb = STRBUF_INIT;
	const struct heard_change *c;
	size_t more;

	c = heard_tell(&ui->presence->heard, &more);
	if (!c)
		return;
	ui_presence_describe(ui, c, 24, &sb);
	if (more)
		strbuf_addf(&sb, ngettext(" (and %zu more change to your cards: ! lists them)",
					  " (and %zu more changes to your cards: ! lists them)", more),
			    more);
	ui_message(ui, "%s", sb.buf);
	strbuf_release(&sb);
}

/* --- This instance's entry --- */

/* What this instance's entry says now. */
static void ui_presence_fill(const struct ui *ui, struct presence_entry *e)
{
	const struct ui_presence *p = ui->presence;

	presence_entry_copy(e, &p->me);
	free(e->grid);
	free(e->name);
	e->grid = ui->board->ngrids ? xstrdup(ui->board->grids[ui->grid].id) : NULL;
	e->name = ui->by ? xstrdup(ui->by) : NULL;
	e->facilitator = ui->facilitator;
	e->carrying = p->carrying && board_find_card(ui->board, p->carried);
	if (e->carrying)
		memcpy(e->card, p->carried, sizeof(uuid_t));
	else
		memset(e->card, 0, sizeof(uuid_t));
}

/* The others' live entries, this instance's aside. */
static void ui_presence_read(struct ui *ui)
{
	struct ui_presence *p = ui->presence;
	struct strbuf err = STRBUF_INIT;

	if (presence_read(ui->session.path, clock_now(), &p->others, &err) == 0)
		presence_list_drop(&p->others, p->me.id);
	strbuf_release(&err);
}

void ui_presence_start(struct ui *ui)
{
	struct ui_presence *p = xcalloc(1, sizeof(*p));

	ui->presence = p;
	heard_init(&p->heard);
	strbuf_init(&p->frame, 0);
	p->on = session_shared(&ui->session);
	uuid_generate_random(p->me.id);
	p->me.pid = getpid();
	p->me.host = presence_host();
	session_hear(&ui->session, ui_presence_heard, ui);
	ui_presence_update(ui);
	ui_presence_read(ui);
}

void ui_presence_update(struct ui *ui)
{
	struct ui_presence *p = ui->presence;
	struct presence_entry now;
	struct strbuf err = STRBUF_INIT;
	time_t t = clock_now();

	if (!p || !p->on || !ui->board)
		return;
	ui_presence_fill(ui, &now);
	if (!p->written || !presence_entry_same(&now, &p->me) ||
	    (time(NULL) - p->written_at >= PRESENCE_BEAT)) {
		if (presence_publish(ui->session.path, &ui->session.perm, &now, t, &err) == 0) {
			p->written = true;
			p->written_at = time(NULL);
		}
		presence_entry_release(&p->me);
		p->me = now;
	} else {
		presence_entry_release(&now);
	}
	strbuf_release(&err);
}

int ui_presence_timeout_ms(const struct ui *ui)
{
	const struct ui_presence *p = ui->presence;
	long left;

	if (!p || !p->on)
		return -1;
	left = (long)(p->written_at + PRESENCE_BEAT - time(NULL));
	return left > 0 ? (int)(left * 1000) : 0;
}

void ui_presence_poll(struct ui *ui)
{
	struct ui_presence *p = ui->presence;

	if (!p)
		return;
	ui_presence_update(ui);
	if (p->on && ui->session.presence_woken)
		ui_presence_read(ui);
	ui->session.presence_woken = false;
	ui_presence_tell(ui);
}

void ui_presence_stop(struct ui *ui)
{
	struct ui_presence *p = ui->presence;
	struct strbuf err = STRBUF_INIT;

	if (!p)
		return;
	if (p->written)
		presence_leave(ui->session.path, p->me.id, clock_now(), &err);
	session_hear(&ui->session, NULL, NULL);
	presence_entry_release(&p->me);
	presence_list_release(&p->others);
	heard_release(&p->heard);
	heard_change_release(&p->pending);
	strbuf_release(&p->frame);
	free(p);
	ui->presence = NULL;
	strbuf_release(&err);
}

void ui_presence_carry(struct ui *ui, const struct card *card)
{
	struct ui_presence *p = ui->presence;

	if (!p)
		return;
	p->carrying = card != NULL;
	if (card)
		memcpy(p->carried, card->id, sizeof(uuid_t));
}

/* --- The others --- */

size_t ui_presence_count(const struct ui *ui)
{
	return ui->presence ? ui->presence->others.n : 0;
}

const struct presence_entry *ui_presence_other(const struct ui *ui, size_t i)
{
	return i < ui_presence_count(ui) ? &ui->presence->others.v[i] : NULL;
}

const struct presence_entry *ui_presence_me(const struct ui *ui)
{
	return ui->presence && ui->presence->written ? &ui->presence->me : NULL;
}

const struct presence_entry *ui_presence_carrier(const struct ui *ui, const struct card *card)
{
	size_t i;

	for (i = 0; i < ui_presence_count(ui); i++) {
		const struct presence_entry *e = &ui->presence->others.v[i];

		if (e->carrying && !uuid_compare(e->card, card->id))
			return e;
	}
	return NULL;
}

void ui_presence_who(const struct presence_entry *e, int cols, struct strbuf *out)
{
	ui_presence_name(e->name, cols, out);
	if (e->facilitator)
		strbuf_addstr(out, "⚑");
}

void ui_presence_status(const struct ui *ui, int level, struct strbuf *out)
{
	size_t n = ui_presence_count(ui), i;

	if (!n)
		return;
	strbuf_addf(out, " │ +%zu", n);
	if (level)
		return;
	strbuf_addch(out, ':');
	for (i = 0; i < n; i++) {
		strbuf_addstr(out, i ? ", " : " ");
		ui_presence_who(&ui->presence->others.v[i], UI_PRESENCE_NAME_COLS, out);
	}
}

/* --- The lists of `w` and `!` --- */

bool ui_presence_list_key(const struct ui_event *ev, int *cur, int n)
{
	int at = *cur;

	if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j'))
		at++;
	else if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k'))
		at--;
	else if (ui_is_key(ev, KEY_NPAGE))
		at += 10;
	else if (ui_is_key(ev, KEY_PPAGE))
		at -= 10;
	else if (ui_is_key(ev, KEY_HOME))
		at = 0;
	else if (ui_is_key(ev, KEY_END))
		at = n - 1;
	else
		return false;
	*cur = at >= n ? n - 1 : at;
	if (*cur < 0)
		*cur = 0;
	return true;
}

void ui_presence_list_scroll(int cur, int rows, int *top)
{
	if (cur < *top)
		*top = cur;
	else if (rows > 0 && cur >= *top + rows)
		*top = cur - rows + 1;
	if (*top < 0)
		*top = 0;
}
