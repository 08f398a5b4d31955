#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

/*
 * The catalogues beside the running binary when it runs from the build tree
 * (TAMIS_BUILD_LOCALEDIR, relative to the binary's directory), or NULL when
 * there are none there (an installed binary). The caller frees.
 */
static char *i18n_build_localedir(void)
{
	struct strbuf dir = STRBUF_INIT;
	char exe[PATH_MAX], *slash;
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe));

	if (n <= 0 || (size_t)n >= sizeof(exe))
		return NULL;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	slash[1] = '\0';
	strbuf_addf(&dir, "%s%s", exe, TAMIS_BUILD_LOCALEDIR);
	if (stat(dir.buf, &st) == 0 && S_ISDIR(st.st_mode))
		return strbuf_detach(&dir, NULL);
	strbuf_release(&dir);
	return NULL;
}

void i18n_init(void)
{
	/* $TAMIS_LOCALEDIR first, then the build tree's, then the installed ones. */
	const char *env = getenv("TAMIS_LOCALEDIR");
	char *built = env && *env ? NULL : i18n_build_localedir();

	bindtextdomain("tamis", env && *env ? env : built ? built : TAMIS_LOCALEDIR);
	bind_textdomain_codeset("tamis", "UTF-8");
	textdomain("tamis");
	free(built);
}

bool i18n_fallback(const char *lang)
{
	const char *cur = setlocale(LC_MESSAGES, NULL), *language = getenv("LANGUAGE");

	if (!lang || !*lang || (language && *language) || !cur ||
	    (strcmp(cur, "C") && strcmp(cur, "POSIX")))
		return false;
	/* gettext ignores LANGUAGE in the C locale, but not in C.UTF-8. */
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		return false;
	setenv("LANGUAGE", lang, 1);
	textdomain("tamis");
	return true;
}
