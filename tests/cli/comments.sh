# CLI tests for the comments of a board prepared by hand (tests/data/commented.yaml):
# through add, move, compact (with and without a live journal), merge, and an
# edit and a deletion in the terminal board (headless), every comment stays
# where it was, but those of the deleted card, and the board still loads.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T15:00:00Z

b=$T/b.yaml
cp "$TAMIS_TOP/tests/data/commented.yaml" "$b"

# Where each comment of the board must be once tamis has written it, one per
# line, tab-separated: head | tail | gone (not in the file) | above RE (the
# next line that is not a comment matches RE) | below RE (the line before
# that is not a comment) | after RE (a line RE, then two spaces and the
# comment); then the comment; then, for a card's, the first 8 digits of its
# id (the comment must be inside that card).
cat >"$T/expect" <<'EOF'
head	-	# Atelier « Comptoir des services » — préparé par Claire, le 27 juin 2019
head	-	# Ne pas renommer les identifiants : les cartes y renvoient.
after	title: Comptoir des services	# titre affiché en haut de l'écran
above	description: 	# La description s'imprime en tête du rapport.
after	description: ".*"	# texte libre, sur plusieurs lignes
after	facilitators:	# animatrice principale
above	  - claire	# co-animation l'après-midi
above	themes:	# Thèmes : une couleur par table
after	    label: Mobilité	# table 1
above	  - id: conciergerie	# la conciergerie regroupe aussi les services du quotidien
after	    label: "Vie quotidienne & conciergerie #2"	# le dièse est dans le texte
above	  - id: autonomie$	# critère 1 : qui fait le travail ?
after	    easy: low	# le plus facile : l'usager se débrouille seul
after	  - id: frequence	# écrit en style flow
above	  - id: autonomie-frequence	# grille 1 : autonomie × fréquence
above	      - name: V1 — tout de suite	# zone dessinée pendant la restitution
after	        cells: \[\[1, 2\]\]	# le coin facile
above	        cells: \[\[2, 1\], \[2, 2\]\]	# pas la zone facile
above	  - id: 6f1c2a8e	# carte 1 : déjà discutée en plénière
after	    text: .*	# idée phare	6f1c2a8e
above	    decision: 	# à compléter après l'atelier	6f1c2a8e
above	    place:	# on verra en fin de journée	6f1c2a8e
after	      autonomie-frequence: \[., .\]	# posée par le binôme 3	6f1c2a8e
above	      - \{at: 2019-06-28T10:12:00Z, by: Binôme 3, event: created\}	# la création, telle que notée au tableau	6f1c2a8e
after	      - \{at: 2019-06-28T10:12:00Z, by: Binôme 3, event: created\}	# première carte	6f1c2a8e
above	  - id: 0b7e3c11	# carte 2 : pas encore placée
below	    decision: undecided	# à placer au tour 2	0b7e3c11
above	  - id: 11111111	# carte 3 : à supprimer
above	    text: Carte de test	# la carte de test	11111111
after	    text: Carte de test, à supprimer	# texte provisoire	11111111
tail	-	# Journal des décisions : rien encore
tail	-	# Fin du fichier.
EOF

# Prints what is wrong with the comments of FILE against EXPECT (nothing when all is right).
comments_wrong() {
	python3 - "$1" "$2" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
def is_comment(l): return l.lstrip().startswith("#")
def content(i, step):
    i += step
    while 0 <= i < len(lines) and (not lines[i].strip() or is_comment(lines[i])):
        i += step
    return lines[i] if 0 <= i < len(lines) else None
def card_of(i):
    while i >= 0 and not lines[i].startswith("  - id: "):
        if lines[i] and not lines[i].startswith(" ") and not is_comment(lines[i]):
            return None
        i -= 1
    return lines[i][8:16] if i >= 0 else None
first = next(i for i, l in enumerate(lines) if l.strip() and not is_comment(l))
last = max(i for i, l in enumerate(lines) if l.strip() and not is_comment(l))
for row in open(sys.argv[2], encoding="utf-8").read().splitlines():
    kind, pat, text, *card = row.split("\t")
    if kind == "after":
        at = [i for i, l in enumerate(lines) if l.endswith("  " + text) and
              re.fullmatch(pat, l[:-len(text) - 2])]
    else:
        at = [i for i, l in enumerate(lines) if l.strip() == text]
    if kind == "gone":
        if any(text in l for l in lines):
            print("still there:", text)
        continue
    if len(at) != 1:
        print("found %d times (%s %s): %s" % (len(at), kind, pat, text))
        continue
    i = at[0]
    ok = {"head": lambda: i < first, "tail": lambda: i > last, "after": lambda: True,
          "above": lambda: content(i, 1) is not None and re.match(pat, content(i, 1)),
          "below": lambda: content(i, -1) is not None and re.match(pat, content(i, -1))}[kind]()
    if not ok:
        print("not %s /%s/ (line %d): %s" % (kind, pat, i + 1, text))
    elif card and card_of(i) != card[0]:
        print("not in card %s (line %d): %s" % (card[0], i + 1, text))
PY
}

