# CLI tests for the facilitation commands: import, deal, report, merge, list --debated.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T14:00:00Z

b=$T/b.yaml
$TAMIS new "$b" --title "Atelier" >/dev/null

# --- import ------------------------------------------------------------------
printf '\357\273\277Mobilité: Covoiturage entre collègues\r\nThème : Idée «nouvelle»\r\n\r\nSans thème du tout\r\n' >"$T/ideas.txt"
out=$($TAMIS import "$b" "$T/ideas.txt" --by Animation)
t_match "import says how many cards were added" "$out" "^added 3 cards"
t_match "import creates unknown themes" "$out" "created theme 'Thème' \(theme, "
t_eq "the imported cards are on the board" "$($TAMIS list "$b" --format tsv | tail -n +2 | wc -l)" "3"
t_match "a 'Theme: text' prefix picks an existing theme" "$($TAMIS list "$b" --format tsv)" \
	"$(printf '\tmobilite\tAnimation\t2019-06-28T14:00:00Z\tundecided\tfalse\t\t\t\tCovoiturage entre collègues')"
out=$($TAMIS import "$b" "$T/ideas.txt")
t_match "importing again skips duplicates and says why" "$out" "already on the board"
t_eq "no duplicate was added" "$($TAMIS list "$b" --format tsv | tail -n +2 | wc -l)" "3"
printf 'text;theme;by\n"Prêt de vélos; électriques";Mobilité;Binôme 2\n"Une ""citation""";;\n' >"$T/ideas.csv"
t_ok "import reads CSV with quoting and ';'" $TAMIS import "$b" "$T/ideas.csv"
t_match "CSV fields arrive whole" "$($TAMIS list "$b" --format tsv)" "Binôme 2.*Prêt de vélos; électriques"
t_match "CSV doubled quotes arrive as one" "$($TAMIS list "$b" --format tsv)" 'Une "citation"'
printf 'idea,theme\n"unterminated\n' >"$T/bad.csv"
cp "$b" "$T/before"
t_exit "a CSV without a text column is refused (65)" 65 $TAMIS import "$b" "$T/bad.csv"
t_match "import errors name the file and line" "$($TAMIS import "$b" "$T/bad.csv" 2>&1)" "^$T/bad.csv:1:"
t_ok "a refused import leaves the board unchanged" cmp "$b" "$T/before"
t_exit "importing a missing file (66)" 66 $TAMIS import "$b" "$T/none.txt"

# --- deal --------------------------------------------------------------------------
out=$($TAMIS deal "$b" --pairs "Binôme 1, Binôme 2")
t_eq "deal says what it dealt" "$out" "dealt 5 cards to 2 pairs"
t_eq "each pair gets its share" \
	"$($TAMIS list "$b" --format yaml | grep -c 'pair: Binôme 1') $($TAMIS list "$b" --format yaml | grep -c 'pair: Binôme 2')" "3 2"
t_eq "dealing again deals nothing new" "$($TAMIS deal "$b" --pairs "A,B")" "dealt 0 cards to 2 pairs"
t_exit "deal needs --pairs (64)" 64 $TAMIS deal "$b"
t_exit "deal refuses an empty pair name (64)" 64 $TAMIS deal "$b" --pairs "A,,B"

# --- moves by two people make a card debated ------------------------------------
id=$($TAMIS list "$b" --format tsv | sed -n 2p | cut -c1-8)
$TAMIS move "$b" "$id" --grid autonomie-frequence --cell 1,1 --by "Binôme 1"
$TAMIS move "$b" "$id" --grid autonomie-frequence --cell 2,2 --by "Binôme 2"
t_eq "not debated after one crossing" "$($TAMIS list "$b" --debated --format tsv | tail -n +2 | wc -l)" "0"
$TAMIS move "$b" "$id" --grid autonomie-frequence --cell 1,2 --by "Binôme 1"
out=$($TAMIS list "$b" --debated)
t_match "list --debated lists the card" "$out" "^$id "
t_match "list --debated shows its moves" "$out" "Binôme 2  autonomie-frequence 1,1 → 2,2"
t_match "a first placement comes from the tray" "$out" "Binôme 1  autonomie-frequence tray → 1,1"
t_match "moves are kept in the file's history" "$(cat "$b")" "event: moved, grid: autonomie-frequence, from: \[2, 2\], to: \[1, 2\]"

