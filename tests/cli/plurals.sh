# CLI tests: counts are said through ngettext, in English and in French, for
# one and for two (French uses the singular for 0 and 1).
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z
fr() { LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 "$@"; }
nb=$(printf '\302\240') # French puts a no-break space before ':'


b1=$T/one.yaml b2=$T/two.yaml
$TAMIS new "$b1" >/dev/null
$TAMIS new "$b2" >/dev/null
printf 'Navette\nnavette\n' >"$T/one.txt"
printf 'Navette\nnavette\nCrèche\ncrèche\n' >"$T/two.txt"

# --- import: cards added and skipped ------------------------------------------
t_eq "import, 1: English" "$($TAMIS import "$b1" "$T/one.txt" | head -1)" \
	"added 1 card, skipped 1"
t_eq "import, 2: English" "$($TAMIS import "$b2" "$T/two.txt" | head -1)" \
	"added 2 cards, skipped 2"
cp "$T/one.txt" "$T/un.txt"
$TAMIS new "$T/un.yaml" >/dev/null
$TAMIS new "$T/deux.yaml" >/dev/null
t_eq "import, 1: French" "$(fr $TAMIS import "$T/un.yaml" "$T/one.txt" | head -1)" \
	"1 carte ajoutée, 1 ignorée"
t_eq "import, 2: French" "$(fr $TAMIS import "$T/deux.yaml" "$T/two.txt" | head -1)" \
	"2 cartes ajoutées, 2 ignorées"

# --- deal: cards to pairs -----------------------------------------------------
cp "$b1" "$T/d1.yaml"
cp "$b2" "$T/d2.yaml"
t_eq "deal, 1 card to 1 pair: English" "$($TAMIS deal "$b1" --pairs "A")" "dealt 1 card to 1 pair"
t_eq "deal, 2 cards to 2 pairs: English" "$($TAMIS deal "$b2" --pairs "A,B")" \
	"dealt 2 cards to 2 pairs"
t_eq "deal, 1 card to 1 pair: French" "$(fr $TAMIS deal "$T/d1.yaml" --pairs "A")" \
	"1 carte distribuée à 1 binôme"
t_eq "deal, 2 cards to 2 pairs: French" "$(fr $TAMIS deal "$T/d2.yaml" --pairs "A,B")" \
	"2 cartes distribuées à 2 binômes"

# --- merge: new, matched, debated ---------------------------------------------
$TAMIS new "$T/e.yaml" >/dev/null
t_eq "merge, 1 new card: English" "$($TAMIS merge "$T/m1.yaml" "$T/e.yaml" "$b1" | head -1)" \
	"$b1: 1 new card, 0 matched, 0 now debated"
t_eq "merge, 2 new cards, 2 boards: English" \
	"$($TAMIS merge "$T/m2.yaml" "$T/e.yaml" "$b2" | tail -1)" \
	"merged 2 boards into $T/m2.yaml: 2 cards, 0 debated"
t_eq "merge, 1 new card: French" "$(fr $TAMIS merge "$T/m3.yaml" "$T/e.yaml" "$b1" | head -1)" \
	"$b1${nb}: 1 nouvelle carte, 0 déjà présente, 0 désormais débattue"
t_eq "merge, 2 matched: French" "$(fr $TAMIS merge "$T/m4.yaml" "$b2" "$T/d2.yaml" | head -1)" \
	"$T/d2.yaml${nb}: 0 nouvelle carte, 2 déjà présentes, 0 désormais débattue"
t_eq "merge, 2 cards, 2 boards: French" "$(fr $TAMIS merge "$T/m5.yaml" "$T/e.yaml" "$b2" | tail -1)" \
	"2 tableaux fusionnés dans $T/m5.yaml${nb}: 2 cartes, 0 débattue"

# --- errors that name a limit --------------------------------------------------
t_match "a short card prefix: English" "$($TAMIS show "$b1" ab 2>&1)" "give at least 4 hex digits"
t_match "a short card prefix: French" "$(fr $TAMIS show "$b1" ab 2>&1)" \
	"donnez au moins 4 chiffres hexadécimaux"
