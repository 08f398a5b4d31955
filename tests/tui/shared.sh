# Several people, one board (issue 16): undo undoes only my own change, and
# never what someone else changed since. Headless and deterministic: a
# scripted UI runs another instance or a command in the middle of its script
# (":run") and takes in what it did at that very point.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/atelier.yaml
fresh() { cp "$TUI_DATA/atelier.yaml" "$b"; rm -f "$T"/.atelier.yaml.*; }
# card ID8 FIELD: a card's field as the board holds it.
card() {
	"$TAMIS" list "$b" --format yaml | python3 -c "
import sys, yaml
for c in yaml.safe_load(sys.stdin)['cards']:
    if c['id'].startswith('$1'):
        v = c.get('$2')
        print('' if v is None else v)"
}
# other SCRIPT-FILE: another scripted UI on the board, played by "Binôme B".
other() {
	printf 'env TERM=xterm-256color TAMIS_BY=%s TAMIS_SCRIPT=%s %s %s >/dev/null 2>&1' \
		"'Binôme B'" "$1" "$TAMIS" "$b"
}
line() { sed -n "$(($2 * 24))p" "$1"; }   # FILE N: the last line of the Nth screen

# --- A moves, B moves the same card later, A undoes: B's move stands ----------------
fresh
tui_script "$b" 80x24 >"$T/move.txt" <<EOF
/Café<Enter><Enter>k<Enter>
:dump
:run "$TAMIS" move "$b" 2222 --grid autonomie-frequence --cell 1,1 --by "Binôme B" >/dev/null
u
:dump
<C-r>
:dump
EOF
t_eq "the UI ran" "$tui_rc" 0
t_match "A's move" "$(line "$T/move.txt" 1)" "moved to cell 2,2"
t_match "A's undo says what it left, who did it and when" "$(line "$T/move.txt" 2)" \
	"^not undone: Binôme B moved it to 1,1 at 11:00"
t_match "B's placement stands" "$(card 2222 place)" "'autonomie-frequence': \[1, 1\]"
t_eq "the undo moved nothing: two moves in the card's history" \
	"$(card 2222 history | grep -o "'moved'" | wc -l | tr -d ' ')" 2
t_match "redo does not move it either" "$(line "$T/move.txt" 3)" "not redone: Binôme B moved it"
t_match "still at B's cell after the redo" "$(card 2222 place)" "'autonomie-frequence': \[1, 1\]"

# --- A and B each edit the text, B saves last, A undoes: both texts stand -----------
fresh
printf '/Café<Enter>e<End> matin<Enter>\n' >"$T/b-edit.script"
tui_script "$b" 80x24 >"$T/text.txt" <<EOF
/Café<Enter>e<End> (mensuel)<Enter>
:run $(other "$T/b-edit.script")
u
:dump
EOF
t_match "A's undo leaves B's edit" "$(line "$T/text.txt" 1)" \
	"^not undone: Binôme B edited its text at 11:00"
t_eq "both edits are in the text" "$(card 2222 text)" "Café ☕ et thé 🍵 offerts le lundi (mensuel) matin"

# --- a step partly undone: what nobody touched since is undone ----------------------
fresh
tui_script "$b" 80x24 >"$T/mine.txt" <<EOF
/Café<Enter><Enter>k<Enter>
/Réception<Enter><Enter>l<Enter>
:run "$TAMIS" move "$b" 2222 --grid autonomie-frequence --cell 1,1 --by "Binôme B" >/dev/null
u
:dump
u
:dump
EOF
t_match "my own later move, untouched, is undone" "$(line "$T/mine.txt" 1)" "^undone: move"
t_match "Réception is back where it was" "$(card 1111 place)" "'autonomie-frequence': \[1, 2\]"
t_match "the move B changed since is not" "$(line "$T/mine.txt" 2)" \
	"^not undone: Binôme B moved it to 1,1"

# --- undoing a decision brings back the reason of the one before -------------------
fresh
tui_script "$b" 80x24 -- --facilitator >"$T/decide.txt" <<EOF
/Réception<Enter>v<Tab>trop tôt<Enter>
:dump
v<Tab>facile<Enter>
:dump
u
:dump
EOF
t_match "a first decision, with its reason" "$(line "$T/decide.txt" 1)" "decided: V2, with its rationale"
t_match "a second one" "$(line "$T/decide.txt" 2)" "decided: .*with its rationale"
t_match "the second decision is undone" "$(line "$T/decide.txt" 3)" "^undone: decision"
t_eq "the decision is back with the reason it was given" "$(python3 -c "
import yaml
d = yaml.safe_load(open('$b'))['decisions'][-1]
print(d['to'], d.get('rationale'))")" "v2 trop tôt"

