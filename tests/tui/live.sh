# Live sharing in the terminal UI: several instances on one board.
#
# Headless first, deterministic: a scripted UI runs another instance in the
# middle of its script (":run", itself a scripted UI or a CLI command) and
# takes in what it did at that very point. Then real terminals: two UIs in two
# tmux sessions on one board, as two pairs (or a pair and the facilitator)
# would sit at two terminals.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/atelier.yaml
fresh() { cp "$TUI_DATA/atelier.yaml" "$b"; rm -f "$T"/.atelier.yaml.*; tui_places "$b" >"$T/places.before"; }
moved() { tui_places "$b" | diff "$T/places.before" - | grep '^>' | tr '\n' ' '; }
journal=$T/.atelier.yaml.journal

# other SCRIPT-FILE [ARGS...]: the command line of another scripted instance
# on the board, played by "other", for a ":run" line (its screen is not kept).
other() {
	o_script=$1
	shift
	printf 'env TERM=xterm-256color TAMIS_BY=other TAMIS_SCRIPT=%s %s %s %s >/dev/null 2>&1' \
		"$o_script" "$TAMIS" "$*" "$b"
}
# in_a / in_b CMD...: CMD on the UI in tmux session a / b.
in_a() { tui_t=a; "$@"; }
in_b() { tui_t=b; "$@"; }
# card ID8 FIELD: a card's field in the board file itself (after quitting).
card() {
	python3 - "$b" "$1" "$2" <<'PY'
import sys, yaml
for c in yaml.safe_load(open(sys.argv[1]))["cards"]:
    if c["id"].startswith(sys.argv[2]):
        v = c.get(sys.argv[3])
        print("" if v is None else v)
PY
}

# --- another instance's change shows without a key ------------------------------
fresh
printf '/Café<Enter><Enter>k<Enter>\n' >"$T/b1.script"  # Café ☕: (2,1) -> (2,2)
tui_script "$b" 80x24 >"$T/poll.txt" <<EOF
:dump
:run $(other "$T/b1.script")
:dump
EOF
t_eq "two instances run" "$tui_rc" 0
t_match "before: the card where it was" "$(sed -n 12p "$T/poll.txt")" "│  Café ☕ et thé"
t_match "the other's move shows at the wake-up" "$(sed -n 27,29p "$T/poll.txt")" "Café ☕ et thé"
t_match "the status bar says live" "$(sed -n 47p "$T/poll.txt")" "│ live"
t_eq "the move is in the board file once both have quit" "$(moved)" \
	"> 22222222 autonomie-frequence 2,2 "
t_fail "and no journal is left" test -e "$journal"
t_match "the move says who made it" "$(card 22222222 history)" "'by': 'other'.*'event': 'moved'"

# --- a card carried here, deleted or locked there ------------------------------
fresh
printf 'x\ny\n' >"$T/del.script"                # deletes Réception (selected first)
tui_script "$b" 80x24 >"$T/gone.txt" <<EOF
<Enter>l
:run $(other "$T/del.script")
:dump
<Enter>
EOF
t_eq "a carried card deleted elsewhere: no crash" "$tui_rc" 0
t_match "it is dropped with a message" "$(sed -n 24p "$T/gone.txt")" "this card was deleted by someone else"
t_match "and carrying is over" "$(sed -n 24p "$T/gone.txt")" "Enter pick up"
t_eq "the card is gone from the file" "$(tui_field "$b" 11111111 text)" ""

fresh
printf 'L\n' >"$T/lock.script"                   # the facilitator locks Réception
tui_script "$b" 80x24 >"$T/locked.txt" <<EOF
<Enter>l
:run $(other "$T/lock.script" --facilitator)
:dump
<Enter>
:dump
EOF
t_match "a carried card locked elsewhere is put back, with a message" \
	"$(sed -n 24p "$T/locked.txt")" "locked by the facilitator: put back"
t_match "back in its cell, with the lock mark" "$(sed -n 3p "$T/locked.txt")" "║ ▸Réception de colis +⊠"
t_match "picking it up again is refused, saying why" "$(sed -n 48p "$T/locked.txt")" \
	"locked by the facilitator"
t_eq "the locked card did not move" "$(moved)" ""
t_eq "it is locked in the file" "$(card 11111111 locked)" "True"

