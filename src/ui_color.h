/*
 * ui_color.h - the one table of colours of the terminal board, by semantic
 * role (ncdu's colour table), for 8, 16 and 256-colour terminals, with a
 * monochrome fallback (NO_COLOR set, or a terminal without colours) where
 * attributes alone (bold, reverse, underline) keep every role visible and
 * themes are told apart by a letter badge.
 */
#ifndef TAMIS_UI_COLOR_H
#define TAMIS_UI_COLOR_H

#include <curses.h>
#include <stdbool.h>

#include "board.h"

enum ui_role {
	ROLE_NORMAL,
	ROLE_LINE,          /* grid lines */
	ROLE_EASY_LINE,     /* the easiest-to-launch zone's border */
	ROLE_EASY_LABEL,    /* "easiest to launch" */
	ROLE_POLE,          /* pole labels */
	ROLE_POLE_EASY,     /* the easy pole of a criterion */
	ROLE_TAB,
	ROLE_TAB_ACTIVE,
	ROLE_TRAY,          /* the tray's header line */
	ROLE_STATUS,
	ROLE_STATUS_ERROR,  /* "not saved" */
	ROLE_HINTS,
	ROLE_HINT_KEY,      /* the key in a hint */
	ROLE_MESSAGE,       /* a transient message */
	ROLE_POPUP,
	ROLE_POPUP_TITLE,
	ROLE_MATCH,         /* a search match (added to the card's attribute) */
	ROLE_DIMMED,        /* not a search match (added) */
	ROLE_SELECTED,      /* the selected card (added) */
	ROLE_COUNT
};

/* Sets the colours up (after newterm()); monochrome when no_color or no colours. */
void ui_color_init(bool no_color);
/* True when themes must be told apart without colours. */
bool ui_color_mono(void);
/* The attribute of a role. */
attr_t ui_color_attr(enum ui_role role);
/* The attribute of a card of the given theme colour (a post-it). */
attr_t ui_color_card(enum hue hue);
/* The attribute of a theme colour as a swatch in the legend. */
attr_t ui_color_swatch(enum hue hue);
/* The attribute of a line bounding a facilitator's zone of that colour. */
attr_t ui_color_zone(enum hue hue);

#endif
