/*
 * ui_color.c - colours by semantic role (see ui_color.h).
 */
#include "ui_color.h"

struct ui_color_spec {
	short fg, bg;      /* -1: the terminal's default */
	attr_t attr;       /* with colours */
	attr_t mono;       /* without */
};

/* The table: every role's colours and its monochrome look. */
static const struct ui_color_spec ui_color_table[ROLE_COUNT] = {
	[ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_LINE] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_EASY_LINE] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_EASY_LABEL] = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_POLE] = { -1, -1, A_BOLD, A_BOLD },
	[ROLE_POLE_EASY] = { COLOR_GREEN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_TAB] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_TAB_ACTIVE] = { -1, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_TRAY] = { -1, -1, A_BOLD, A_BOLD },
	[ROLE_STATUS] = { -1, -1, A_REVERSE, A_REVERSE },
	[ROLE_STATUS_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_HINTS] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_HINT_KEY] = { -1, -1, A_BOLD, A_BOLD },
	[ROLE_MESSAGE] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_POPUP] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_POPUP_TITLE] = { -1, -1, A_BOLD, A_BOLD },
	[ROLE_MATCH] = { -1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
	[ROLE_DIMMED] = { -1, -1, A_DIM, A_DIM },
	[ROLE_SELECTED] = { -1, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD },
};

/* Post-its: light backgrounds with dark text where the terminal has 256 colours. */
static const short ui_color_card_bg256[HUE_COUNT] = {
	250, 217, 157, 229, 153, 219, 159, 255,
};
static const short ui_color_card_fg8[HUE_COUNT] = {
	COLOR_WHITE, COLOR_WHITE, COLOR_BLACK, COLOR_BLACK,
	COLOR_WHITE, COLOR_WHITE, COLOR_BLACK, COLOR_BLACK,
};

static bool ui_color_is_mono = true;
static attr_t ui_color_attrs[ROLE_COUNT];
static attr_t ui_color_cards[HUE_COUNT];
static attr_t ui_color_swatches[HUE_COUNT];

void ui_color_init(bool no_color)
{
	short pair = 1;
	int i;

	ui_color_is_mono = no_color || !has_colors() || start_color() == ERR || COLORS < 8 ||
			   COLOR_PAIRS < ROLE_COUNT + 2 * HUE_COUNT + 1;
	if (!ui_color_is_mono)
		use_default_colors();
	for (i = 0; i < ROLE_COUNT; i++) {
		const struct ui_color_spec *s = &ui_color_table[i];

		if (ui_color_is_mono) {
			ui_color_attrs[i] = s->mono;
		} else if (s->fg == -1 && s->bg == -1) {
			ui_color_attrs[i] = s->attr;
		} else {
			init_pair(pair, s->fg, s->bg);
			ui_color_attrs[i] = s->attr | COLOR_PAIR(pair);
			pair++;
		}
	}
	for (i = 0; i < HUE_COUNT; i++) {
		if (ui_color_is_mono) {
			ui_color_cards[i] = A_NORMAL;
			ui_color_swatches[i] = A_REVERSE;
			continue;
		}
		if (COLORS >= 256)
			init_pair(pair, COLOR_BLACK, ui_color_card_bg256[i]);
		else
			init_pair(pair, ui_color_card_fg8[i], (short)i);
		ui_color_cards[i] = COLOR_PAIR(pair);
		pair++;
		init_pair(pair, (short)i, -1);
		ui_color_swatches[i] = COLOR_PAIR(pair) | A_REVERSE;
		pair++;
	}
}

bool ui_color_mono(void)
{
	return ui_color_is_mono;
}

attr_t ui_color_attr(enum ui_role role)
{
	return (unsigned)role < ROLE_COUNT ? ui_color_attrs[role] : A_NORMAL;
}

attr_t ui_color_card(enum hue hue)
{
	return (unsigned)hue < HUE_COUNT ? ui_color_cards[hue] : A_NORMAL;
}

attr_t ui_color_swatch(enum hue hue)
{
	return (unsigned)hue < HUE_COUNT ? ui_color_swatches[hue] : A_REVERSE;
}

attr_t ui_color_zone(enum hue hue)
{
	if (ui_color_is_mono || (unsigned)hue >= HUE_COUNT)
		return A_BOLD;
	return (ui_color_swatches[hue] & ~A_REVERSE) | A_BOLD;
}