# A pair cannot delete a locked card either, nor drag it with the mouse.
tui_script "$b" 80x24 >"$T/locked2.txt" <<'EOF'
x
:dump
:mouse press 20 2
:mouse drag 50 12
:mouse release 50 12
:dump
EOF
t_match "x on a locked card says why" "$(sed -n 24p "$T/locked2.txt")" "locked by the facilitator"
t_match "so does a drag" "$(sed -n 48p "$T/locked2.txt")" "locked by the facilitator"
t_eq "and nothing changed" "$(moved)" ""
tui_script "$b" 80x24 -- --facilitator >/dev/null <<'EOF'
<Enter>l<Enter>
EOF
t_eq "the facilitator still moves it" "$(moved)" "> 11111111 autonomie-frequence 2,2 "

# Asked "delete this card?" while someone else deletes it: the question goes,
# and nothing else is deleted instead.
fresh
tui_script "$b" 80x24 >"$T/confirm.txt" <<EOF
x
:run $(other "$T/del.script")
:dump
y
EOF
t_match "a question about a card deleted elsewhere goes away, saying why" \
	"$(sed -n 24p "$T/confirm.txt")" "this card was deleted by someone else"
t_eq "and no other card is deleted instead" "$("$TAMIS" list "$b" | wc -l | tr -d ' ')" 6

# --- undo undoes my own change, as a new change others see ---------------------
fresh
tui_script "$b" 80x24 >"$T/undo.txt" <<EOF
<Enter>l<Enter>
:run $(other "$T/b1.script")
u
:dump
EOF
t_match "undo says what it undid" "$(sed -n 24p "$T/undo.txt")" "undone: move"
t_eq "my move is undone, the other's is kept" "$(moved)" "> 22222222 autonomie-frequence 2,2 "
t_match "the undo is a new move, by me" "$(card 11111111 history)" \
	"'by': 'tester', 'event': 'moved'.*'by': 'tester', 'event': 'moved'.*'from': \[2, 2\], 'to': \[1, 2\]"

# --- a torn line in the journal is skipped, with a warning ---------------------
fresh
tui_script "$b" 80x24 >"$T/torn.txt" <<EOF
:run $(other "$T/b1.script")
:run printf '0badc0de {op: move, garbled\n' >>"$journal"
:dump
EOF
t_match "a torn line is reported once, as torn, not as something else" "$(sed -n 24p "$T/torn.txt")" \
	"^1 line of the live journal was skipped: 1 torn or damaged"
t_eq "and the good lines are kept" "$(moved)" "> 22222222 autonomie-frequence 2,2 "

# --- a change that cannot be written is kept, said, and retried -------------------
# A directory in the journal's place: the move is applied here but cannot be
# written; once the way is clear, the wake-up (or the timer) writes it.
fresh
tui_script "$b" 80x24 >"$T/pending.txt" <<EOF
:run mkdir "$journal"
<Enter>l<Enter>
:dump
:run rmdir "$journal"
:dump
EOF
t_match "a change not written is said in red, with why" "$(sed -n 23p "$T/pending.txt")" \
	"NOT SAVED: cannot open '.*\.atelier\.yaml\.journal': Is a direc"
t_match "once it can be written, it is saved" "$(sed -n 47p "$T/pending.txt")" "saved 11:00:00"
t_nomatch "and the red line is gone" "$(sed -n 47p "$T/pending.txt")" "NOT SAVED"
t_eq "the move is in the board" "$(moved)" "> 11111111 autonomie-frequence 2,2 "

# --- a change made while the board cannot be locked shows at once --------------
# It waits with the changes not written yet (one queue: NOT SAVED and why in
# the status bar, as above), and is saved at the next try once the lock is
# free. The script waits until the killed holder has let the lock go: a retry
# never waits for it.
fresh
lock=$T/.atelier.yaml.lock
t_cleanup_hook='[ -s "$T/holder" ] && kill -KILL -$(cat "$T/holder") 2>/dev/null; tui_tmux kill-server >/dev/null 2>&1'
tui_script "$b" 80x24 TAMIS_LOCK_TIMEOUT=0.2 >"$T/busy.txt" <<EOF
:run setsid flock -x $lock sleep 60 >/dev/null 2>&1 & echo \$! >$T/holder; while flock -n -s $lock true; do sleep 0.01; done
<Enter>l<Enter>
:dump
:run kill -KILL -\$(cat $T/holder); while ! flock -n -x $lock true; do sleep 0.01; done
:poll
:dump
EOF
t_eq "the UI quits normally" "$tui_rc" 0
t_eq "a move made while the board is locked shows at once, as one not written does" \
	"$(sed -n 1,22p "$T/busy.txt")" "$(sed -n 1,22p "$T/pending.txt")"
