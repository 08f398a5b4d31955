#!/bin/sh
# tests/tui/presence.sh - several people on one board see each other
# (docs/SHARING.md, "Presence"; docs/UI.md, w and !): who else is here, in
# the status bar and under w, with their role and grid; the card someone
# else carries marked ✋ and a question before picking it up too; someone
# gone no longer listed; and a change someone else makes to my card said
# once and listed under !, Enter showing the card. First headless, another
# scripted instance run at a chosen point (":run"); then real terminals in
# tmux, as people at three terminals.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/atelier.yaml
presence=$T/.atelier.yaml.presence
fresh() { cp "$TUI_DATA/atelier.yaml" "$b"; rm -f "$T"/.atelier.yaml.*; }
# other NAME SCRIPT OUT [ARGS...]: another scripted instance played by NAME,
# its screen dumps to OUT, for a ":run" line.
other() {
	o_name=$1 o_script=$2 o_out=$3
	shift 3
	printf 'env TERM=xterm-256color TAMIS_BY=%s TAMIS_SCRIPT_SIZE=100x24 TAMIS_SCRIPT=%s %s %s %s >%s 2>&1' \
		"$(tui_quote "$o_name")" "$o_script" "$TAMIS" "$*" "$b" "$o_out"
}
in_a() { tui_t=a; "$@"; }
in_b() { tui_t=b; "$@"; }

# --- headless: the one who comes sees who is there -------------------------------
fresh
printf ':dump\nw\n:dump\n<Esc>\n<Enter>\n:dump\nn\n:dump\ni\n:dump\n<Esc>\ns\n:dump\n' >"$T/b.script"
tui_script "$b" 100x24 TAMIS_BY=Claire -- --facilitator >"$T/a.txt" <<EOF
<Tab>
<Enter>
:run $(other "Binôme B" "$T/b.script" "$T/b.txt")
:dump
EOF
t_eq "two instances run" "$tui_rc" 0
t_match "the status bar names the other, with the facilitator's mark" \
	"$(sed -n 23p "$T/b.txt")" "│ \+1: Claire⚑ │"
t_match "w lists everyone: the other, her role and the grid she looks at" \
	"$(sed -n 25,48p "$T/b.txt")" "Claire⚑ +facilitator +2 frequence × autonomie"
t_match "and whoever plays here, first" "$(sed -n 25,48p "$T/b.txt")" \
	"▸ Binôme B \(you\) +in a pair +1 autonomie × frequence"
t_match "with the card she carries" "$(sed -n 25,48p "$T/b.txt")" "✋ « Réception de colis"
t_match "the card she carries is marked ✋" "$(sed -n 3p "$T/b.txt")" "▸Réception .*✋"
t_match "picking it up too asks first" "$(sed -n 72p "$T/b.txt")" \
	"Claire⚑ is moving this card: pick it up anyway\? y picks it up"
t_match "n leaves it" "$(sed -n 96p "$T/b.txt")" "not picked up"
t_nomatch "and it is not carried" "$(sed -n 73,96p "$T/b.txt")" "▶Réception"
t_match "its details say who is moving it" "$(sed -n 97,120p "$T/b.txt")" "Marks +✋ Claire⚑ is moving it"
t_match "the sieve marks it too" "$(sed -n 121,144p "$T/b.txt")" "✋ Réception de colis"
t_nomatch "no presence file is left" "$(ls -A "$T")" "presence"
t_nomatch "the one who stayed sees nobody once the other has gone" "$(sed -n 23p "$T/a.txt")" "\+1"

# Someone carrying a card, picked up anyway: y.
fresh
printf '<Enter>y\n:dump\n<Esc>\n' >"$T/b.script"
tui_script "$b" 100x24 TAMIS_BY=Claire -- --facilitator >/dev/null <<EOF
<Enter>
:run $(other "Binôme B" "$T/b.script" "$T/b.txt")
EOF
t_match "y picks it up all the same" "$(sed -n 3p "$T/b.txt")" "▶Réception .*✋◀"
t_match "and it is carried" "$(sed -n 24p "$T/b.txt")" "Enter drop it here"

# --- headless: changes to my cards ---------------------------------------------------
# Réception is Binôme 3's. The facilitator locks it, then moves it on grid 1,
# while Binôme 3 looks at grid 2; she locks Pressing too (Binôme 4's).
fresh
printf 'L<Enter>l<Enter>jL\n' >"$T/fac.script"
tui_script "$b" 100x24 TAMIS_BY="Binôme 3" >"$T/mine.txt" <<EOF
<Tab>
:run $(other Claire "$T/fac.script" /dev/null --facilitator)
:dump
!
:dump
<Enter>
:dump
!
:dump
<Esc>
:dump
EOF
t_eq "it runs" "$tui_rc" 0
t_match "the message line says the newest change to my card, and that there is more" \
	"$(sed -n 24p "$T/mine.txt")" \
	"Claire moved « Réception de colis sur … » to 2,2 on grid 1 \(and 1 more change to your cards"
