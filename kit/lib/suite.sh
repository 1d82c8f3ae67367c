# kit/lib/suite.sh - build, boot and judge the test suite on one flavour.
# Accumulates FK_PASS/FK_FAIL/FK_SKIP and FK_SUMMARY (one line per kernel).

FK_PASS=0 FK_FAIL=0 FK_SKIP=0 FK_SUMMARY=()

fk_count() { # PASS FAIL SKIP
	FK_PASS=$((FK_PASS + $1)) FK_FAIL=$((FK_FAIL + $2)) FK_SKIP=$((FK_SKIP + $3))
}

# Build kernel + tests for FLAVOUR in a subshell (fk_die must not end us).
# Called as a plain command, not in `if`/`||`, so that set -e stays active
# inside; returns the subshell's status in FK_BUILD_RC.
fk_build_all() {
	set +e
	( set -euo pipefail
	  fk_prepare_src "$1" > /dev/null
	  fk_build_kernel "$1"
	  fk_build_tests "$1" )
	FK_BUILD_RC=$?
	set -e
}

# fk_suite FLAVOUR - sets FK_SUITE_RC (0 = all good) and returns 0.  Call it
# as a plain command (not in `if`/`||`) so that set -e stays in force.
fk_suite() {
	FK_SUITE_RC=1
	local flavour=$1 rundir per tmo n name p f s verdict pass=0 fail=0 skip=0 ok=1
	local t0; t0=$(fk_now)
	fk_build_all "$flavour"
	if [ "$FK_BUILD_RC" != 0 ]; then
		fk_log "$flavour: BUILD FAILED (counted as 1 failure)"
		fk_count 0 1 0
		FK_SUMMARY+=("$flavour: build FAILED (1 failure counted)")
		return 0
	fi
	local list=$(fk_tests "$flavour")/LIST
	n=$(wc -l < "$list")
	per=${FANKIT_TEST_TIMEOUT:-180}
	[ "$flavour" = debug ] && per=$((per * 8))
	tmo=$((240 + n * per))
	[ "$flavour" = debug ] && tmo=$((tmo + 1500))   # slow boot, kmemleak scans
	rundir=$(fk_new_rundir "$flavour")
	FK_JOB_ENV=("FANKIT_TEST_LIST=$list" "FANKIT_TEST_TIMEOUT=$per"
		"FANOTIFY_KERNEL=$(fk_is_stock "$flavour" && echo stock || echo ours)"
		"FANOTIFY_DEBUG_KERNEL=$([ "$flavour" = debug ] && echo 1 || echo 0)")
	local tb; tb=$(fk_now)
	fk_boot "$flavour" test "$rundir" "$tmo"
	fk_log "$flavour: guest ran for $(( $(fk_now) - tb ))s"

	echo "== $flavour kernel: per-program results (outputs: $rundir/tests/) ==" >&2
	while read -r bin; do
		name=${bin##*/}
		read -r p f s verdict <<< "$(fk_tap "$rundir/tests/$name.out" "$rundir/tests/$name.rc")"
		printf '  %-28s %3d passed %3d failed %3d skipped  %s\n' "$name" "$p" "$f" "$s" "$verdict" >&2
		if [ "$f" -gt 0 ]; then
			{ grep -E '^not ok|^# +FAIL|^#.*(Expected|ASSERT|EXPECT)' \
				"$rundir/tests/$name.out" 2>/dev/null || true; } |
				head -10 | sed 's/^/      /' >&2
		fi
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	done < "$list"
	local lc=ok
	fk_logcheck "$rundir" || { lc=FAILED; fail=$((fail + 1)); }
	fk_leakcheck "$rundir" || { lc="$lc, kmemleak FAILED"; fail=$((fail + 1)); }
	fk_count "$pass" "$fail" "$skip"
	FK_SUMMARY+=("$flavour: $pass passed, $fail failed, $skip skipped; log check $lc; $(( $(fk_now) - t0 ))s; $rundir")
	echo "${FK_SUMMARY[-1]}" > "$rundir/SUMMARY"
	[ "$fail" != 0 ] || FK_SUITE_RC=0
}

fk_final_summary() {
	local l
	echo "== summary ==" >&2
	for l in "${FK_SUMMARY[@]}"; do echo "  $l" >&2; done
	echo "$FK_PASS passed, $FK_FAIL failed, $FK_SKIP skipped"
}
