# kit/lib/bench.sh - the benchmark: build `ours` and `stock` from the same
# base and config, build tools/fanotify-bench once, boot each kernel with
# the same QEMU settings and the `bench` guest job.  The report (table,
# goals, chart) is kit/lib/bench-report.sh.

FK_BENCH_KERNELS=(ours stock)
FK_BENCH_WORKLOADS=${FANKIT_BENCH_WORKLOADS:-floor pipe perm cached listeners notif mt mem}

# Wait until no QEMU guest and no kit kernel build runs on this machine:
# numbers taken on a busy 2-core box mean nothing.  FANKIT_BENCH_WAIT=0
# skips the wait.  Patterns are anchored so that shells whose command line
# merely mentions them (polling loops) do not count.
fk_bench_wait_idle() {
	[ "${FANKIT_BENCH_WAIT:-1}" = 1 ] || return 0
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

# fk_bench_boot FLAVOUR DIR BIN - run the bench job on FLAVOUR; results in DIR.
fk_bench_boot() {
	local flavour=$1 dir=$2 bin=$3 per=${FANKIT_BENCH_TIMEOUT:-300} n
	n=$(wc -w <<< "$FK_BENCH_WORKLOADS")
	mkdir -p "$dir"
	FK_JOB_ENV=("FANKIT_BENCH_BIN=$bin" "FANKIT_BENCH_WORKLOADS=$FK_BENCH_WORKLOADS"
		"FANKIT_BENCH_TIMEOUT=$per"
		"FANKIT_BENCH_REPS=${FANKIT_BENCH_REPS:-7}"
		"FANKIT_BENCH_OPENS=${FANKIT_BENCH_OPENS:-2000}"
		"FANKIT_BENCH_FILES=${FANKIT_BENCH_FILES:-10000}"
		"FANKIT_BENCH_THREADS=${FANKIT_BENCH_THREADS:-64}"
		"FANKIT_BENCH_PER_THREAD=${FANKIT_BENCH_PER_THREAD:-64}"
		"FANKIT_BENCH_PIN=${FANKIT_BENCH_PIN:-0}"
		"FANOTIFY_KERNEL=$([ "$flavour" = stock ] && echo stock || echo ours)")
	local t0; t0=$(fk_now)
	# Under TCG the guest's TSC runs at the host's TSC rate and is fine, but
	# the guest often fails to calibrate it against the emulated PIT, or its
	# clocksource watchdog (checked against jiffies) marks it unstable; it
	# then falls back to a 4 ms jiffies clock.  Give it the host's rate and
	# skip the watchdog, for both kernels alike.
	local khz
	khz=$(awk -F': *' '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
	FANKIT_APPEND="${FANKIT_APPEND:-} tsc=reliable${khz:+ tsc_early_khz=$khz}" \
		fk_boot "$flavour" "${FK_BENCH_JOB:-bench}" "$dir" $((120 + n * (per + 15)))
	echo $(( $(fk_now) - t0 )) > "$dir/guest.secs"
	fk_log "bench: $flavour guest ran for $(cat "$dir/guest.secs")s"
	local w
	[ "${FK_BENCH_JOB:-bench}" = bench ] || return 0
	for w in $FK_BENCH_WORKLOADS; do
		case $(cat "$dir/bench/$w.rc" 2>/dev/null || echo none) in
		0) ;;
		124|137) fk_log "bench: $flavour: workload $w TIMED OUT after ${per}s" ;;
		none) fk_log "bench: $flavour: workload $w did not run" ;;
		*) fk_log "bench: $flavour: workload $w failed (rc=$(cat "$dir/bench/$w.rc")):"
		   grep '^# error' "$dir/bench/$w.out" | sed 's/^/    /' >&2 || true ;;
		esac
	done
}