t_match "! lists the changes by others, newest first" "$(sed -n 25,48p "$T/mine.txt")" \
	"▸ 11:00  Claire moved « Réception de colis sur le lieu de travail » to 2,2 on grid 1"
t_match "with the lock after it" "$(sed -n 25,48p "$T/mine.txt" | grep -A1 'moved «')" \
	"11:00  Claire locked « Réception de colis sur le lieu de travail »"
t_nomatch "a change to someone else's card is not listed" "$(sed -n 25,48p "$T/mine.txt" | grep '11:00')" "Pressing"
t_match "Enter shows the card on its grid" "$(sed -n 49p "$T/mine.txt")" "^ ▸?1 autonomie × frequence"
t_match "selected" "$(sed -n 50,72p "$T/mine.txt")" "▸Réception"
t_match "said once: ! lists it still" "$(sed -n 73,96p "$T/mine.txt")" "Claire locked « Réception"
t_nomatch "but the message line does not say it again" "$(sed -n 120p "$T/mine.txt")" "Claire"

# Without a name, no card is mine: ! says why.
fresh
tui_script "$b" 80x24 TAMIS_BY= >"$T/noname.txt" <<EOF
<Esc>
!
:dump
EOF
t_match "! without a name says why" "$(sed -n 24p "$T/noname.txt")" "needs your name"

# --- real terminals: three people on one board -------------------------------------
fresh
in_a tui_start 120 24 TAMIS_BY=Claire --facilitator "$b" >/dev/null
in_b tui_start 120 24 "TAMIS_BY=Binôme 3" "$b" >/dev/null
t_ok "the pair sees the facilitator in the status bar" in_b tui_wait "│ \+1: Claire⚑ │"
t_ok "and she sees the pair" in_a tui_wait "│ \+1: Binôme 3 │"
in_b tui_keys w
t_ok "w lists her with her role and her grid" in_b tui_wait "Claire⚑ +facilitator +1 autonomie × frequence"
in_b tui_keys Escape

in_a tui_keys Enter
t_ok "the card she picks up is marked in the pair's terminal" in_b tui_wait "▸Réception .*✋"
in_b tui_keys Enter
t_ok "the pair picking it up too is asked first" in_b \
	tui_wait "Claire⚑ is moving this card: pick it up anyway\?"
in_b tui_keys n
t_ok "and leaves it" in_b tui_wait "not picked up"
in_a tui_keys Escape
t_ok "put back, the mark goes" in_b tui_wait "▸Réception de +Pressing"

in_a tui_keys L
t_ok "she locks the pair's card: the pair's message line says so" in_b \
	tui_wait "Claire locked « Réception de colis"
in_b tui_keys '!'
t_ok "! lists it" in_b tui_wait "▸ [0-9:]+  Claire locked « Réception de colis sur le lieu de travail »"
in_b tui_keys Escape Tab
t_ok "on grid 2" in_b tui_wait "│ 2/2 │"
in_b tui_keys j j j
t_ok "the selection goes elsewhere" in_b tui_wait "▸(Café|Conciergerie|Pressing|Séances)"
in_b tui_keys '!' Enter
t_ok "Enter in ! shows the card, selected" in_b tui_wait "▸Réception"

# A third one comes (a scripted instance that waits), and is killed: gone
# from the list, its process gone, at the next heartbeat.
printf ':run exec sleep 60\n' >"$T/third.script"
env TERM=xterm-256color "TAMIS_BY=Binôme B" TAMIS_SCRIPT="$T/third.script" "$TAMIS" "$b" \
	>/dev/null 2>&1 &
third=$!
t_ok "a third one comes: the others see two" in_b tui_wait "│ \+2: Claire⚑, Binôme B │"
its_sleep=$(pgrep -P "$third")
kill -9 "$third"
wait "$third" 2>/dev/null
[ -n "$its_sleep" ] && kill "$its_sleep"
t_ok "killed, it is no longer listed once a heartbeat is written" in_b tui_wait "│ \+1: Claire⚑ │" 25

in_a tui_keys q
t_ok "the facilitator quits" in_a tui_exit_is 0
t_ok "the pair no longer lists her" in_b tui_wait "Atelier du jeudi +│ [12]/2"
in_b tui_keys w
t_ok "w: nobody else" in_b tui_wait "Nobody else has this board open"
in_b tui_keys Escape q
t_ok "the pair quits" in_b tui_exit_is 0
t_fail "the last one out removes the presence file" test -e "$presence"
