/*
 * ui_keys.h - the keys in effect on the terminal board: the defaults, or
 * those of the key file (keymap.h), set once before the UI starts. Screens
 * ask which action an event is a key of, and the hints line and the help
 * say the keys in effect through templates: "{help}" is every key of the
 * help action ("?"), "{pick-up:1}" its first only ("Enter"), and
 * "{move-left|move-down|move-up|move-right}" the keys of several actions
 * side by side ("←↓↑→ h j k l"; arrows are written together).
 */
#ifndef TAMIS_UI_KEYS_H
#define TAMIS_UI_KEYS_H

#include <stdbool.h>

#include "keymap.h"
#include "strbuf.h"
#include "ui_input.h"

/* The keys in effect from now on (copied); the defaults until then. */
void ui_keys_set(const struct keymap *km);
/* True when ev is a key of action a (a typed key: never one in a paste). */
bool ui_keys_is(const struct ui_event *ev, enum keymap_action a);
/* The action ev is a key of, or -1. */
int ui_keys_action(const struct ui_event *ev);
/* Appends tmpl with its {...} replaced by the keys in effect (see above). */
void ui_keys_expand(const char *tmpl, struct strbuf *out);

#endif
