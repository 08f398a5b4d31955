#include "i18n.h"

#include <stdlib.h>

void i18n_init(void)
{
	/* $TAMIS_LOCALEDIR lets an uninstalled build find its catalogs. */
	const char *dir = getenv("TAMIS_LOCALEDIR");

	bindtextdomain("tamis", dir && *dir ? dir : TAMIS_LOCALEDIR);
	bind_textdomain_codeset("tamis", "UTF-8");
	textdomain("tamis");
}
