/*
 * live_fixture.h - the board the live-sharing unit tests share: one theme,
 * two criteria, a 3x3 grid "g" and three cards numbered 1 to 3 (UUIDs
 * 00000000-0000-4000-8000-00000000000N), and helpers to name them (the
 * includer includes board.h, lockfile.h and op.h first).
 */
#ifndef TAMIS_TEST_LIVE_FIXTURE_H
#define TAMIS_TEST_LIVE_FIXTURE_H

static const char board_yaml[] =
	"tamis: 1\n"
	"title: Live\n"
	"themes:\n"
	"  - id: t\n"
	"    label: Thème\n"
	"    color: green\n"
	"criteria:\n"
	"  - id: a\n"
	"    low: a-\n"
	"    high: a+\n"
	"    easy: low\n"
	"  - id: b\n"
	"    low: b-\n"
	"    high: b+\n"
	"    easy: high\n"
	"grids:\n"
	"  - id: g\n"
	"    x: a\n"
	"    y: b\n"
	"    cells: 3\n"
	"cards:\n"
	"  - id: 00000000-0000-4000-8000-000000000001\n"
	"    text: one\n"
	"    theme: t\n"
	"    decision: undecided\n"
	"  - id: 00000000-0000-4000-8000-000000000002\n"
	"    text: two\n"
	"    theme: t\n"
	"    decision: undecided\n"
	"  - id: 00000000-0000-4000-8000-000000000003\n"
	"    text: three\n"
	"    theme: t\n"
	"    decision: undecided\n";

/* The whole file at p (caller frees), or NULL. */
static inline char *live_file_text(const char *p)
{
	struct strbuf sb = STRBUF_INIT;

	if (file_read(p, 1 << 26, &sb, NULL) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* A move of card n to (x, y) on grid "g", made by 'by' at time 1000. */
static inline void live_move_op(struct op *op, int card, int x, int y, const char *by)
{
	memset(op, 0, sizeof(*op));
	op->kind = OP_MOVE;
	op->at = 1000;
	op_set(&op->by, by);
	op->card[6] = 0x40;
	op->card[8] = 0x80;
	op->card[15] = (unsigned char)card;
	op_set(&op->grid, "g");
	op->x = x;
	op->y = y;
}

/* Card n of the fixture on board b, or NULL. */
static inline struct card *live_card(struct board *b, int n)
{
	uuid_t id = { 0 };

	id[6] = 0x40;
	id[8] = 0x80;
	id[15] = (unsigned char)n;
	return board_find_card(b, id);
}

#endif