# --- a card deleted while I type its text: the typing stays in the editor -----------
# Réception is the card selected first: another instance deletes it while I
# am adding " (PS5, Switch)" to its text.
fresh
printf 'x\ny\n' >"$T/del.script"
tui_script "$b" 80x24 >"$T/orphan.txt" <<EOF
e<End> (PS5
:run $(other "$T/del.script")
:dump
, Switch)
:dump
<Enter>
:dump
<Enter>
:dump
EOF
t_match "the editor stays, saying why" "$(line "$T/orphan.txt" 1)" \
	"^deleted by someone else: Enter keeps your text as a new card, Esc drops it"
t_match "with everything typed, before and after the delete" "$(sed -n 25,47p "$T/orphan.txt")" \
	"lieu de travail \(PS5, Switch\)"
t_match "and it says the text is kept" "$(sed -n 25,47p "$T/orphan.txt")" "Your text, kept"
t_match "Enter offers it as a new card: its theme is asked" "$(sed -n 49,71p "$T/orphan.txt")" \
	"Theme"
t_eq "the text is a new card" \
	"$("$TAMIS" list "$b" | grep -c 'Réception de colis sur le lieu de travail (PS5, Switch)')" 1
cards() { echo $(($("$TAMIS" list "$b" --format tsv | grep -c .) - 1)); }
t_eq "the deleted card stays deleted, and nothing else went" "$(cards)" 6

# --- a dialog closed by someone else: the keys of the next second are held ----------
fresh
tui_script "$b" 80x24 >"$T/held.txt" <<EOF
x
:run $(other "$T/del.script")
 l
:dump
:run sleep 1.2
l
:dump
EOF
t_match "the question goes, saying why" "$(line "$T/held.txt" 1)" \
	"^this card was deleted by someone else"
t_nomatch "the space typed next did not pick up a card" "$(line "$T/held.txt" 1)" "drop it here"
t_eq "nothing else was deleted" "$(cards)" 5
t_match "a second later, keys are board commands again" "$(sed -n 25,47p "$T/held.txt")" "▸"

# --- undo reaches back across quitting and reopening ---------------------------------
fresh
tui_script "$b" 80x24 >/dev/null <<EOF
/Café<Enter><Enter>k<Enter>
/Café<Enter>e<End> (mensuel)<Enter>
EOF
t_match "before: my move and my edit are saved" "$(card 2222 place)|$(card 2222 text)" \
	"'autonomie-frequence': \[2, 2\].*\|Café ☕ et thé 🍵 offerts le lundi \(mensuel\)$"
tui_script "$b" 80x24 >"$T/reopen.txt" <<EOF
u
:dump
u
:dump
u
:dump
<C-r>
:dump
EOF
t_match "reopened, u undoes my last change: the edit" "$(line "$T/reopen.txt" 1)" "^undone: text edit"
t_match "then the move before it" "$(line "$T/reopen.txt" 2)" "^undone: move"
t_match "then there is nothing of mine left" "$(line "$T/reopen.txt" 3)" "^nothing to undo"
t_match "Ctrl-R redoes the last one undone" "$(line "$T/reopen.txt" 4)" "^redone: move"
t_match "the card is where my move put it" "$(card 2222 place)" "'autonomie-frequence': \[2, 2\]"
t_eq "and its text as before my edit" "$(card 2222 text)" "Café ☕ et thé 🍵 offerts le lundi"

# After reopening, a change someone else changed since is not undone either.
fresh
tui_script "$b" 80x24 >/dev/null <<EOF
/Café<Enter><Enter>k<Enter>
EOF
"$TAMIS" move "$b" 2222 --grid autonomie-frequence --cell 1,1 --by "Binôme B" >/dev/null
tui_script "$b" 80x24 >"$T/reopen2.txt" <<EOF
u
:dump
EOF
t_match "reopened: B moved it since, nothing of mine to undo" "$(line "$T/reopen2.txt" 1)" \
	"^nothing to undo"
t_match "B's placement stands" "$(card 2222 place)" "'autonomie-frequence': \[1, 1\]"

# --- two edits of one text at once: both shown, both kept ---------------------------
conflict() { # KEYS: A edits Café while B saves " matin", then A saves and answers KEYS
	fresh
	tui_script "$b" 80x24 >"$T/conflict.txt" <<EOF
/Café<Enter>e<End> (mensuel)
:run $(other "$T/b-edit.script")
<Enter>
:dump
$1
:dump
EOF
}
versions() { "$TAMIS" show "$b" 2222 | sed -n '/^versions:/,$p'; }
conflict "e"
screen1=$(sed -n 1,24p "$T/conflict.txt")
t_match "saving over B's text shows both" "$screen1" "Changed meanwhile by someone else"
t_match "theirs, with who and when" "$screen1" "Their text, saved by Binôme B at 11:00:"
t_match "their text" "$screen1" "│ +Café ☕ et thé 🍵 offerts le lundi matin +│"
t_match "my text" "$screen1" "│ +Café ☕ et thé 🍵 offerts le lundi \(mensuel\) +│"
t_match "the keys" "$(line "$T/conflict.txt" 1)" "t keep theirs  m keep mine  e edit both together"
t_match "e opens the editor on the two merged" "$(sed -n 25,48p "$T/conflict.txt")" \
	"Café ☕ et thé 🍵 offerts le lundi matin \(mensuel\)"
