/*
 * ui_theme.c - choosing a card's theme: the new card's, once its text is
 * typed (ui_cardtext.c), or the selected card's (t). The arrows or a
 * theme's badge letter choose.
 */
#include <curses.h>
#include <stdint.h>
#include <string.h>
#include <wctype.h>

#include "board.h"
#include "i18n.h"
#include "op.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_theme {
	bool adding;              /* a new card, not a change of theme */
	struct strbuf text;       /* the new card's text */
	size_t cursor;
};

static void ui_theme_init(struct ui *ui, void *state)
{
	struct ui_theme *t = state;

	(void)ui;
	strbuf_init(&t->text, 0);
}

static void ui_theme_release(void *state)
{
	struct ui_theme *t = state;

	strbuf_release(&t->text);
}

static bool ui_theme_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_theme *t = state;
	struct card *sel = ui_selected(ui);

	t->adding = arg != NULL;
	strbuf_reset(&t->text);
	if (t->adding)
		strbuf_addstr(&t->text, arg);
	else if (!sel)
		return false;
	t->cursor = sel ? sel->theme : 0;
	return true;
}

static void ui_theme_chosen(struct ui *ui, struct ui_theme *t, size_t theme)
{
	struct card *sel = ui_selected(ui);

	ui_screen_close(ui);
	if (t->adding) {
		ui_add_card(ui, t->text.buf, theme);
	} else if (sel && sel->theme != theme && theme < ui->board->nthemes) {
		struct op op;

		ui_op_init(&op, OP_THEME, sel);
		op_set(&op.name, ui->board->themes[theme].id);
		if (ui_apply(ui, &op) >= 0)
			ui_message(ui, "%s", _("theme changed"));
	}
}

/* A theme's badge letter picks it at once. */
static void ui_theme_letter(struct ui *ui, struct ui_theme *t, wchar_t ch)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;

	utf8_encode(&key, (uint32_t)towupper((wint_t)ch));
	for (i = 0; i < ui->board->nthemes; i++) {
		if (!strcmp(ui->badges[i], key.buf)) {
			ui_theme_chosen(ui, t, i);
			break;
		}
	}
	strbuf_release(&key);
}

static void ui_theme_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_theme *t = state;
	size_t n = ui->board->nthemes;

	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	if (!n) {
		ui_screen_close(ui);
		return;
	}
	if (t->cursor >= n)
		t->cursor = 0;
	if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k') || ui_is_key(ev, KEY_BTAB)) {
		t->cursor = (t->cursor + n - 1) % n;
	} else if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j') || ui_is_key(ev, UI_KEY_TAB)) {
		t->cursor = (t->cursor + 1) % n;
	} else if (ui_is_enter(ev)) {
		ui_theme_chosen(ui, t, t->cursor);
	} else if (ui_is_key(ev, UI_KEY_ESC)) {
		ui_screen_close(ui);
		if (t->adding)
			ui_message(ui, "%s", _("card not added"));
	} else if (ev->kind == EV_CHAR && !ev->pasted) {
		ui_theme_letter(ui, t, ev->ch);
	}
}

/* Changing the theme of a card someone else deleted: never another one's. */
static void ui_theme_changed(struct ui *ui, void *state)
{
	struct ui_theme *t = state;

	if (!t->adding && !ui_selected(ui))
		ui_card_gone(ui);
}

/* The session ends while the new card's theme is chosen: the card is added all the same. */
static void ui_theme_rescue(struct ui *ui, void *state)
{
	struct ui_theme *t = state;
	const char *s = text_trim(&t->text);
	size_t theme = t->cursor;

	ui_screen_close(ui);
	if (t->adding && *s && theme < ui->board->nthemes)
		ui_add_card(ui, s, theme);
}

static bool ui_theme_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_theme *t = state;
	const struct board *b = ui->board;
	struct strbuf title = STRBUF_INIT;
	int want_w = 20, i, top, rows;
	struct rect r;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	for (i = 0; i < (int)b->nthemes; i++)
		if (text_width(b->themes[i].label) + 12 > want_w)
			want_w = text_width(b->themes[i].label) + 12;
	if (t->adding) {
		strbuf_addstr(&title, _("Theme of the new card"));
	} else {
		/* The title names the card whose theme changes. */
		struct strbuf name = STRBUF_INIT;

		strbuf_addf(&title, _("Theme of %s"), "");
		ui_card_quoted(ui_selected(ui), 40 - text_width(title.buf), &name);
		strbuf_reset(&title);
		strbuf_addf(&title, _("Theme of %s"), name.buf);
		strbuf_release(&name);
	}
	if (text_width(title.buf) + 6 > want_w)
		want_w = text_width(title.buf) + 6;
	r = ui_draw_popup(&ui->layout, want_w, (int)b->nthemes + 2, title.buf);
	strbuf_release(&title);
	rows = r.h - 2;
	if (rows < 1)
		return true;
	top = (int)t->cursor - rows + 1;
	if (top < 0)
		top = 0;
	for (i = 0; i < rows && top + i < (int)b->nthemes; i++) {
		size_t k = (size_t)(top + i);
		struct strbuf sb = STRBUF_INIT;
		bool cur = k == t->cursor;
		int x = r.x + 1;

		x += ui_draw_put(r.y + 1 + i, x, 2, cur ? "▶ " : "  ", ui_color_attr(ROLE_POPUP));
		strbuf_addf(&sb, " %s ", ui->badges[k]);
		x += ui_draw_put(r.y + 1 + i, x, r.x + r.w - 1 - x, sb.buf,
				 ui_color_swatch(b->themes[k].color));
		strbuf_reset(&sb);
		strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, b->themes[k].label);
		if (cur) {
			cursor->x = x + 1;
			cursor->y = r.y + 1 + i;
		}
		ui_draw_put_pad(r.y + 1 + i, x, r.x + r.w - 1 - x, sb.buf,
				cur ? ui_color_attr(ROLE_SELECTED) : ui_color_attr(ROLE_POPUP));
		strbuf_release(&sb);
	}
	return true;
}

static const struct ui_hint ui_theme_keys[] = {
	{ "↑↓", N_("choose") }, { "Enter", N_("this theme") }, { N_("letter"), N_("that theme") },
	{ "Esc", N_("cancel") }, { NULL, NULL },
};


const struct ui_screen_ops ui_theme_screen = {
	.name = "theme",
	.state_size = sizeof(struct ui_theme),
	.init = ui_theme_init,
	.release = ui_theme_release,
	.open = ui_theme_open,
	.event = ui_theme_event,
	.draw = ui_theme_draw,
	.keys = ui_theme_keys,
	.changed = ui_theme_changed,
	.rescue = ui_theme_rescue,
};
