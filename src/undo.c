/*
 * undo.c - undo/redo as operations with inverses (see undo.h).
 */
#include "undo.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Everything needed to bring a deleted card back exactly as it was. */
struct undo_card {
	char *text;
	size_t theme;
	char *by;
	time_t created;
	char *note;
	enum decision decision;
	bool locked;
	struct cell *place;
	size_t nplace;
	size_t pos;        /* index in b->cards */
};

struct undo_op {
	enum undo_kind kind;
	uuid_t id;
	/* UNDO_MOVE */
	size_t grid;
	struct cell from, to;
	/* UNDO_TEXT */
	char *old_text, *new_text;
	/* UNDO_THEME */
	size_t old_theme, new_theme;
	/* UNDO_ADD, UNDO_DELETE */
	struct undo_card card;
};

void undo_init(struct undo *u)
{
	memset(u, 0, sizeof(*u));
}

static void undo_op_free(struct undo_op *op)
{
	if (!op)
		return;
	free(op->old_text);
	free(op->new_text);
	free(op->card.text);
	free(op->card.by);
	free(op->card.note);
	free(op->card.place);
	free(op);
}

void undo_release(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		undo_op_free(u->ops[i]);
	free(u->ops);
	undo_init(u);
}

bool undo_can_undo(const struct undo *u)
{
	return u->pos > 0;
}

bool undo_can_redo(const struct undo *u)
{
	return u->pos < u->n;
}

enum undo_kind undo_next_undo_kind(const struct undo *u)
{
	return u->pos > 0 ? u->ops[u->pos - 1]->kind : UNDO_ADD;
}

enum undo_kind undo_next_redo_kind(const struct undo *u)
{
	return u->pos < u->n ? u->ops[u->pos]->kind : UNDO_ADD;
}

/* Appends op after the done operations, dropping the redoable ones. */
static void undo_push(struct undo *u, struct undo_op *op)
{
	size_t i;

	for (i = u->pos; i < u->n; i++)
		undo_op_free(u->ops[i]);
	u->n = u->pos;
	ALLOC_GROW(u->ops, u->n + 1, u->alloc);
	u->ops[u->n++] = op;
	u->pos = u->n;
}

static struct undo_op *undo_op_new(enum undo_kind kind, const struct card *card)
{
	struct undo_op *op = xcalloc(1, sizeof(*op));

	op->kind = kind;
	memcpy(op->id, card->id, sizeof(uuid_t));
	return op;
}

static char *undo_strdup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void undo_card_save(struct undo_card *uc, const struct board *b, const struct card *card)
{
	uc->text = xstrdup(card->text);
	uc->theme = card->theme;
	uc->by = undo_strdup(card->by);
	uc->created = card->created;
	uc->note = undo_strdup(card->note);
	uc->decision = card->decision;
	uc->locked = card->locked;
	uc->nplace = b->ngrids;
	uc->place = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*uc->place));
	if (b->ngrids)
		memcpy(uc->place, card->place, b->ngrids * sizeof(*uc->place));
	uc->pos = board_card_pos(b, card);
}

/* Puts a saved card back at its place in the board. Returns it, or NULL. */
static struct card *undo_card_restore(const struct undo_card *uc, struct board *b,
				      const uuid_t id)
{
	struct card *card;
	size_t g, pos;

	if (board_find_card(b, id))
		return NULL;
	card = board_add_card(b, id, uc->text, uc->theme < b->nthemes ? uc->theme : 0);
	if (!card)
		return NULL;
	card_set_by(card, uc->by);
	card->created = uc->created;
	card_set_note(card, uc->note);
	card->decision = uc->decision;
	card->locked = uc->locked;
	for (g = 0; g < b->ngrids && g < uc->nplace; g++)
		board_place_card(b, card, g, uc->place[g].x, uc->place[g].y);
	/* board_add_card() appended it: move it back where it was. */
	pos = uc->pos < b->ncards ? uc->pos : b->ncards - 1;
	if (pos < b->ncards - 1) {
		memmove(&b->cards[pos + 1], &b->cards[pos],
			(b->ncards - 1 - pos) * sizeof(*b->cards));
		b->cards[pos] = card;
	}
	return card;
}

