# kit/lib/stress.sh - fuzzing and stress on the debug kernel (kit/stress, and
# its smoke in kit/test): build `debug` and tools/fanotify-fuzz, boot with
# slab_nomerge and the `stress` guest job (kit/guest/jobs/stress: trinity as
# root and as nobody, stress-ng's fanotify stressor and our fuzzer, all at
# once), then judge the console log, kmemleak and the fuzzers' figures.
#
# Figures (one line, FK_STRESS_LINE): duration, operations, warnings whose
# report involves fsnotify/fanotify (must be 0), kmemleak reports mentioning
# them (must be 0), invariant violations (must be 0); other warnings and
# leaks, and trinity's own crashes, are information.

FK_STRESS_SMOKE_SECS=${FANKIT_STRESS_SMOKE_SECS:-75}

# fk_stress_program - build tools/fanotify-fuzz against the debug kernel's
# installed UAPI headers; prints the binary's path.
fk_stress_program() {
	local out=$FK_CACHE/fuzz-bin log=$FK_CACHE/logs/fuzz-build.log
	mkdir -p "$out"
	make -C "$FK_REPO/tools/fanotify-fuzz" OUTPUT="$out" CC=gcc \
		KHDR_INCLUDES="-isystem $(fk_hdr debug)/include" > "$log" 2>&1 ||
		{ cat "$log" >&2; fk_die "tools/fanotify-fuzz does not build (log: $log)"; }
	echo "$out/fanotify-fuzz"
}

# fk_stress_warnings LOG - "OURS OTHERS": kernel reports in the console log,
# split by whether the report (from its first line to the end of its trace)
# mentions fsnotify or fanotify.  kmemleak's own summary line during our scan
# and user-space fault reports are not reports (as in fk_logcheck).
fk_stress_warnings() {
	awk -v pat="$FK_BAD_PATTERNS" '
		/fankit: kmemleak scan begins/ { scan = 1 }
		/fankit: kmemleak scan done/ { scan = 0 }
		function close_report() {
			if (!inrep) return
			if (ours) nours++; else nother++
			inrep = 0
		}
		{
			bad = $0 ~ pat && !(scan && /kmemleak: .*new suspected memory leaks/) &&
				!/traps: [^ ]+\[[0-9]+\] general protection fault ip:/
			if (!inrep && bad) { inrep = 1; ours = 0; lines = 0; first = $0 }
			if (inrep) {
				if (/fsnotify|fanotify/) ours = 1
				if (++lines > 150 || /---\[ end trace|<\/TASK>/) close_report()
			}
		}
		END { close_report(); print nours + 0, nother + 0 }' "$1"
}

# fk_stress_leaks RUNDIR - "OURS OTHERS" kmemleak records.
fk_stress_leaks() {
	local f=$1/kmemleak.txt
	[ -s "$f" ] || { echo "0 0"; return; }
	awk 'BEGIN { RS = "unreferenced object" } NR > 1 {
		if (/fanotify|fsnotify/) o++; else n++ } END { print o + 0, n + 0 }' "$f"
}

# fk_stress_fig RUNDIR NAME - a figure written by the guest job.
fk_stress_fig() {
	sed -n "s/^$2 //p" "$1/stress/figures.txt" 2>/dev/null | tail -1
}

