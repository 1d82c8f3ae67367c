# kit/lib/bench.sh - the benchmark: build `ours` and `stock` from the same
# base and config, build tools/fanotify-bench once, boot each kernel with
# the same QEMU settings and the `bench` guest job.  The report (table,
# goals, chart) is kit/lib/bench-report.sh.
#
# Clock mode (FANKIT_BENCH_CLOCK): `icount` (default) runs the guest with
# QEMU's -icount shift=0: one instruction is one nanosecond of virtual
# time, so a timing counts the guest instructions (kernel and user) of the
# loop, whatever else the host is doing.  `wall` is plain TCG, timed by
# the host's clock.  Smoke mode (FANKIT_BENCH_SMOKE=1): our kernel only,
# one repetition of small counts; only checks that every row has a number.

FK_BENCH_SMOKE=${FANKIT_BENCH_SMOKE:-0}
FK_BENCH_CLOCK=${FANKIT_BENCH_CLOCK:-icount}
case $FK_BENCH_CLOCK in
icount|wall) ;;
*) fk_die "FANKIT_BENCH_CLOCK=$FK_BENCH_CLOCK: expected icount or wall" ;;
esac
FK_BENCH_ALL="floor pipe perm cached listeners decide notif mt mem subtree stressng"

# fk_bench_settings - the run's parameters, from FANKIT_BENCH_* or the
# defaults of the mode (full or smoke).  Call after FK_BENCH_SMOKE is final.
fk_bench_settings() {
	if [ "$FK_BENCH_SMOKE" = 1 ]; then
		FK_BENCH_KERNELS=(ours)
		FK_BENCH_REPS=1 FK_BENCH_OPENS=${FANKIT_BENCH_OPENS:-100}
		FK_BENCH_FILES=${FANKIT_BENCH_FILES:-200}
		FK_BENCH_THREADS=${FANKIT_BENCH_THREADS:-8} FK_BENCH_PER_THREAD=${FANKIT_BENCH_PER_THREAD:-4}
		FK_BENCH_STRESS_REPS=1 FK_BENCH_STRESS_SECS=${FANKIT_BENCH_STRESS_SECS:-2}
	else
		FK_BENCH_KERNELS=(ours stock)
		FK_BENCH_REPS=${FANKIT_BENCH_REPS:-7} FK_BENCH_OPENS=${FANKIT_BENCH_OPENS:-2000}
		FK_BENCH_FILES=${FANKIT_BENCH_FILES:-10000}
		FK_BENCH_THREADS=${FANKIT_BENCH_THREADS:-64} FK_BENCH_PER_THREAD=${FANKIT_BENCH_PER_THREAD:-64}
		FK_BENCH_STRESS_REPS=${FANKIT_BENCH_STRESS_REPS:-3}
		FK_BENCH_STRESS_SECS=${FANKIT_BENCH_STRESS_SECS:-10}
	fi
	FK_BENCH_WORKLOADS=${FANKIT_BENCH_WORKLOADS:-$FK_BENCH_ALL}
}
fk_bench_settings

# Wait until no QEMU guest and no kit kernel build runs on this machine:
# numbers taken on a busy 2-core box mean nothing (in wall mode; icount
# numbers do not depend on the host, but the guests' run time does).
# Only in wall mode by default (FANKIT_BENCH_WAIT=1 or 0 decides): an
# icount figure is the same on a busy machine, only later.  Patterns are
# anchored so that shells whose command line merely mentions them (polling
# loops) do not count.
fk_bench_wait_idle() {
	local dflt=0
	[ "$FK_BENCH_CLOCK" = wall ] && dflt=1
	[ "${FANKIT_BENCH_WAIT:-$dflt}" = 1 ] || return 0
	local waited=0
	while pgrep -f '^qemu-system|^make .*-C [^ ]*fankit' > /dev/null; do
		[ $((waited % 60)) = 0 ] &&
			fk_log "bench: waiting for other QEMU guests / kernel builds to finish ($1)"
		sleep 20; waited=$((waited + 20))
	done
}

# fk_bench_build FLAVOUR - prepare + build one kernel in a subshell; sets
# FK_BUILD_RC (call as a plain command so that set -e stays in force).
fk_bench_build() {
	set +e
	( set -euo pipefail
	  fk_prepare_src "$1" > /dev/null
	  fk_build_kernel "$1" )
	FK_BUILD_RC=$?
	set -e
}

# fk_bench_program - build tools/fanotify-bench against our installed UAPI
# headers (identical to upstream's); prints the binary's path.  The same
# binary runs on both kernels.
fk_bench_program() {
	local out=$FK_CACHE/bench-bin log=$FK_CACHE/logs/bench-build.log
	mkdir -p "$out"
	make -C "$FK_REPO/tools/fanotify-bench" OUTPUT="$out" CC=gcc \
		KHDR_INCLUDES="-isystem $(fk_hdr ours)/include" > "$log" 2>&1 ||
		{ cat "$log" >&2; fk_die "tools/fanotify-bench does not build (log: $log)"; }
	echo "$out/fanotify-bench"
}

