/*
 * ui_board.h - the board screen's own drawing (ui_board_draw.c), apart from
 * its keys and mouse (ui_board.c): private to these two files.
 */
#ifndef TAMIS_UI_BOARD_H
#define TAMIS_UI_BOARD_H

#include <stdbool.h>

struct ui;

/*
 * Draws the board: tabs, grid, tray, legend, status bar and hints line.
 * Returns false, having said "terminal too small", when the grid cannot fit.
 */
bool ui_board_draw(struct ui *ui);

#endif
