# CLI tests: the man page in French (po/man/fr.po, po4a) builds, translates
# every paragraph of the English one as it is now (po4a's threshold at
# 100%: a paragraph added or changed in docs/tamis.1 and not yet translated
# stops the build), renders without a warning, has every section's title in
# French, and is installed where 'man -L fr tamis' finds it.
. "$TAMIS_TOP/tests/lib.sh"
o=$(dirname "$TAMIS")
[ "$o" = "$TAMIS_TOP" ] && o=build
fr=$TAMIS_TOP/$o/man/fr/tamis.1
case $o in /*) fr=$o/man/fr/tamis.1 ;; esac

t_ok "make man builds the French page" make -s -C "$TAMIS_TOP" man O="$o"
t_ok "it is there" test -s "$fr"
stats=$(msgfmt --check --statistics -o /dev/null "$TAMIS_TOP/po/man/fr.po" 2>&1)
t_match "po/man/fr.po: every message translated, none fuzzy" "$stats" \
	"^[0-9]+ translated messages\.$"

# A paragraph of docs/tamis.1 that fr.po lacks stops the build.
mkdir -p "$T/top/docs" "$T/top/po/man" "$T/out"
cp "$TAMIS_TOP/docs/tamis.1" "$T/top/docs/"
cp "$TAMIS_TOP/po/man/fr.po" "$TAMIS_TOP/po/man/po4a.cfg" "$T/top/po/man/"
printf '.PP\nA paragraph nobody translated yet.\n' >>"$T/top/docs/tamis.1"
(cd "$T/top" && po4a --no-update --destdir "$T/out" po/man/po4a.cfg >"$T/po4a.log" 2>&1)
t_fail "a new English paragraph not yet translated: no French page" test -s "$T/out/man/fr/tamis.1"
t_match "po4a says why" "$(cat "$T/po4a.log")" "need 100%"

out=$(LC_ALL=fr_FR.UTF-8 MANWIDTH=80 man --warnings -l "$fr" 2>"$T/man.err")
t_eq "man -l renders it without a warning" "$(cat "$T/man.err")" ""
t_match "in French" "$out" "^ +tamis +- +un +tableau +de +post-it"
t_match "its synopsis" "$out" "^ +tamis \[--by NOM\] \[--facilitator\] FICHIER$"
t_match "add's duplicates, in French" "$out" "Un texte déjà sur le tableau est"

# Every section's title translated (SYNOPSIS, DESCRIPTION and OPTIONS are
# French words too): as many sections, none left in English.
en_sh=$(sed -n 's/^\.SH //p' "$TAMIS_TOP/docs/tamis.1" | tr -d '"')
fr_sh=$(sed -n 's/^\.SH //p' "$fr" | tr -d '"')
t_eq "as many sections in French as in English" "$(echo "$fr_sh" | wc -l)" "$(echo "$en_sh" | wc -l)"
left=$(echo "$fr_sh" | grep -xF "$(echo "$en_sh" | grep -vxE 'SYNOPSIS|DESCRIPTION|OPTIONS')")
t_eq "no section title left in English" "$left" ""
for s in NOM COMMANDES TEXTES TOUCHES COMPLÈTEMENT ENVIRONNEMENT "CODE DE RETOUR" FICHIERS "VOIR AUSSI"; do
	t_match "section $s" "$out" "^$s$"
done

# make install, then man -L fr.
make -s -C "$TAMIS_TOP" install PREFIX=/usr DESTDIR="$T/root" O="$o" >"$T/install.log" 2>&1
t_ok "make install puts it in share/man/fr/man1" cmp "$fr" "$T/root/usr/share/man/fr/man1/tamis.1"
t_match "man -L fr tamis shows it" \
	"$(MANPATH=$T/root/usr/share/man MANWIDTH=80 man -L fr tamis 2>&1 | head -1)" \
	"^TAMIS\(1\) +Commandes de l’utilisateur +TAMIS\(1\)$"
t_match "man tamis, the English one" \
	"$(LC_ALL=C.UTF-8 MANPATH=$T/root/usr/share/man MANWIDTH=80 man tamis 2>&1 | head -1)" \
	"^TAMIS\(1\) +User Commands +TAMIS\(1\)$"
