/*
 * ui_screen.c - the screen table and the stack of open screens (see
 * ui_screen.h). The core calls the screens only through their operations,
 * from here; nothing here calls another UI module.
 */
#include "ui_screen.h"

#include <stdlib.h>

#include "ui_int.h"
#include "xmalloc.h"

static const struct ui_screen_ops *const ui_screen_table[UI_SCREEN_COUNT] = {
#define UI_SCREEN_ENTRY(id, name) [UI_SCREEN_##id] = &ui_##name##_screen,
	UI_SCREENS(UI_SCREEN_ENTRY)
#undef UI_SCREEN_ENTRY
};

static const struct ui_screen_ops *ui_screen_ops_at(const struct ui *ui, int level)
{
	return ui_screen_table[ui->screens[level]];
}

static void *ui_screen_state_at(struct ui *ui, int level)
{
	return ui->screen_state[ui->screens[level]];
}

void ui_screen_init(struct ui *ui)
{
	size_t i;

	for (i = 0; i < UI_SCREEN_COUNT; i++) {
		const struct ui_screen_ops *ops = ui_screen_table[i];

		ui->screen_state[i] = xcalloc(1, ops->state_size ? ops->state_size : 1);
		if (ops->init)
			ops->init(ui, ui->screen_state[i]);
	}
	ui->screens[0] = UI_SCREEN_BOARD;
	ui->nscreens = 1;
	if (ui_screen_table[UI_SCREEN_BOARD]->open)
		ui_screen_table[UI_SCREEN_BOARD]->open(ui, ui->screen_state[UI_SCREEN_BOARD], NULL);
}

void ui_screen_release(struct ui *ui)
{
	size_t i;

	for (i = 0; i < UI_SCREEN_COUNT; i++) {
		if (!ui->screen_state[i])
			continue;
		if (ui_screen_table[i]->release)
			ui_screen_table[i]->release(ui->screen_state[i]);
		free(ui->screen_state[i]);
		ui->screen_state[i] = NULL;
	}
	ui->nscreens = 0;
}

enum ui_screen_id ui_screen_top(const struct ui *ui)
{
	return ui->screens[ui->nscreens - 1];
}

bool ui_screen_open(struct ui *ui, enum ui_screen_id id, const void *arg)
{
	const struct ui_screen_ops *ops = ui_screen_table[id];

	if (ui->nscreens >= UI_SCREEN_DEPTH)
		return false;
	if (ops->open && !ops->open(ui, ui->screen_state[id], arg))
		return false;
	ui->screens[ui->nscreens++] = id;
	return true;
}

void ui_screen_close(struct ui *ui)
{
	int level = ui->nscreens - 1;
	const struct ui_screen_ops *ops;

	if (level < 1)
		return;
	ops = ui_screen_ops_at(ui, level);
	ui->nscreens--;
	if (ops->close)
		ops->close(ui, ui->screen_state[ui->screens[level]]);
}

void ui_screen_event(struct ui *ui, const struct ui_event *ev)
{
	int level = ui->nscreens - 1;

	ui_screen_ops_at(ui, level)->event(ui, ui_screen_state_at(ui, level), ev);
}

void ui_screen_event_under(struct ui *ui, const struct ui_event *ev)
{
	int level = ui->nscreens - 2;

	if (level >= 0)
		ui_screen_ops_at(ui, level)->event(ui, ui_screen_state_at(ui, level), ev);
}

enum ui_screen_id ui_screen_under(const struct ui *ui)
{
	int level = (ui->screen_drawing > 0 ? ui->screen_drawing : ui->nscreens - 1) - 1;

	return level >= 0 ? ui->screens[level] : UI_SCREEN_BOARD;
}

/* Draws the screen at level, as the one being drawn (for ui_screen_draw_under()). */
static bool ui_screen_draw_at(struct ui *ui, int level, struct ui_cursor *cursor)
{
	int was = ui->screen_drawing;
	bool drawn;

	ui->screen_drawing = level;
	drawn = ui_screen_ops_at(ui, level)->draw(ui, ui_screen_state_at(ui, level), cursor);
	ui->screen_drawing = was;
	return drawn;
}

void ui_screen_draw(struct ui *ui, struct ui_cursor *cursor)
{
	ui_screen_draw_at(ui, ui->nscreens - 1, cursor);
}

bool ui_screen_draw_under(struct ui *ui, struct ui_cursor *cursor)
{
	return ui->screen_drawing < 1 || ui_screen_draw_at(ui, ui->screen_drawing - 1, cursor);
}

const struct ui_hint *ui_screen_keys(const struct ui *ui)
{
	return ui_screen_ops_at(ui, ui->nscreens - 1)->keys;
}

void ui_screen_hints(struct ui *ui, int y, int x)
{
	int level = ui->nscreens - 1;
	const struct ui_screen_ops *ops = ui_screen_ops_at(ui, level);

	if (ops->hints)
		ops->hints(ui, ui_screen_state_at(ui, level), y, x);
}

unsigned ui_screen_flags(const struct ui *ui)
{
	int level = ui->nscreens - 1;
	const struct ui_screen_ops *ops = ui_screen_ops_at(ui, level);

	return ops->step_flags ? ops->step_flags(ui, ui->screen_state[ui->screens[level]]) : ops->flags;
}

void ui_screen_sync(struct ui *ui)
{
	int level;

	for (level = 0; level < ui->nscreens; level++)
		if (ui_screen_ops_at(ui, level)->sync)
			ui_screen_ops_at(ui, level)->sync(ui, ui_screen_state_at(ui, level));
}

void ui_screen_changed(struct ui *ui)
{
	int level;

	/* A screen may close itself (and those over it): look at the stack again. */
	for (level = ui->nscreens - 1; level >= 0; level--)
		if (level < ui->nscreens && ui_screen_ops_at(ui, level)->changed)
			ui_screen_ops_at(ui, level)->changed(ui, ui_screen_state_at(ui, level));
}

void ui_screen_rescue(struct ui *ui)
{
	int level = ui->nscreens - 1;
	const struct ui_screen_ops *ops = ui_screen_ops_at(ui, level);

	if (ops->rescue)
		ops->rescue(ui, ui_screen_state_at(ui, level));
}