void undo_record_add(struct undo *u, const struct board *b, const struct card *card)
{
	struct undo_op *op = undo_op_new(UNDO_ADD, card);

	undo_card_save(&op->card, b, card);
	undo_push(u, op);
}

void undo_delete(struct undo *u, struct board *b, struct card *card)
{
	struct undo_op *op = undo_op_new(UNDO_DELETE, card);

	undo_card_save(&op->card, b, card);
	board_remove_card(b, card);
	undo_push(u, op);
}

int undo_move(struct undo *u, struct board *b, struct card *card, size_t g, int x, int y)
{
	struct cell from;

	if (g >= b->ngrids)
		return -1;
	from = card->place[g];
	if (board_place_card(b, card, g, x, y) < 0)
		return -1;
	undo_record_move(u, card, g, from);
	return 0;
}

void undo_record_move(struct undo *u, const struct card *card, size_t g, struct cell from)
{
	struct undo_op *op;

	if (card->place[g].x == from.x && card->place[g].y == from.y)
		return;
	op = undo_op_new(UNDO_MOVE, card);
	op->grid = g;
	op->from = from;
	op->to = card->place[g];
	undo_push(u, op);
}

void undo_set_text(struct undo *u, struct card *card, const char *text)
{
	struct undo_op *op;

	if (!strcmp(card->text, text))
		return;
	op = undo_op_new(UNDO_TEXT, card);
	op->old_text = xstrdup(card->text);
	op->new_text = xstrdup(text);
	card_set_text(card, text);
	undo_push(u, op);
}

int undo_set_theme(struct undo *u, const struct board *b, struct card *card, size_t theme)
{
	struct undo_op *op;

	if (theme >= b->nthemes)
		return -1;
	if (card->theme == theme)
		return 0;
	op = undo_op_new(UNDO_THEME, card);
	op->old_theme = card->theme;
	op->new_theme = theme;
	card->theme = theme;
	undo_push(u, op);
	return 0;
}

/* Applies op forwards (redo) or backwards (undo). Returns 0 or -1. */
static int undo_apply(struct undo_op *op, struct board *b, bool forward)
{
	struct card *card = board_find_card(b, op->id);
	struct cell c;
	bool remove;

	switch (op->kind) {
	case UNDO_ADD:
	case UNDO_DELETE:
		remove = (op->kind == UNDO_ADD) != forward;
		if (remove) {
			if (!card)
				return -1;
			/* Keep what the card has become, so a redo restores that. */
			free(op->card.text);
			free(op->card.by);
			free(op->card.note);
			free(op->card.place);
			undo_card_save(&op->card, b, card);
			board_remove_card(b, card);
			return 0;
		}
		return undo_card_restore(&op->card, b, op->id) ? 0 : -1;
	case UNDO_MOVE:
		if (!card || op->grid >= b->ngrids)
			return -1;
		c = forward ? op->to : op->from;
		return board_place_card(b, card, op->grid, c.x, c.y);
	case UNDO_TEXT:
		if (!card)
			return -1;
		card_set_text(card, forward ? op->new_text : op->old_text);
		return 0;
	case UNDO_THEME:
		if (!card)
			return -1;
		if ((forward ? op->new_theme : op->old_theme) >= b->nthemes)
			return -1;
		card->theme = forward ? op->new_theme : op->old_theme;
		return 0;
	}
	return -1;
}

static void undo_report(const struct undo_op *op, uuid_t card_id, size_t *grid)
{
	if (card_id)
		memcpy(card_id, op->id, sizeof(uuid_t));
	if (grid)
		*grid = op->kind == UNDO_MOVE ? op->grid : (size_t)-1;
}

int undo_undo(struct undo *u, struct board *b, uuid_t card_id, size_t *grid)
{
	struct undo_op *op;

	if (!u->pos)
		return -1;
	op = u->ops[--u->pos];
	if (undo_apply(op, b, false) < 0)
		return -1; /* skipped: the next undo goes on from the one before */
	undo_report(op, card_id, grid);
	return 0;
}

int undo_redo(struct undo *u, struct board *b, uuid_t card_id, size_t *grid)
{
	struct undo_op *op;

	if (u->pos >= u->n)
		return -1;
	op = u->ops[u->pos++];
	if (undo_apply(op, b, true) < 0)
		return -1; /* skipped */
	undo_report(op, card_id, grid);
	return 0;
}
