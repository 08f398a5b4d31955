/*
 * i18n.h - gettext-style translation of UI strings.
 *
 * Every string shown to users goes through _() so it can be translated;
 * N_() marks a string for extraction where it must stay untranslated until
 * used (tables). English is the source language.
 */
#ifndef TAMIS_I18N_H
#define TAMIS_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * Binds the "tamis" text domain (call after setlocale()). The catalogues are
 * looked for in $TAMIS_LOCALEDIR when set, else beside the binary when it
 * runs from the build tree (TAMIS_BUILD_LOCALEDIR, relative to the binary's
 * own directory, /proc/self/exe), else in the install's TAMIS_LOCALEDIR.
 */
void i18n_init(void);

/*
 * Speaks lang (a board's 'lang:', such as "fr") when the user's locale names
 * no language for messages (C or POSIX, as when LANG is unset, or not sent
 * over ssh) and LANGUAGE is not set either. C.UTF-8 is a choice (English in
 * UTF-8), as the tests make it. True when it did. Call after
 * i18n_init(), before the first message of the UI.
 */
bool i18n_fallback(const char *lang);

#endif