# --- report ---------------------------------------------------------------------------
out=$($TAMIS report "$b")
t_match "the report has the title" "$out" "^# Atelier"
t_match "the report has the V1 list" "$out" "^## V1 list"
t_match "the report lists debated cards" "$out" "^## Debated cards"
t_match "the report gives a debated card's moves" "$out" \
	"^  - [0-9T:-]+Z, Binôme 2: autonomie-frequence 1,1 → 2,2$"
t_match "the report's moves name the tray" "$out" \
	"^  - [0-9T:-]+Z, Binôme 1: autonomie-frequence tray → 1,1$"
t_ok "report -o writes a file" $TAMIS report "$b" -o "$T/report.md"
t_ok "the report file exists" test -s "$T/report.md"
t_eq "report --format csv has one row per card plus a header" \
	"$($TAMIS report "$b" --format csv | grep -c "$(printf '\r')\$")" "$($TAMIS list "$b" --format tsv | wc -l)"
t_exit "report with an unknown format (64)" 64 $TAMIS report "$b" --format pdf
fr=$(LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 $TAMIS report "$b")
t_match "the report is in French under a French locale" "$fr" "^## Liste V1"

# --- merge ----------------------------------------------------------------------------
cp "$SAMPLE" "$T/a.yaml"
cp "$SAMPLE" "$T/c.yaml"
cid=$($TAMIS list "$T/c.yaml" --format tsv | sed -n 2p | cut -c1-8)
$TAMIS move "$T/c.yaml" "$cid" --grid autonomie-frequence --cell 1,1 --by "Table 2"
$TAMIS add "$T/c.yaml" "Idée de la table 2" >/dev/null
out=$($TAMIS merge "$T/m.yaml" "$T/a.yaml" "$T/c.yaml")
t_match "merge reports what it merged" "$out" "c.yaml: 1 new card, 49 matched, 1 now debated"
t_ok "the merged board is valid" $TAMIS check "$T/m.yaml"
t_eq "the merged board holds every card" "$($TAMIS list "$T/m.yaml" --format tsv | tail -n +2 | wc -l)" "50"
t_match "the conflicting card is debated" "$($TAMIS list "$T/m.yaml" --debated)" "^$cid "
t_eq "the first file's placement wins" \
	"$($TAMIS list "$T/m.yaml" --format tsv | grep "^$cid" | cut -f7)" \
	"$($TAMIS list "$T/a.yaml" --format tsv | grep "^$cid" | cut -f7)"
t_ok "identical boards merge" $TAMIS merge "$T/same.yaml" "$T/a.yaml" "$SAMPLE"
t_eq "merging identical boards debates nothing" "$($TAMIS list "$T/same.yaml" --debated --format tsv | tail -n +2 | wc -l)" "0"
t_exit "merge never overwrites (73)" 73 $TAMIS merge "$T/m.yaml" "$T/a.yaml" "$T/c.yaml"
sed 's/    color: green/    color: red/' "$SAMPLE" >"$T/clash.yaml"
t_exit "clashing themes are refused (65)" 65 $TAMIS merge "$T/x.yaml" "$T/a.yaml" "$T/clash.yaml"
# The lines of the theme's id in the sample.
l=$(grep -n '^  - id: mobilite$' "$SAMPLE" | cut -d: -f1)
t_match "a clash names both files and lines" "$($TAMIS merge "$T/x.yaml" "$T/a.yaml" "$T/clash.yaml" 2>&1)" \
	"^$T/clash.yaml:$l:[0-9]+: theme 'mobilite' clashes with its definition in $T/a.yaml:$l"
t_fail "nothing is written on a clash" test -e "$T/x.yaml"