# fk_stress_run SECONDS SEED - boot, run, judge.  Sets FK_STRESS_RC (0: all
# must-be-0 figures are 0), FK_STRESS_DIR and FK_STRESS_LINE.  Call as a
# plain command.  The debug kernel must be built.
fk_stress_run() {
	local secs=$1 seed=$2 bin rundir t0 w l v ops n fv sd
	FK_STRESS_RC=1 FK_STRESS_LINE="stress: not run"
	t0=$(fk_now)
	bin=$(fk_stress_program) || return 0
	rundir=$(fk_new_rundir stress)
	FK_STRESS_DIR=$rundir
	FK_JOB_ENV=("FANKIT_STRESS_SECS=$secs" "FANKIT_STRESS_SEED=$seed"
		"FANKIT_STRESS_FUZZ=$bin"
		"FANKIT_STRESS_TRINITY_CALLS=${FANKIT_STRESS_TRINITY_CALLS:-20000}")
	fk_log "stress: $secs s of trinity (root, nobody), stress-ng and fanotify-fuzz," \
		"seed $seed, on the debug kernel"
	# Boot (about 45 s), the run, settling, kmemleak scans (about 65 s).
	FANKIT_APPEND="${FANKIT_APPEND:-} slab_nomerge" \
		fk_boot debug stress "$rundir" $((secs + 900))
	local guest=$(( $(fk_now) - t0 ))

	read -r w wo <<< "$(fk_stress_warnings "$rundir/console.log")"
	[ -f "$rundir/END" ] || { fk_log "stress: the guest never finished its job" \
		"(hang, panic or host timeout)"; tail -15 "$rundir/console.log" >&2; w=$((w + 1)); }
	read -r l lo <<< "$(fk_stress_leaks "$rundir")"
	fv=$(fk_stress_fig "$rundir" fuzz_violations)
	sd=$(fk_stress_fig "$rundir" slab_diff)
	v=$(( ${fv:-0} + (${#sd} > 0 ? 1 : 0) ))
	[ -n "$fv" ] || { fk_log "stress: the fuzzer reported nothing"; v=$((v + 1)); }
	case $(fk_stress_fig "$rundir" fuzz_rc) in
	0|1) ;;
	*) fk_log "stress: fanotify-fuzz did not finish normally (rc $(fk_stress_fig "$rundir" fuzz_rc))"
	   v=$((v + 1)) ;;
	esac
	local tr tc ts tn ncrash
	tr=$(( $(fk_stress_fig "$rundir" trinity_root_rounds) + 0 ))
	tn=$(( $(fk_stress_fig "$rundir" trinity_nobody_rounds) + 0 ))
	tc=$(( $(fk_stress_fig "$rundir" trinity_root_calls) + $(fk_stress_fig "$rundir" trinity_nobody_calls) ))
	ts=$(( $(fk_stress_fig "$rundir" trinity_root_segfaults) + $(fk_stress_fig "$rundir" trinity_nobody_segfaults) ))
	ncrash=$(grep -cE 'trinity[^ ]*\[[0-9]+\]: segfault at' "$rundir/console.log" || true)
	local so=$(( $(fk_stress_fig "$rundir" stressng_ops) + 0 ))
	local fo=$(( $(fk_stress_fig "$rundir" fuzz_ops) + 0 ))
	ops=$((tc + so + fo))

	fk_log "stress: trinity seeds: root $(fk_stress_fig "$rundir" trinity_root_seeds)," \
		"nobody $(fk_stress_fig "$rundir" trinity_nobody_seeds); fuzz seed $seed" \
		"($(fk_stress_fig "$rundir" fuzz_iterations) iterations)"
	[ "$ts" = 0 ] || fk_log "stress: trinity itself crashed in $ts of $((tr + tn)) rounds" \
		"(rc 139/134; information, see $rundir/stress/trinity-*.rounds)"
	if [ "${fv:-0}" != 0 ]; then
		fk_log "stress: invariant violations (first 10):"
		grep '^VIOLATION' "$rundir/stress/fuzz.out" | head -10 | sed 's/^/    /' >&2
	fi
	[ -z "$sd" ] || fk_log "stress: slab counters did not return to their start: $sd"
	[ "$w" = 0 ] || fk_log "stress: kernel reports involving fsnotify/fanotify in $rundir/console.log"
	if [ "$wo" != 0 ]; then
		fk_log "stress: $wo other kernel report(s) (information):"
		grep -nE "$FK_BAD_PATTERNS" "$rundir/console.log" | head -5 | sed 's/^/    /' >&2 || true
	fi
	[ "$l" = 0 ] || fk_leakcheck "$rundir" || true
	FK_STRESS_LINE="stress: ${guest}s (fuzzing $(fk_stress_fig "$rundir" seconds)s), $ops operations"
	FK_STRESS_LINE+=" (trinity $tc syscalls in $((tr + tn)) rounds, $ts crashed, $ncrash segfault reports;"
	FK_STRESS_LINE+=" stress-ng $so bogo ops; fuzz $fo ops),"
	FK_STRESS_LINE+=" fsnotify/fanotify warnings $w (others $wo),"
	FK_STRESS_LINE+=" fsnotify/fanotify kmemleak reports $l (others $lo),"
	FK_STRESS_LINE+=" invariant violations $v; seed $seed"
	echo "$FK_STRESS_LINE" > "$rundir/SUMMARY"
	[ "$w" = 0 ] && [ "$l" = 0 ] && [ "$v" = 0 ] && FK_STRESS_RC=0
	return 0
}

# fk_stress_smoke - kit/test's bounded run (FK_STRESS_SMOKE_SECS of fuzzing,
# about 3.5 minutes of guest time in all); the debug kernel is built by the
# suite.  Sets FK_STRESS_RC, FK_STRESS_DIR, FK_STRESS_LINE.
fk_stress_smoke() {
	fk_need_pkgs trinity
	fk_stress_run "$FK_STRESS_SMOKE_SECS" "${FANKIT_STRESS_SEED:-1}"
}
