# Crash tests: writers killed with SIGKILL at random moments, alone and while
# the board is live; after every trial the board loads and holds every change
# whose command reported success. And the order of syncs along a save.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T16:00:00Z
TRIALS=${TAMIS_KILL_TRIALS:-200}

b=$T/b.yaml
$TAMIS new "$b" >/dev/null
bad_load=0
lost=0
live=
t_cleanup_hook='[ -n "$live" ] && kill $live 2>/dev/null'
i=0
while [ $i -lt "$TRIALS" ]; do
	# Half the trials with a live instance: writers then append to the journal.
	if [ $((i % 2)) -eq 1 ] && [ -z "$live" ]; then
		flock -o -s "$T/.b.yaml.live" sleep 600 &
		live=$!
	elif [ $((i % 2)) -eq 0 ] && [ -n "$live" ]; then
		kill $live 2>/dev/null
		wait $live 2>/dev/null
		live=
	fi
	# Two writers; each prints a card's id only once its add is durable.
	for w in 1 2; do
		(for k in 1 2 3 4 5 6; do $TAMIS add "$b" "trial $i writer $w card $k" || break; done) \
			>"$T/acked.$w" 2>/dev/null &
		eval "pid$w=\$!"
	done
	# Kill at a random moment, 0-60 ms in.
	sleep "0.0$(( (i * 7919) % 60 / 10 ))$(( (i * 104729) % 10 ))"
	pkill -KILL -P $pid1 2>/dev/null
	pkill -KILL -P $pid2 2>/dev/null
	kill -KILL $pid1 $pid2 2>/dev/null
	wait $pid1 $pid2 2>/dev/null
	if ! $TAMIS check "$b" >/dev/null 2>"$T/err"; then
		bad_load=$((bad_load + 1))
		cat "$T/err" >>"$T/bad_loads"
	fi
	$TAMIS list "$b" --format tsv | cut -c1-8 >"$T/present"
	for id in $(cat "$T/acked.1" "$T/acked.2"); do
		grep -qx "$id" "$T/present" || { lost=$((lost + 1)); echo "$i $id" >>"$T/lost"; }
	done
	i=$((i + 1))
done
[ -n "$live" ] && { kill $live 2>/dev/null; wait $live 2>/dev/null; live=; }
t_eq "the board loaded after each of $TRIALS kill -9 trials" "$bad_load" "0"
t_eq "no acknowledged change was lost in $TRIALS kill -9 trials" "$lost" "0"
t_match "the trials did write cards" "$($TAMIS list "$b" --format tsv | wc -l)" "^[0-9]{2,}$"
t_ok "the board is valid at the end" $TAMIS check "$b"

# --- fsync discipline, seen by strace ---------------------------------------
if command -v strace >/dev/null 2>&1; then
	strace -f -o "$T/trace" -e trace=fsync,fdatasync,rename,openat \
		$TAMIS add "$b" "traced" >/dev/null 2>&1
	seq=$(grep -E 'fsync|rename\(' "$T/trace" | sed -E 's/^[0-9]+ +//' |
		sed -E 's/^(fsync|fdatasync)\(([0-9]+).*/\1 \2/; s/^rename\("([^"]*)", "([^"]*)".*/rename \2/' |
		tr '\n' ';')
	t_match "the new file is synced before the rename" "$seq" "^fsync [0-9]+;rename $T/b.yaml;"
	t_match "the directory is synced after the rename" "$seq" "rename $T/b.yaml;fsync [0-9]+;$"
	tmpfd=$(grep -E "openat\(.*\.b\.yaml\.[A-Za-z0-9]{6}\"" "$T/trace" | head -1 | sed -E 's/.*= ([0-9]+)$/\1/')
	dirfd=$(grep -E "openat\(AT_FDCWD, \"$T\", O_RDONLY.*O_DIRECTORY" "$T/trace" | tail -1 | sed -E 's/.*= ([0-9]+)$/\1/')
	t_eq "the first fsync is the temporary file's" "$(echo "$seq" | cut -d';' -f1)" "fsync $tmpfd"
	t_eq "the last fsync is the directory's" "$(echo "$seq" | cut -d';' -f3)" "fsync $dirfd"
	t_match "the temporary file is made with O_EXCL in the board's directory" \
		"$(grep -E "\.b\.yaml\.[A-Za-z0-9]{6}\"" "$T/trace" | head -1)" "O_RDWR\|O_CREAT\|O_EXCL"
else
	t_failed "strace is needed for the fsync discipline test"
fi

# --- disk full (a file-size limit) and a stuck lock ---------------------------
cp "$b" "$T/before"
t_exit "a save past the file-size limit fails with 74" 74 sh -c "ulimit -f 4; exec $TAMIS add '$b' 'too big to fit'"
t_ok "and the board is intact" cmp "$b" "$T/before"
t_ok "once the limit is gone the same change works" $TAMIS add "$b" "too big to fit"
