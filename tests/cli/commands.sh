# CLI tests: every command on temporary boards, with its output and exit code.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z

# --- help and version -------------------------------------------------------
out=$($TAMIS --help)
t_match "--help lists the commands" "$out" "^  sieve +FILE"
t_match "--help shows the UI usage" "$out" "Usage: tamis \[--by NAME\]"
t_match "--version" "$($TAMIS --version)" "^tamis [0-9]+\.[0-9]+\.[0-9]+$"
for c in new add move list show check sieve; do
	t_match "$c --help" "$($TAMIS $c --help)" "^Usage: tamis $c "
done
t_exit "no argument is a usage error" 64 $TAMIS
t_exit "unknown option is a usage error" 64 $TAMIS --frobnicate x
t_exit "unknown command is a usage error" 64 $TAMIS frobnicate a b

# --- new -----------------------------------------------------------------------
b=$T/b.yaml
t_ok "new creates a board" $TAMIS new "$b" --title "Atelier du jeudi"
t_match "new writes the title" "$(cat "$b")" "^title: Atelier du jeudi$"
t_ok "the new board is valid" $TAMIS check "$b"
t_eq "new starts with no card" "$($TAMIS list "$b" --format tsv | tail -n +2)" ""
cp "$b" "$T/before"
t_exit "new refuses to overwrite (73)" 73 $TAMIS new "$b"
t_ok "the refused board is unchanged" cmp "$b" "$T/before"
t_eq "new has the sample's frame" \
	"$(python3 - "$b" "$SAMPLE" <<'PY'
import sys, yaml
a, s = (yaml.safe_load(open(p)) for p in sys.argv[1:3])
print(all(a[k] == s[k] for k in ("themes", "criteria", "grids")))
PY
)" "True"

# --- add ---------------------------------------------------------------------
id=$($TAMIS add "$b" "Réception de colis sur le lieu de travail" --theme mobilite \
	--by "Binôme 3" --grid autonomie-frequence --cell 1,2)
t_match "add prints the short id alone" "$id" "^[0-9a-f]{8}$"
id2=$(TAMIS_BY="Binôme 4" $TAMIS add "$b" "Pressing « express » 😀")
t_match "add without placement" "$id2" "^[0-9a-f]{8}$"
t_match "add records who and when" "$(cat "$b")" "by: Binôme 3"
t_match "add records the creation time" "$(cat "$b")" "created: 2019-06-28T10:12:00Z"
t_match "TAMIS_BY names the author" "$($TAMIS show "$b" "$id2")" "^by: +Binôme 4$"
t_match "add defaults to the first theme" "$($TAMIS show "$b" "$id2")" "^theme: +Mobilité \(mobilite\)$"
cp "$b" "$T/before"
t_exit "add with an unknown theme (64)" 64 $TAMIS add "$b" "x" --theme mobilty
t_exit "add with a cell out of range (64)" 64 $TAMIS add "$b" "x" --grid autonomie-frequence --cell 3,1
t_exit "add with --cell alone (64)" 64 $TAMIS add "$b" "x" --cell 1,1
t_exit "add with a malformed cell (64)" 64 $TAMIS add "$b" "x" --grid autonomie-frequence --cell 1-1
t_exit "add with empty text (64)" 64 $TAMIS add "$b" ""
t_exit "add to a missing board (66)" 66 $TAMIS add "$T/missing.yaml" "x"
t_ok "failed adds leave the board unchanged" cmp "$b" "$T/before"
t_match "unknown theme names the themes" "$($TAMIS add "$b" x --theme mobilty 2>&1)" \
	"unknown theme 'mobilty' \(themes: mobilite, "

# --- move --------------------------------------------------------------------
t_ok "move a card to a cell" $TAMIS move "$b" "$id2" --grid frequence-centralisation --cell 2,2
t_match "the move is in the file" "$($TAMIS list "$b" --grid frequence-centralisation)" \
	"^$id2  mobilite +2,2 +Pressing"
t_ok "move a card back to the tray" $TAMIS move "$b" "$id" --grid autonomie-frequence --unplace
t_match "the card is in the tray" "$($TAMIS list "$b" --grid autonomie-frequence)" \
	"^$id  mobilite +- +Réception"
full=$($TAMIS list "$b" --format tsv | awk -F'\t' -v s="$id" 'index($1, s) == 1 {print $1}')
t_ok "a full UUID names a card" $TAMIS move "$b" "$full" --grid autonomie-frequence --cell 2,2
t_ok "a 4-digit prefix names a card" $TAMIS move "$b" "$(echo "$id" | cut -c1-4)" \
	--grid autonomie-frequence --cell 1,1
cp "$b" "$T/before"
t_exit "move needs --grid (64)" 64 $TAMIS move "$b" "$id" --cell 1,1
t_exit "move needs a cell or --unplace (64)" 64 $TAMIS move "$b" "$id" --grid autonomie-frequence
t_exit "move to an unknown grid (64)" 64 $TAMIS move "$b" "$id" --grid nope --cell 1,1
t_exit "move an unknown card (64)" 64 $TAMIS move "$b" ffff --grid autonomie-frequence --cell 1,1
t_exit "a 3-digit prefix is refused (64)" 64 $TAMIS move "$b" abc --grid autonomie-frequence --cell 1,1
t_exit "move outside the grid (64)" 64 $TAMIS move "$b" "$id" --grid autonomie-centralisation --cell 4,1
t_ok "failed moves leave the board unchanged" cmp "$b" "$T/before"

