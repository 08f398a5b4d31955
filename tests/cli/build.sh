# The build (issue 19): the binary is hardened as a Debian package is
# (dpkg-buildflags): full RELRO (every symbol bound at start, then the
# relocations made read-only), a position-independent executable, fortified
# libc calls and the stack protector. CFLAGS and LDFLAGS given to make come
# after the hardening, so they still win.
. "$TAMIS_TOP/tests/lib.sh"

dyn=$(readelf -dW "$TAMIS" 2>&1)
t_match "bound at start: BIND_NOW (FLAGS) or NOW (FLAGS_1)" "$dyn" \
	'\(FLAGS\) +.*BIND_NOW|\(FLAGS_1\) +Flags:.* NOW'
t_match "a GNU_RELRO segment" "$(readelf -lW "$TAMIS" 2>&1)" '^ +GNU_RELRO '
t_match "a position-independent executable (type DYN)" "$(readelf -hW "$TAMIS" 2>&1)" \
	'^ +Type: +DYN '
syms=$(readelf --dyn-syms -W "$TAMIS" 2>&1)
t_match "fortified libc calls (__*_chk)" "$syms" ' __[a-z0-9_]+_chk(@|$)'
t_match "the stack protector" "$syms" ' __stack_chk_fail(@|$)'

# The flags make would use (a dry run, in a directory of its own).
flags() { make -s -n -B -C "$TAMIS_TOP" O="$T/o" "$@" "$T/o/board.o" "$T/o/tamis" 2>&1; }
out=$(flags)
t_match "make: fortified, with the stack protector and format checks" "$out" \
	'-D_FORTIFY_SOURCE=2 -fstack-protector-strong -Wformat -Werror=format-security -fPIE'
t_match "make: -Wformat=2 stays after the hardening's -Wformat" "$out" \
	'-Werror=format-security -fPIE .*-Wformat=2'
t_match "make: linked with full RELRO, as a PIE" "$out" '-Wl,-z,relro,-z,now -pie'
out=$(flags CFLAGS="-O1 -fno-stack-protector -U_FORTIFY_SOURCE" LDFLAGS="-Wl,-z,lazy")
t_match "make CFLAGS=...: they come after the hardening" "$out" \
	'-fstack-protector-strong .* -O1 -fno-stack-protector -U_FORTIFY_SOURCE '
t_match "make LDFLAGS=...: they come after the hardening" "$out" '-z,now -pie -Wl,-z,lazy '
t_nomatch "make DEVELOPER=1 (-O0): no _FORTIFY_SOURCE, which needs the optimiser" \
	"$(flags DEVELOPER=1)" '_FORTIFY_SOURCE'
