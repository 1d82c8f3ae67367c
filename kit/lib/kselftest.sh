# kit/lib/kselftest.sh - the selftests the kselftest way: installed with
# `make -C tools/testing/selftests TARGETS=fanotify install` and run in the
# guest by the installed run_kselftest.sh (guest job `kselftest`).

fk_ksft_dir() { echo "$FK_CACHE/kselftest-$1"; }

# fk_ksft_install FLAVOUR - build and install into $(fk_ksft_dir FLAVOUR),
# against the flavour's installed UAPI headers (the kernel must be built).
fk_ksft_install() {
	local flavour=$1 src dir log
	src=$(fk_src "$flavour") dir=$(fk_ksft_dir "$flavour")
	log=$FK_CACHE/logs/kselftest-$flavour.log
	rm -rf "$dir"
	fk_log "kselftest: make -C tools/testing/selftests TARGETS=fanotify install (log: $log)"
	make -C "$src/tools/testing/selftests" TARGETS=fanotify \
		O="$FK_CACHE/kselftest-build-$flavour" \
		KHDR_INCLUDES="-isystem $(fk_hdr "$flavour")/include" \
		KSFT_INSTALL_PATH="$dir" install > "$log" 2>&1 ||
		{ tail -30 "$log" >&2; fk_die "kselftest install failed (log: $log)"; }
	[ -x "$dir/run_kselftest.sh" ] && [ -s "$dir/kselftest-list.txt" ] ||
		fk_die "kselftest install produced no run_kselftest.sh or kselftest-list.txt in $dir"
	[ -f "$dir/fanotify/settings" ] ||
		fk_die "kselftest install has no fanotify/settings (timeout for the slow programs)"
	fk_log "kselftest: installed $(grep -c . "$dir/kselftest-list.txt") programs into $dir ($(cat "$dir/fanotify/settings" | xargs))"
}

# fk_ksft_split RUNDIR - cut run_kselftest.sh's TAP (RUNDIR/kselftest.tap)
# into one .out (the program's own TAP, prefix removed) and .rc per program
# under RUNDIR/tests/, so that fk_tap judges them as the kit's runner's.
fk_ksft_split() {
	local rundir=$1
	mkdir -p "$rundir/tests"
	awk -v d="$rundir/tests" '
	/^# selftests: fanotify: / { name = $4; out = d "/" name ".out"; printf "" > out; next }
	name != "" && /^(not )?ok [0-9]+ selftests: fanotify: / {
		rc = 0
		if ($1 == "not") rc = 1
		if (/# *SKIP/) rc = 4
		if (/# *TIMEOUT/) rc = 124
		if (match($0, /# exit=[0-9]+/)) rc = substr($0, RSTART + 7, RLENGTH - 7)
		print rc > (d "/" name ".rc"); close(d "/" name ".rc"); close(out); name = ""; next
	}
	name != "" && /^# / { print substr($0, 3) > out; next }
	name != "" && /^#$/ { print "" > out; next }' "$rundir/kselftest.tap"
}