# Checks FILE after a step: it loads, and every comment is where EXPECT says.
check_step() { # what file expect
	t_ok "$1: the board loads" $TAMIS check "$2"
	t_ok "$1: other YAML readers load it" python3 -c 'import sys,yaml; yaml.safe_load(open(sys.argv[1]))' "$2"
	t_eq "$1: every comment where it was" "$(comments_wrong "$2" "$3")" ""
}

t_ok "a board without comments stays byte for byte the same" sh -c \
	"cp '$SAMPLE' '$T/sample.yaml' && $TAMIS compact '$T/sample.yaml' && cmp '$SAMPLE' '$T/sample.yaml'"

new=$($TAMIS add "$b" "Atelier d'écriture" --theme mobilite)
t_match "add prints the new card" "$new" '^[0-9a-f]{8}$'
check_step "add" "$b" "$T/expect"
t_eq "add: the new card is the last one, after card 3 and its comments" \
	"$(sed -n '/texte provisoire/,$p' "$b" | grep -c "^  - id: $new")" 1

t_ok "move a card without a cell" $TAMIS move "$b" 0b7e3c11 --grid autonomie-frequence --cell 2,1
t_ok "move a card from its cell" $TAMIS move "$b" 6f1c2a8e --grid autonomie-frequence --cell 2,2
check_step "move" "$b" "$T/expect"
t_match "move: the place comment is on the new cell" "$(cat "$b")" \
	"      autonomie-frequence: \[2, 2\]  # posée par le binôme 3"

cp "$b" "$T/before"
t_ok "compact without a journal" $TAMIS compact "$b"
t_ok "compact: a board written by tamis is written the same" cmp "$b" "$T/before"
check_step "compact" "$b" "$T/expect"

# A live instance holds the presence lock: changes go to the journal.
flock -o -s "$T/.b.yaml.live" sleep 30 &
live=$!
t_cleanup_hook='kill $live 2>/dev/null'
sleep 0.3
t_ok "a move while the board is live" $TAMIS move "$b" 0b7e3c11 --grid autonomie-frequence --cell 1,1
t_ok "the move went to the journal" test -s "$T/.b.yaml.journal"
t_ok "the board file is untouched" cmp "$b" "$T/before"
t_ok "compact folds the journal into the board" $TAMIS compact "$b"
check_step "compact with a journal" "$b" "$T/expect"
t_match "compact: the move is in the board" "$(grep -A8 'id: 0b7e3c11' "$b")" \
	"autonomie-frequence: \[1, 1\]"
kill $live 2>/dev/null
wait $live 2>/dev/null

# Another table's copy of the board: a comment changed, a card of its own.
python3 - "$TAMIS_TOP/tests/data/commented.yaml" "$T/other.yaml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace("# idée phare", "# la version de la table 2")
s = s.replace("\n# Journal des décisions", """
  # carte de la table 2
  - id: 22222222-3333-4444-8555-666666666666
    text: Covoiturage entre collègues  # idée de la table 2
    theme: mobilite
    decision: undecided
\n# Journal des décisions""")
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
t_ok "merge the two tables" $TAMIS merge "$T/merged.yaml" "$b" "$T/other.yaml"
cp "$T/expect" "$T/expect-merged"
printf '%s\t%s\t%s\n' above '  - id: 22222222' '# carte de la table 2' \
	after '    text: Covoiturage entre collègues' '# idée de la table 2' \
	gone - '# la version de la table 2' >>"$T/expect-merged"
check_step "merge" "$T/merged.yaml" "$T/expect-merged"

# The terminal board: edit the first card's text, delete the test card
# (found by a search); closing, the last live instance, compacts the board.
printf '%s\n' 'e<C-u>Réception des colis au bureau<Enter>' '/Carte de test<Enter>' x y \
	>"$T/script"
t_ok "edit and delete in the terminal board" env TERM=xterm-256color TAMIS_BY=tester \
	TAMIS_SCRIPT="$T/script" TAMIS_SCRIPT_SIZE=100x30 $TAMIS "$b"
t_match "the edit is saved, its comment after it" "$(cat "$b")" \
	"    text: Réception des colis au bureau  # idée phare"
t_fail "the deleted card is gone" grep -q 'id: 11111111' "$b"
grep -v '	11111111$\|carte 3 : à supprimer' "$T/expect" >"$T/expect-deleted"
printf '%s\t%s\t%s\n' gone - '# carte 3 : à supprimer' gone - '# la carte de test' \
	gone - '# texte provisoire' >>"$T/expect-deleted"
check_step "edit and delete" "$b" "$T/expect-deleted"
