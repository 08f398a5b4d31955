# Boards written by tamis load in Python's yaml (PyYAML, YAML 1.1) with every
# string exactly as tamis meant it (the unit tests check the same of the
# store alone, and byte stability).
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z

if ! python3 -c 'import yaml' 2>/dev/null; then
	# Not a silent pass: the suite shows the reason.
	t_failed "python3 with the yaml module is needed (apt-get install python3-yaml)"
	exit 0
fi

b=$T/tricky.yaml
t_ok "new board with a tricky title" $TAMIS new "$b" --title "yes"

# Texts a careless YAML writer would change or break. One per line in a file,
# with \n \t \e \a written as escapes and expanded by printf.
cat >"$T/texts" <<'EOF'
yes
No
123
1:20
0x1F
1e3
.inf
null
~
2019-06-28
- x
a: b
a #b
#x
  lead
trail 
"q"
's'
[x]
{y}
&a
*a
!t
|
%p
@x
? x
<<
=
emoji 😀
漢字
«Réservé» l’agent
ligne 1\nligne 2
tab\there
\e]0;title\a
\e[31mrouge\e[0m
back\\slash
EOF
n=0
while IFS= read -r line; do
	text=$(printf '%b_' "$line")
	text=${text%_}
	# 'by' is a name: control characters are refused there, kept in texts.
	case $text in
	*[[:cntrl:]]*) set -- ;;
	*) set -- --by "$text" ;;
	esac
	$TAMIS add "$b" "$@" -- "$text" >/dev/null 2>"$T/err" ||
		t_failed "add $line" "$(cat "$T/err")"
	printf '%s' "$text" | od -An -tx1 | tr -d ' \n' >>"$T/want"
	echo >>"$T/want"
	n=$((n + 1))
done <"$T/texts"
t_eq "all $n tricky cards added" "$($TAMIS list "$b" --format tsv | tail -n +2 | wc -l | tr -d ' ')" "$n"
t_ok "the board is valid" $TAMIS check "$b"

got=$(python3 - "$b" <<'PY' 2>&1
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
assert d["title"] == "yes", repr(d["title"])
for c in d["cards"]:
    assert isinstance(c["text"], str) and c.get("by", c["text"]) == c["text"], repr(c)
    print(c["text"].encode("utf-8").hex())
PY
)
t_eq "python reads every text as written" "$got" "$(cat "$T/want")"
t_nomatch "UTF-8 is written as is" "$(cat "$b")" '\\u00|\\U000'
t_match "emoji written raw" "$(cat "$b")" '^    text: emoji 😀$'

# The yaml format of 'list' is YAML too.
t_ok "list --format yaml loads in python" sh -c \
	"$TAMIS list '$b' --format yaml | python3 -c 'import sys, yaml; d = yaml.safe_load(sys.stdin); assert len(d[\"cards\"]) == $n'"

t_ok "the sample board loads in python" \
	python3 -c 'import yaml, sys; yaml.safe_load(open(sys.argv[1]))' "$SAMPLE"
