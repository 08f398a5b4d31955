# Terminal tests: completion as a person sees it, in a real zsh (compinit)
# and a real bash at a terminal (tmux): Tab after --grid shows the board's
# grids, and a unique prefix is completed on the line.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z LC_ALL=C.UTF-8
SOCK=tamis-completion-$$
tm() { tmux -f /dev/null -L "$SOCK" "$@"; }
t_cleanup_hook='tm kill-server >/dev/null 2>&1'
mkdir "$T/bin" "$T/zdot"
ln -s "$TAMIS" "$T/bin/tamis"
cd "$T" || exit 1
$TAMIS new b.yaml >/dev/null
card=$($TAMIS add b.yaml "Café numérique")

# wait_for REGEX: polls the pane until it shows REGEX (10 s at most).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p -t "$S" | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# shows WHAT REGEX: one test line.
shows() {
	if wait_for "$2"; then t_pass "$1"; else t_failed "$1" "no /$2/ on the screen:" "$(tm capture-pane -p -t "$S")"; fi
}
# tab TEXT: types TEXT on an empty line, then Tab.
tab() {
	tm send-keys -t "$S" C-u
	tm send-keys -t "$S" -l "$1"
	tm send-keys -t "$S" Tab
}
# start NAME SHELL-COMMAND: a new session, which the later calls use. The
# ones before stay (killing the last would stop the server under our feet).
start() {
	S=$1
	tm new-session -d -s "$S" -x 100 -y 20 "env PATH=$T/bin:$PATH $2" &&
		tm set-option -g status off >/dev/null
	wait_for '^\$ ?$' || t_failed "the shell starts" "$(tm capture-pane -p -t "$S")"
}

if command -v zsh >/dev/null 2>&1; then
	cat >"$T/zdot/.zshrc" <<ZSHRC
fpath=($TAMIS_TOP/completion \$fpath)
autoload -U compinit && compinit -u -d $T/zdot/.zcompdump
zstyle ':completion:*' format ''
PS1='$ '
ZSHRC
	start zsh "ZDOTDIR=$T/zdot zsh -i"
	tab 'tamis add b.yaml x --grid '
	shows "zsh: Tab after --grid lists the grids and their axes" \
		"autonomie-centralisation +-- autonomie × centralisation, 3×3"
	tab 'tamis add b.yaml x --grid fr'
	shows "zsh: a unique prefix is completed on the line" \
		"^\\$ tamis add b.yaml x --grid frequence-centralisation ?$"
	tab 'tamis show b.yaml '
	shows "zsh: the one card's id is completed" "^\\$ tamis show b.yaml $card ?$"
else
	t_failed "zsh is installed (TEST_TOOLS)"
fi

cat >"$T/bashrc" <<BASHRC
. $TAMIS_TOP/completion/tamis.bash
PS1='$ '
BASHRC
start bash "bash --rcfile $T/bashrc -i"
tab 'tamis add b.yaml x --grid a'
shows "bash: Tab after --grid a completes what the grids share" \
	"^\\$ tamis add b.yaml x --grid autonomie-$"
tm send-keys -t "$S" Tab Tab
shows "bash: Tab Tab then lists the two grids" \
	"autonomie-frequence +autonomie-centralisation|autonomie-centralisation +autonomie-frequence"
tab 'tamis sh'
shows "bash: a command is completed" "^\\$ tamis show"