printf '/Café<Enter>e<End> (mensuel)\n:run %s\n<Enter>\ne\n<Enter>\n' "$(other "$T/b-edit.script")" \
	>"$T/merge.script"
fresh
tui_script "$b" 80x24 >/dev/null <"$T/merge.script"
t_eq "saved: both edits in one text" "$(card 2222 text)" "Café ☕ et thé 🍵 offerts le lundi matin (mensuel)"
t_match "and both versions in the history" "$(versions | tr '\n' '|')" \
	"Binôme B  Café ☕ et thé 🍵 offerts le lundi matin\|.*tester  Café ☕ et thé 🍵 offerts le lundi \(mensuel\)\|.*tester  Café ☕ et thé 🍵 offerts le lundi matin \(mensuel\)  \(now\)"

conflict "t"
t_match "t keeps theirs, saying where mine is" "$(line "$T/conflict.txt" 2)" \
	"^their text kept; yours is among the card's versions"
t_eq "their text stands" "$(card 2222 text)" "Café ☕ et thé 🍵 offerts le lundi matin"
t_match "mine is in the history" "$(versions)" "tester  Café ☕ et thé 🍵 offerts le lundi \(mensuel\)$"

conflict "m"
t_match "m keeps mine" "$(line "$T/conflict.txt" 2)" "^your text kept; theirs is among"
t_eq "my text stands" "$(card 2222 text)" "Café ☕ et thé 🍵 offerts le lundi (mensuel)"
t_match "theirs is in the history" "$(versions)" "Binôme B  Café ☕ et thé 🍵 offerts le lundi matin$"

# --- a change of the frame is told in every instance --------------------------------
fresh
tui_script "$b" 80x24 >"$T/frame.txt" <<EOF
:run "$TAMIS" criterion "$b" frequence --easy flip --by claire >/dev/null 2>&1
:dump
:run "$TAMIS" grid "$b" autonomie-frequence --cells 3 --by claire >/dev/null 2>&1
:dump
EOF
t_match "the easier pole flipped elsewhere is said, with who" "$(line "$T/frame.txt" 1)" \
	"^claire flipped the easier pole of Exceptionnel ↔ Fréquent: the easy zone moved"
t_match "a grid resized elsewhere too, with its cells before and after" "$(line "$T/frame.txt" 2)" \
	"^claire changed grid 1 from 2×2 to 3×3 cells"

# --- a change saved late does not silently win ---------------------------------------
# My move cannot be written (a directory in the journal's place); meanwhile
# Binôme B moves the same card and it is saved. When mine can be written, it
# is not written over theirs: I am asked.
journal=$T/.atelier.yaml.journal
late() { # KEY: the answer
	fresh
	tui_script "$b" 80x24 >"$T/late.txt" <<EOF
:run mkdir "$journal"
/Café<Enter><Enter>k<Enter>
:dump
:run rmdir "$journal"; "$TAMIS" move "$b" 2222 --grid autonomie-frequence --cell 1,1 --by "Binôme B" >/dev/null 2>&1
:poll
:dump
$1
:dump
EOF
}
late n
t_match "my move waits, not saved" "$(sed -n 23p "$T/late.txt")" "NOT SAVED"
late_screen=$(sed -n 25,48p "$T/late.txt")
t_match "then I am asked" "$late_screen" "┌─ Not saved in time ─"
t_match "naming the card" "$late_screen" "│ Your change to: Café ☕ et thé 🍵 offerts le lundi +│"
t_match "and who changed it, when" "$late_screen" "│ waited to be saved; meanwhile Binôme B changed it \(11:00\)\. +│"
t_match "with the keys" "$(line "$T/late.txt" 2)" "^y keep mine  any other key keep theirs"
t_match "n keeps theirs" "$(line "$T/late.txt" 3)" "^their change stands; yours is not made"
t_match "B's placement stands" "$(card 2222 place)" "'autonomie-frequence': \[1, 1\]"
late y
t_match "y makes mine again, as a new change" "$(line "$T/late.txt" 3)" "^your change is made again"
t_match "my placement stands" "$(card 2222 place)" "'autonomie-frequence': \[2, 2\]"
t_match "after B's, in the history" "$(card 2222 history)" "'Binôme B'.*'tester', 'event': 'moved'"
