# The French catalog (po/fr.po): under LC_ALL=fr_FR.UTF-8 the board, its help
# screen, 'tamis --help' and the report speak French; under C.UTF-8, English.
# tests/run.sh exports TAMIS_LOCALEDIR, where make compiled the catalogs.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"
FR=fr_FR.UTF-8

t_match "the fr_FR.UTF-8 locale is installed" "$(locale -a 2>/dev/null)" '^fr_FR\.utf-?8$'
t_ok "the French catalog is built" test -f "${TAMIS_LOCALEDIR:-}/fr/LC_MESSAGES/tamis.mo"

b=$T/atelier.yaml
cp "$TUI_DATA/atelier.yaml" "$b"

# One run per language: the board, then the help screen.
for lang in fr en; do
	case $lang in fr) loc=$FR ;; *) loc=C.UTF-8 ;; esac
	tui_script "$b" 80x24 LC_ALL="$loc" >"$T/$lang.txt" <<'SCRIPT'
:dump
?
:dump
SCRIPT
	sed -n 1,24p "$T/$lang.txt" >"$T/$lang-board.txt"
	sed -n 25,48p "$T/$lang.txt" >"$T/$lang-help.txt"
done

board=$(cat "$T/fr-board.txt")
t_match "fr: the easy zone is labelled in French" "$board" "╠═+ ★ plus facile à lancer ═+╬"
t_match "fr: the tray says how many cards are not placed" "$board" "Bac \(2\) : cartes non placées"
t_match "fr: the legend is in French" "$board" "^Thèmes : "
t_match "fr: the status bar counts in French" "$(sed -n 23p "$T/fr-board.txt")" \
	"Atelier du jeudi .*│ (grille )?1/2 │ 4 (sur la|en) grille · 2 au bac · 2 (en zone facile|★) │"
t_match "fr: the key hints are in French" "$(sed -n 24p "$T/fr-board.txt")" \
	"^←↓↑→ choisir  Enter prendre  Tab grille  a ajouter  e modifier"
t_eq "fr: the board fits 80 columns and stays aligned" "$(tui_widths_ok "$T/fr-board.txt" 80)" ok
help=$(cat "$T/fr-help.txt")
t_match "fr: the help screen is titled in French" "$help" "┌─ Touches ─"
t_match "fr: the help screen describes the keys in French" "$help" \
	"│ Tab S-Tab +grille suivante / précédente +│"
t_match "fr: the help screen's footnote is in French" "$help" "│ Tout est enregistré aussitôt"
t_eq "fr: the help screen fits 80 columns" "$(tui_widths_ok "$T/fr-help.txt" 80)" ok

board=$(cat "$T/en-board.txt")
t_match "C: the easy zone is labelled in English" "$board" "╠═+ ★ easiest to launch ═+╬"
t_match "C: the tray is in English" "$board" "Tray: 2 not placed on this grid"
t_match "C: the status bar is in English" "$(sed -n 23p "$T/en-board.txt")" \
	"Atelier du jeudi .*│ (grid )?1/2 │ 4 placed · 2 (in )?tray · 2 (in )?easy( zone)? │"
t_match "C: the key hints are in English" "$(sed -n 24p "$T/en-board.txt")" "^←↓↑→ select  Enter pick up  Tab grid"
help=$(cat "$T/en-help.txt")
t_match "C: the help screen is titled in English" "$help" "┌─ Keys ─"
t_match "C: the help screen describes the keys in English" "$help" \
	"│ Tab S-Tab +next / previous grid +│"

# The command line.
out=$(LC_ALL=$FR "$TAMIS" --help 2>&1)
t_match "fr: tamis --help is in French" "$out" "^Ouvre le tableau FILE en plein écran dans le terminal"
t_match "fr: tamis --help describes the commands in French" "$out" \
	"^ +Rédige le rapport de l’atelier"
t_match "fr: tamis --help keeps the command names" "$out" "^  report    FILE \[-o OUT \[--force\]\] \[--format md\|csv\]$"
out=$(LC_ALL=C.UTF-8 "$TAMIS" --help 2>&1)
t_match "C: tamis --help is in English" "$out" "^Open FILE, a board, full-screen in the terminal"

# The report (Markdown).
LC_ALL=$FR "$TAMIS" report "$SAMPLE" >"$T/fr.md" 2>&1
out=$(grep '^#' "$T/fr.md")
t_match "fr: the report's intro is in French" "$(cat "$T/fr.md")" "^Rapport de l’atelier du [0-9]{4}-[0-9]{2}-[0-9]{2}\.$"
t_match "fr: the report's headings are in French" "$(printf '%s\n' "$out" | tr '\n' '|')" \
	"## Critères\|## Grilles\|.*## Journal des décisions \([0-9]+\)\|## Liste V1 \([0-9]+\)\|## Carnet de recommandations V2 \([0-9]+\)\|.*## Ailleurs \([0-9]+\)\|## Cartes débattues \([0-9]+\)\|## Cartes non placées \([0-9]+\)\|## Reste à décider \([0-9]+\)"