# fk_bench_clock_setup - QEMU options (FK_QEMU_EXTRA, read by fk_boot) and
# kernel command line words (FK_BENCH_APPEND) of the clock mode.  Both
# kernels get the same.  tsc=reliable: the clocksource watchdog (checked
# against jiffies) otherwise marks the TSC unstable at random under TCG
# and the guest falls back to a 4 ms jiffies clock.  tsc_early_khz: the
# guest often fails to calibrate the TSC against the emulated PIT, so it is
# told the rate: under -icount shift=0 the TSC counts virtual nanoseconds
# (1 GHz); under plain TCG it runs at the host's TSC rate.
fk_bench_clock_setup() {
	local khz
	if [ "$FK_BENCH_CLOCK" = icount ]; then
		# sleep=off: an idle guest jumps to its next timer at once, so a
		# sleep costs exactly its length in virtual time and no host time;
		# align=off: virtual time never waits for the host's clock.
		FK_QEMU_EXTRA=(-icount shift=0,sleep=off,align=off)
		khz=1000000
	else
		FK_QEMU_EXTRA=()
		khz=$(awk -F': *' '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
	fi
	FK_BENCH_APPEND="tsc=reliable${khz:+ tsc_early_khz=$khz}"
}

# fk_bench_boot FLAVOUR DIR BIN - run the bench job on FLAVOUR; results in DIR.
fk_bench_boot() {
	local flavour=$1 dir=$2 bin=$3 per=${FANKIT_BENCH_TIMEOUT:-300} n
	n=$(wc -w <<< "$FK_BENCH_WORKLOADS")
	mkdir -p "$dir"
	FK_JOB_ENV=("FANKIT_BENCH_BIN=$bin" "FANKIT_BENCH_WORKLOADS=$FK_BENCH_WORKLOADS"
		"FANKIT_BENCH_TIMEOUT=$per"
		"FANKIT_BENCH_REPS=$FK_BENCH_REPS"
		"FANKIT_BENCH_OPENS=$FK_BENCH_OPENS"
		"FANKIT_BENCH_FILES=$FK_BENCH_FILES"
		"FANKIT_BENCH_THREADS=$FK_BENCH_THREADS"
		"FANKIT_BENCH_PER_THREAD=$FK_BENCH_PER_THREAD"
		"FANKIT_BENCH_PIN=${FANKIT_BENCH_PIN:-0}"
		"FANKIT_BENCH_DECIDE_US=${FANKIT_BENCH_DECIDE_US:-200}"
		"FANKIT_BENCH_STRESS_REPS=$FK_BENCH_STRESS_REPS"
		"FANKIT_BENCH_STRESS_SECS=$FK_BENCH_STRESS_SECS"
		"FANKIT_PROFILE_FREQ=${FANKIT_PROFILE_FREQ:-2000}"
		"FANOTIFY_KERNEL=$(fk_is_stock "$flavour" && echo stock || echo ours)")
	local t0; t0=$(fk_now)
	fk_bench_clock_setup
	# The host-side timeout is in host seconds: under -icount a guest runs
	# about twice as long as under plain TCG, hence the factor 3.
	FANKIT_APPEND="${FANKIT_APPEND:-} $FK_BENCH_APPEND" \
		fk_boot "$flavour" "${FK_BENCH_JOB:-bench}" "$dir" $((120 + 3 * n * (per + 15)))
	FK_QEMU_EXTRA=()
	echo $(( $(fk_now) - t0 )) > "$dir/guest.secs"
	fk_log "bench: $flavour guest ran for $(cat "$dir/guest.secs")s ($FK_BENCH_CLOCK clock)"
	local w
	[ "${FK_BENCH_JOB:-bench}" = bench ] || return 0
	for w in $FK_BENCH_WORKLOADS; do
		case $(cat "$dir/bench/$w.rc" 2>/dev/null || echo none) in
		0) ;;
		124|137) fk_log "bench: $flavour: workload $w TIMED OUT after ${per}s" ;;
		none) fk_log "bench: $flavour: workload $w did not run" ;;
		*) fk_log "bench: $flavour: workload $w failed (rc=$(cat "$dir/bench/$w.rc")):"
		   grep '^# error\|^R .* na ' "$dir/bench/$w.out" | sed 's/^/    /' >&2 || true ;;
		esac
	done
}

# fk_bench_smoke - kit/test's short check of the benchmark: build nothing
# new (ours is built by the suite), boot ours in smoke mode, and check that
# every row has a number.  Sets FK_SMOKE_RC (0: every row has a number) and
# FK_SMOKE_DIR; call as a plain command.
fk_bench_smoke() {
	local bin t0; t0=$(fk_now)
	FK_BENCH_SMOKE=1; fk_bench_settings
	FK_SMOKE_DIR=$(fk_new_rundir bench-smoke) FK_SMOKE_RC=1
	# A program that does not build is this check's failure, not kit/test's end.
	bin=$(fk_bench_program) || return 0
	fk_bench_boot ours "$FK_SMOKE_DIR/ours" "$bin"
	FK_SMOKE_RC=0
	fk_logcheck "$FK_SMOKE_DIR/ours" || FK_SMOKE_RC=1
	fk_bench_smoke_check "$FK_SMOKE_DIR" || FK_SMOKE_RC=1
	fk_log "bench smoke took $(( $(fk_now) - t0 ))s ($FK_SMOKE_DIR)"
}
