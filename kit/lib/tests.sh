# kit/lib/tests.sh - build the selftests (and the demo sample) on the host
# against a flavour's installed UAPI headers; output lives in the cache.

# gcc for kit-built programs: our headers first, harness headers available.
fk_cc() {
	local flavour=$1; shift
	gcc -O2 -g -Wall -isystem "$(fk_hdr "$flavour")/include" \
		-I "$(fk_src "$flavour")/tools/testing/selftests" "$@"
}

# fk_build_tests FLAVOUR - writes the absolute paths of the binaries to run
# into $(fk_tests FLAVOUR)/LIST.
fk_build_tests() {
	local flavour=$1 out dir log names=() n c
	out=$(fk_tests "$flavour") log=$FK_CACHE/logs/tests-$flavour.log
	mkdir -p "$out"; : > "$log"
	if fk_have_selftests; then
		dir=$(fk_src "$flavour")/tools/testing/selftests/fanotify
		[ -f "$dir/Makefile" ] || fk_die "selftests missing from $(fk_src "$flavour")"
		fk_log "building selftests for $flavour (log: $log)"
		make -C "$dir" OUTPUT="$out" CC=gcc \
			KHDR_INCLUDES="-isystem $(fk_hdr "$flavour")/include" >> "$log" 2>&1 || {
			tail -40 "$log" >&2; fk_die "selftests do not build against $flavour headers (log: $log)"; }
		mapfile -t names < <(make -s -C "$dir" OUTPUT="$out" emit_tests | sed 's/^[^:]*://')
	else
		fk_log "the repo has no tools/testing/selftests/fanotify/Makefile yet"
	fi
	# FANKIT_EXTRA_TESTS: a directory of throwaway *_test.c (not in the repo).
	if [ -n "${FANKIT_EXTRA_TESTS:-}" ]; then
		for c in "$FANKIT_EXTRA_TESTS"/*_test.c; do
			[ -f "$c" ] || continue
			n=$(basename "$c" .c); names+=("$n")
			fk_cc "$flavour" -o "$out/$n" "$c" >> "$log" 2>&1 ||
				{ cat "$log" >&2; fk_die "extra test $n does not build"; }
		done
	fi
	if [ -n "${FANKIT_TESTS:-}" ]; then
		local keep=() want
		for n in "${names[@]}"; do
			for want in ${FANKIT_TESTS//,/ }; do
				[ "$n" = "$want" ] || [ "$n" = "${want}_test" ] && keep+=("$n")
			done
		done
		[ ${#keep[@]} -gt 0 ] || fk_die "FANKIT_TESTS='$FANKIT_TESTS' matches none of: ${names[*]}"
		names=("${keep[@]}")
	fi
	[ ${#names[@]} -gt 0 ] || fk_die "no test programs to run"
	: > "$out/LIST"
	for n in "${names[@]}"; do
		[ -x "$out/$n" ] || fk_die "test program $n was not built"
		echo "$out/$n" >> "$out/LIST"
	done
	fk_log "tests for $flavour: ${names[*]}"
}

# fk_build_sample FLAVOUR [NAME] - builds samples/fanotify/NAME.c (default
# fanotify-watch) and prints the binary's path, or nothing if NAME.c is not
# in the repo.
fk_build_sample() {
	local flavour=$1 name=${2:-fanotify-watch} c out
	c=$FK_REPO/samples/fanotify/$name.c
	[ -f "$c" ] || return 0
	out=$FK_CACHE/samples-$flavour; mkdir -p "$out"
	fk_cc "$flavour" -o "$out/$name" "$c" >&2 ||
		fk_die "samples/fanotify/$name.c does not build"
	echo "$out/$name"
}
