# CLI tests: the bash completion (completion/tamis.bash) offers commands,
# options, and the ids of the board named on the line, as bash would ask for
# them (COMP_WORDS, COMP_CWORD, then COMPREPLY); the zsh one (completion/_tamis)
# turns the same candidates into zsh's, descriptions included. The real
# shells at a terminal: tests/tui/completion.sh.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z
b=$T/b.yaml
$TAMIS new "$b" >/dev/null
card=$($TAMIS add "$b" "Café numérique" --theme mobilite)
mkdir "$T/bin"
ln -s "$TAMIS" "$T/bin/tamis"
cd "$T" || exit 1

# complete WORD... : COMPREPLY for the last word, one a line, as bash sets it.
complete_bash() {
	PATH=$T/bin:$PATH bash --norc --noprofile -c '
		. "$1/completion/tamis.bash"
		shift
		COMP_WORDS=(tamis "$@")
		COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		_tamis
		printf "%s\n" "${COMPREPLY[@]}"' sh "$TAMIS_TOP" "$@"
}

t_eq "bash: tamis add FILE x --grid <TAB> lists the board's grids" \
	"$(complete_bash add b.yaml x --grid '')" \
	"autonomie-frequence
autonomie-centralisation
frequence-centralisation"
t_eq "bash: --grid a<TAB> keeps those that begin so" \
	"$(complete_bash add b.yaml x --grid a)" \
	"autonomie-frequence
autonomie-centralisation"
t_eq "bash: --grid=<TAB> (bash splits at '=') answers the value alone" \
	"$(complete_bash add b.yaml x --grid = fr)" "frequence-centralisation"
t_eq "bash: --theme <TAB> lists the board's themes" \
	"$(complete_bash add b.yaml x --theme '' | head -3)" \
	"mobilite
conciergerie
sante"
t_eq "bash: a card's id for show" "$(complete_bash show b.yaml '')" "$card"
t_eq "bash: the commands" "$(complete_bash gr)" "grid"
mkdir "$T/empty"
t_eq "bash: every command of tamis --help is offered (in an empty directory)" \
	"$(cd "$T/empty" && complete_bash '' | sort)" \
	"$($TAMIS --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | sort)"
t_eq "bash: add's options, from its usage line" "$(complete_bash add b.yaml x --)" \
	"--theme
--by
--grid
--cell
--force
--help"
t_eq "bash: choices of --format" "$(complete_bash list b.yaml --format '')" "text
tsv
yaml"
t_eq "bash: criteria for the second half of --axes" \
	"$(complete_bash grid b.yaml g2 --axes autonomie,f)" "autonomie,frequence"
t_match "bash: a FILE argument completes file names" "$(complete_bash show b)" "^b\.yaml$"
t_eq "bash: nothing for a card's TEXT" "$(complete_bash add b.yaml '')" ""
t_eq "bash: nothing from a file that is not a board" "$(complete_bash show /etc/passwd '')" ""

# zsh: the script as compsys calls it, with _describe and _files stood in for.
if command -v zsh >/dev/null 2>&1; then
	complete_zsh() {
		PATH=$T/bin:$PATH zsh -f -c '
			_describe() { print -rl -- "${(@P)4}"; }
			_files() { print -r -- "(files)"; }
			top=$1; shift
			words=(tamis "$@"); CURRENT=$#words
			source "$top/completion/_tamis"' zsh "$TAMIS_TOP" "$@"
	}
	t_eq "zsh: --grid <TAB> lists the grids with their axes" \
		"$(complete_zsh add b.yaml x --grid fr)" \
		"frequence-centralisation:frequence × centralisation, 2×2"
	t_eq "zsh: a card's id with its text" "$(complete_zsh show b.yaml '')" \
		"$card:Café numérique"
	t_eq "zsh: --grid=<TAB> in one word" "$(complete_zsh add b.yaml x --grid=fr)" \
		"--grid=frequence-centralisation:frequence × centralisation, 2×2"
	t_match "zsh: the first word, commands and files" "$(complete_zsh '')" "^grid
(files)$"
else
	t_failed "zsh is installed (TEST_TOOLS)"
fi

# make install puts both where the shells look (from the build under test:
# O is the directory of $TAMIS, "build" for ./tamis).
o=$(dirname "$TAMIS")
[ "$o" = "$TAMIS_TOP" ] && o=build
make -s -C "$TAMIS_TOP" install PREFIX=/usr DESTDIR="$T/root" O="$o" >"$T/install.log" 2>&1
t_ok "make install: bash completion" cmp "$TAMIS_TOP/completion/tamis.bash" \
	"$T/root/usr/share/bash-completion/completions/tamis"
t_ok "make install: zsh completion" cmp "$TAMIS_TOP/completion/_tamis" \
	"$T/root/usr/share/zsh/site-functions/_tamis"