t_match "fr: the report's tables are in French" "$(cat "$T/fr.md")" \
	"^\| Critère \| Pôle bas \| Pôle haut \| Plus facile à lancer \|$"
LC_ALL=C.UTF-8 "$TAMIS" report "$SAMPLE" >"$T/en.md" 2>&1
out=$(grep '^#' "$T/en.md")
t_match "C: the report's headings are in English" "$(printf '%s\n' "$out" | tr '\n' '|')" \
	"## Criteria\|## Grids\|.*## Decision log \([0-9]+\)\|## V1 list \([0-9]+\)\|## V2 recommendations notebook \([0-9]+\)\|.*## Elsewhere \([0-9]+\)\|## Debated cards \([0-9]+\)\|## Unplaced cards \([0-9]+\)\|## Still to decide \([0-9]+\)"
t_match "C: the report's intro is in English" "$(cat "$T/en.md")" "^Workshop report of [0-9-]+\.$"
# Values that programs read stay as they are.
LC_ALL=$FR "$TAMIS" report --format csv "$SAMPLE" >"$T/fr.csv" 2>&1
LC_ALL=C.UTF-8 "$TAMIS" report --format csv "$SAMPLE" >"$T/en.csv" 2>&1
t_ok "the CSV report is the same in both languages" cmp "$T/fr.csv" "$T/en.csv"

# --- from the build tree, with LANG alone (issue 19) ---------------------------------
# The built binary finds the catalogues compiled beside it ($(O)/locale): no
# TAMIS_LOCALEDIR, no LC_ALL, only what a newcomer's session sets. In tmux,
# as it shows.
nolocale="env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u TAMIS_LOCALEDIR"
TAMIS_WRAP="$nolocale ${TAMIS_WRAP:-}" tui_start 80 24 LANG=$FR "$b"
t_ok "LANG=fr_FR.UTF-8 alone: the board speaks French" tui_wait "Bac \(2\) : cartes non placées"
t_match "its key hints too" "$(tui_capture | tail -1)" "^←↓↑→ choisir  Enter prendre"
tui_keys q
t_ok "and it quits" tui_exit_is 0
out=$($nolocale LANG=$FR "$TAMIS" --help 2>&1)
t_match "LANG=fr_FR.UTF-8 alone: tamis --help is in French" "$out" \
	"^Ouvre le tableau FILE en plein écran dans le terminal"
# $TAMIS_LOCALEDIR still wins over the build tree's catalogues.
mkdir "$T/no-catalogues"
out=$(env -u LC_ALL LANG=$FR TAMIS_LOCALEDIR="$T/no-catalogues" "$TAMIS" --help 2>&1)
t_match "TAMIS_LOCALEDIR wins: without catalogues there, English" "$out" \
	"^Open FILE, a board, full-screen in the terminal"

# --- a board's 'lang:' when the session names no language (issue 19) ----------------
# LANG unset (a container, or ssh without SendEnv): the board's language.
fr_board=$T/lang-fr.yaml
sed 's/^title: \(.*\)$/title: \1\nlang: fr/' "$b" >"$fr_board"
t_match "the board says lang: fr" "$(grep -n '^lang:' "$fr_board")" "^[0-9]+:lang: fr$"
nolang="env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u LANG"
TAMIS_WRAP="$nolang ${TAMIS_WRAP:-}" tui_start 80 24 "$fr_board"
t_ok "LANG unset, lang: fr: the board speaks French" tui_wait "Bac \(2\) : cartes non placées"
t_match "its key hints too" "$(tui_capture | tail -1)" "^←↓↑→ choisir  Enter prendre"
tui_keys q
t_ok "and it quits" tui_exit_is 0
tui_script "$fr_board" 80x24 LC_ALL=C.UTF-8 LANGUAGE= >"$T/cutf8.txt" <<'SCRIPT'
:dump
SCRIPT
t_match "LC_ALL=C.UTF-8 is a choice, English" "$(cat "$T/cutf8.txt")" \
	"Tray: 2 not placed on this grid"
# A language the user asked for wins over the board's.
sed 's/^lang: fr$/lang: en/' "$fr_board" >"$T/lang-en.yaml"
tui_script "$T/lang-en.yaml" 80x24 LC_ALL=$FR >"$T/fr-en.txt" <<'SCRIPT'
:dump
SCRIPT
t_match "LC_ALL=fr_FR.UTF-8 with lang: en: the user's French" "$(cat "$T/fr-en.txt")" \
	"Bac \(2\) : cartes non placées"
tui_script "$fr_board" 80x24 LC_ALL=C LANGUAGE=en >"$T/language.txt" <<'SCRIPT'
:dump
SCRIPT
t_match "LANGUAGE set: the board's language is not imposed" "$(cat "$T/language.txt")" \
	"Tray: 2 not placed on this grid"