t_match "the status bar says it is not saved, and why" "$(sed -n 23p "$T/busy.txt")" \
	"NOT SAVED: cannot lock .*atelier\.yaml.: another tamis is wr"
t_match "the message line that it waits" "$(sed -n 24p "$T/busy.txt")" \
	"^not moved yet: the board is busy or unreachable, retrying"
t_match "once the lock is free it is saved" "$(sed -n 47p "$T/busy.txt")" "saved 11:00:00"
t_match "and said so" "$(sed -n 48p "$T/busy.txt")" "^saved now: the changes that waited"
t_eq "the move is in the board" "$(moved)" "> 11111111 autonomie-frequence 2,2 "
t_cleanup_hook='tui_tmux kill-server >/dev/null 2>&1'

# --- who plays -------------------------------------------------------------------
fresh
tui_script "$b" 80x24 TAMIS_BY= >"$T/name.txt" <<'EOF'
:dump
Binôme 4<Enter>
:dump
<Enter>l<Enter>
EOF
t_match "without --by or TAMIS_BY, the name is asked first" "$(sed -n 1,24p "$T/name.txt")" "Who is playing\?"
t_match "then shown in the status bar" "$(sed -n 47p "$T/name.txt")" "│ Binôme 4 │"
t_match "every change is signed with it" "$(card 11111111 history)" "'by': 'Binôme 4', 'event': 'moved'"
fresh
tui_script "$b" 80x24 TAMIS_BY= >"$T/noname.txt" <<'EOF'
<Esc>
:dump
EOF
t_match "Esc plays without a name, saying so" "$(sed -n 24p "$T/noname.txt")" "playing without a name"

# --- real terminals: two UIs on one board -----------------------------------------
now_ms() { date +%s%3N; }
fresh
in_a tui_start 80 24 "$b" >/dev/null
in_b tui_start 80 24 TAMIS_BY=claire --facilitator "$b" >/dev/null
in_a tui_wait "│ tester │ live" >/dev/null
t_ok "the facilitator's UI says who plays, as the facilitator" in_b tui_wait "│ ⚑ claire │"

# A move in one shows in the other, within a second.
in_a tui_keys l j Enter k Enter
in_a tui_wait "moved to cell 2,2" >/dev/null
start=$(now_ms)
t_ok "a move in one UI shows in the other" in_b tui_wait "║  Café ☕ et thé" 10
elapsed=$(( $(now_ms) - start ))
t_ok "within a second (${elapsed} ms)" test "$elapsed" -lt 1000
t_eq "the move is in the board as everyone sees it" "$(moved)" "> 22222222 autonomie-frequence 2,2 "

# The facilitator locks a card: the pair cannot move it.
in_b tui_keys L
t_ok "the facilitator locks the selected card" in_b tui_wait "locked: pairs can no longer move"
t_ok "the lock shows in the pair's UI" in_a tui_wait "Réception de .*⊠"
in_a tui_keys h Enter
t_ok "the pair is told why it cannot move it" in_a tui_wait "locked by the facilitator"
t_eq "and the card did not move" "$(moved)" "> 22222222 autonomie-frequence 2,2 "

# Undo in one shows in the other.
in_a tui_keys u
t_ok "the pair undoes its move" in_a tui_wait "undone: move"
t_ok "the undo shows in the facilitator's UI" in_b tui_wait "│  Café ☕ et thé"
t_eq "the board is back as it was" "$(moved)" ""

in_a tui_keys q
t_ok "the pair quits" in_a tui_exit_is 0
t_ok "a journal stays while the facilitator works on" test -s "$journal"
in_b tui_keys q
t_ok "the facilitator quits" in_b tui_exit_is 0
t_fail "the last one out folds the journal into the board" test -e "$journal"
t_eq "the board file holds every change" "$(card 11111111 locked)|$(card 22222222 place)" \
	"True|{'autonomie-frequence': [2, 1]}"
t_match "with who made them" "$(card 22222222 history)" \
	"'by': 'tester', 'event': 'moved'.*'to': \[2, 2\].*'by': 'tester', 'event': 'moved'.*'to': \[2, 1\]"
t_match "and the lock by the facilitator" "$(card 11111111 history)" "'by': 'claire', 'event': 'locked'"
t_ok "the file loads" "$TAMIS" check "$b"