# --- list / show -----------------------------------------------------------------
out=$($TAMIS list "$b")
t_match "list has a header" "$out" "^ID +THEME +autonomie-frequence +autonomie-centralisation +frequence-centralisation +TEXT$"
t_eq "list has one line per card" "$(echo "$out" | wc -l)" "3"
tsv=$($TAMIS list "$b" --format tsv)
t_eq "tsv header" "$(echo "$tsv" | head -1)" \
	"$(printf 'id\ttheme\tby\tcreated\tdecision\tlocked\tautonomie-frequence\tautonomie-centralisation\tfrequence-centralisation\ttext')"
t_match "tsv row" "$tsv" "$(printf '^%s[0-9a-f-]{28}\tmobilite\tBinôme 4\t2019-06-28T10:12:00Z\tundecided\tfalse\t\t\t2,2\tPressing « express » 😀$' "$id2")"
t_exit "list --format yaml with --grid is refused (64)" 64 $TAMIS list "$b" --format yaml --grid autonomie-frequence
t_exit "list with an unknown format (64)" 64 $TAMIS list "$b" --format xml
yaml=$($TAMIS list "$b" --format yaml)
t_match "list --format yaml" "$yaml" "^cards:$"
t_eq "list --format yaml loads in Python" "$(echo "$yaml" | python3 -c 'import sys,yaml; print(len(yaml.safe_load(sys.stdin)["cards"]))')" "2"
out=$($TAMIS show "$b" "$id")
t_match "show gives the full id" "$out" "^id: +$id-"
t_match "show gives the text" "$out" "^text: +Réception de colis sur le lieu de travail$"
t_match "show gives the decision" "$out" "^decision: +undecided$"
t_match "show profiles the card on every grid" "$out" "^  autonomie-frequence +1,1 +Autonomie de l’usager / Exceptionnel$"
t_match "show marks the tray" "$out" "^  frequence-centralisation +tray \(not placed\)$"
t_exit "show an unknown card (64)" 64 $TAMIS show "$b" 0000

# --- check ---------------------------------------------------------------------------
t_eq "check prints nothing on the sample board" "$($TAMIS check "$SAMPLE" 2>&1)" ""
t_ok "check exits 0 on the sample board" $TAMIS check "$SAMPLE"
t_ok "the sample board loads in Python" python3 -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1]))' "$SAMPLE"
printf 'tamis: 1\ntitle: x\nthemes: 3\n' >"$T/bad.yaml"
t_exit "check an invalid board (65)" 65 $TAMIS check "$T/bad.yaml"
t_match "errors name file, line and column" "$($TAMIS check "$T/bad.yaml" 2>&1)" "^$T/bad.yaml:3:[0-9]+: "
t_exit "check a missing board (66)" 66 $TAMIS check "$T/missing.yaml"
t_match "a missing board is named" "$($TAMIS check "$T/missing.yaml" 2>&1)" "cannot open '$T/missing.yaml'"
printf 'tamis: 2\ntitle: x\n' >"$T/v2.yaml"
t_match "an unknown format version is refused" "$($TAMIS check "$T/v2.yaml" 2>&1)" "version"
cp "$T/bad.yaml" "$T/bad.before"
t_exit "add to an invalid board (65)" 65 $TAMIS add "$T/bad.yaml" "x"
t_ok "an invalid board is never written" cmp "$T/bad.yaml" "$T/bad.before"

# --- sieve -------------------------------------------------------------------------------
out=$($TAMIS sieve "$SAMPLE")
t_match "sieve has a header" "$out" "^RANK +SCORE +ID"
t_match "sieve ranks from 1" "$(echo "$out" | sed -n 2p)" "^ +1  3/3"
t_match "sieve marks easy-zone hits" "$(echo "$out" | sed -n 2p)" "[0-9],[0-9]\*"
t_eq "sieve lists every card" "$(echo "$out" | tail -n +2 | wc -l)" \
	"$($TAMIS list "$SAMPLE" --format tsv | tail -n +2 | wc -l)"
tsv=$($TAMIS sieve "$SAMPLE" --format tsv)
t_eq "sieve tsv is sorted by rank" \
	"$(echo "$tsv" | tail -n +2 | awk -F'\t' '{print $1}' | sort -n | tr '\n' ' ')" \
	"$(echo "$tsv" | tail -n +2 | awk -F'\t' '{print $1}' | tr '\n' ' ')"
t_eq "sieve hits never increase down the ranking" \
	"$(echo "$tsv" | tail -n +2 | awk -F'\t' '$3 > 0 { if (prev != "" && $2 > prev) bad=1; prev=$2 } END {print bad+0}')" "0"
t_eq "unplaced cards rank last" \
	"$(echo "$tsv" | tail -n +2 | awk -F'\t' '{ if ($3 == 0) seen=1; else if (seen) bad=1 } END {print bad+0}')" "0"
t_exit "sieve --format yaml is refused (64)" 64 $TAMIS sieve "$SAMPLE" --format yaml
