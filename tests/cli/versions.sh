# The versions of a card's text (issue 16): every edit keeps what it
# replaced in the card's history, 'tamis show' numbers the versions, and
# 'tamis restore' gives one back as a new change.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z

b=$T/b.yaml
cp "$TAMIS_TOP/tests/tui/data/atelier.yaml" "$b"
edit() { # BY TEXT: an edit of Café's text by BY, through a scripted UI
	printf '/Café<Enter>e<C-u>%s<Enter>\n' "$2" >"$T/edit.script"
	env TERM=xterm-256color TAMIS_BY="$1" TAMIS_SCRIPT="$T/edit.script" TAMIS_SCRIPT_SIZE=80x24 \
		"$TAMIS" "$b" >/dev/null 2>&1
}
t_eq "a card never edited lists no versions" "$($TAMIS show "$b" 2222 | grep -c '^versions:')" 0
edit "Binôme 1" "Café-philo"
edit "Binôme 2" "Café-philo du samedi"
t_match "the edit keeps the text it replaced, in the file" "$(grep 'event: edited' "$b" | head -1)" \
	"by: Binôme 1, event: edited, from: Café ☕ et thé 🍵 offerts le lundi, to: Café-philo\}"
out=$($TAMIS show "$b" 2222)
t_match "show numbers the versions, oldest first" "$(printf '%s\n' "$out" | sed -n '/^versions:/,$p' | tr '\n' '|')" \
	"^versions:\|   1  Café ☕ et thé 🍵 offerts le lundi\|   2  2019-06-28T10:12:00Z  Binôme 1  Café-philo\|   3  2019-06-28T10:12:00Z  Binôme 2  Café-philo du samedi  \(now\)\|$"
t_ok "restore gives version 1 back" $TAMIS restore "$b" 2222 --at 1 --by claire
t_match "the card has its first text again" "$($TAMIS show "$b" 2222 | grep '^text:')" \
	"^text: +Café ☕ et thé 🍵 offerts le lundi$"
t_match "as a new change, by whoever restored it: a fourth version" \
	"$($TAMIS show "$b" 2222 | grep '  4  ')" "claire  Café ☕ et thé 🍵 offerts le lundi  \(now\)"
t_ok "restoring the text it has changes nothing" $TAMIS restore "$b" 2222 --at 4
t_exit "a version it does not have: 65" 65 $TAMIS restore "$b" 2222 --at 9
t_match "saying how many it has" "$($TAMIS restore "$b" 2222 --at 9 2>&1)" \
	"card 2222 has 4 versions of its text \('tamis show' lists them\)"
t_exit "--at must be a number from 1" 64 $TAMIS restore "$b" 2222 --at 0
t_exit "--at is required" 64 $TAMIS restore "$b" 2222
t_ok "the board stays valid" $TAMIS check "$b"
