# CLI safety: terminal escaping, concurrent writers, the lock, Python round trip.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z

b=$T/b.yaml
$TAMIS new "$b" >/dev/null
evil=$(printf 'Evil \033]0;pwned\007 \033[2J text')
id=$($TAMIS add "$b" "$evil")

# --- control characters never reach a terminal raw -------------------------------
out=$(script -qec "$TAMIS list '$b'" /dev/null)
t_nomatch "list to a terminal has no raw ESC" "$out" "$(printf '\033')"
t_match "list to a terminal shows visible escapes" "$out" 'Evil \\e\]0;pwned\\a \\e\[2J text'
out=$(script -qec "$TAMIS show '$b' $id" /dev/null)
t_nomatch "show to a terminal has no raw ESC or BEL" "$out" "$(printf '[\033\007]')"
out=$($TAMIS list "$b" --format tsv | tail -1)
t_match "piped output is plain" "$out" "$(printf 'Evil \033')"
t_match "the file stores escapes, not raw control bytes" "$(grep Evil "$b")" 'text: "Evil \\e\]0;pwned\\a \\e\[2J text"'
t_eq "the file holds no raw control byte" "$(tr -d '\n' <"$b" | LC_ALL=C grep -c "$(printf '[\001-\037]')")" "0"

# --- four writers at once lose nothing ---------------------------------------------
$TAMIS new "$T/c.yaml" >/dev/null
for w in 1 2 3 4; do
	(for i in $(seq 1 100); do
		$TAMIS add "$T/c.yaml" "writer $w card $i" --by "w$w" >/dev/null || echo "fail $w $i"
	done) >"$T/w$w.log" 2>&1 &
done
wait
t_eq "no add failed" "$(cat "$T"/w*.log)" ""
t_eq "all 400 cards are on the board" "$($TAMIS list "$T/c.yaml" --format tsv | tail -n +2 | wc -l)" "400"
t_eq "each writer's 100 cards are there" \
	"$($TAMIS list "$T/c.yaml" --format tsv | tail -n +2 | cut -f3 | sort | uniq -c | awk '{print $1}' | tr '\n' ' ')" \
	"100 100 100 100 "
t_ok "the board is valid after concurrent writes" $TAMIS check "$T/c.yaml"

# --- the lock ----------------------------------------------------------------------------
cp "$b" "$T/before"
flock "$T/.b.yaml.lock" sleep 3 &
holder=$!
sleep 0.3
t_exit "a held lock times out with 75" 75 env TAMIS_LOCK_TIMEOUT=0.2 $TAMIS add "$b" "late"
t_ok "the board is unchanged" cmp "$b" "$T/before"
kill $holder 2>/dev/null
wait 2>/dev/null
t_ok "the lock file is a dot-file beside the board" test -f "$T/.b.yaml.lock"
t_eq "no temporary file is left (only the lock and presence files)" \
	"$(ls -A "$T" | grep '^\.b\.yaml\.' | grep -v -e '\.lock$' -e '\.live$')" ""

# --- round trip and stable bytes -----------------------------------------------------
cp "$SAMPLE" "$T/s.yaml"
$TAMIS move "$T/s.yaml" "$($TAMIS list "$T/s.yaml" --format tsv | sed -n 2p | cut -c1-8)" \
	--grid autonomie-frequence --cell 1,1
cp "$T/s.yaml" "$T/s1.yaml"
$TAMIS move "$T/s.yaml" "$($TAMIS list "$T/s.yaml" --format tsv | sed -n 2p | cut -c1-8)" \
	--grid autonomie-frequence --cell 1,1
t_ok "saving the same board twice gives identical bytes" cmp "$T/s.yaml" "$T/s1.yaml"
t_eq "a saved sample differs from the shipped one only by the move and its history" \
	"$(diff "$SAMPLE" "$T/s.yaml" | grep '^[<>]' | grep -v -e '^[<>] *autonomie-frequence: \[' \
		-e '^> *history:$' -e '^> *- {at: 2019-06-28T10:12:00Z, event: moved, grid: autonomie-frequence, from: \[[0-9], [0-9]\], to: \[1, 1\]}$')" ""
t_eq "Python reads the same cards tamis lists" \
	"$(python3 -c 'import sys,yaml; print(len(yaml.safe_load(open(sys.argv[1]))["cards"]))' "$T/s.yaml")" \
	"$($TAMIS list "$T/s.yaml" --format tsv | tail -n +2 | wc -l)"
t_eq "Python reads UTF-8 and escapes back as written" \
	"$(python3 -c 'import sys,yaml; c=yaml.safe_load(open(sys.argv[1]))["cards"]; print(repr(c[0]["text"]))' "$b")" \
	"'Evil \\x1b]0;pwned\\x07 \\x1b[2J text'"
