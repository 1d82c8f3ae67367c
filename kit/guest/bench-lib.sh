# kit/guest/bench-lib.sh - sourced by the bench and profile guest jobs: how
# to run one benchmark workload.  All but `stressng` are workloads of
# tools/fanotify-bench; `stressng` is Debian's stress-ng (installed on the
# host by the kit, seen here through the shared root).

BENCH_ARGS=(-r "$FANKIT_BENCH_REPS" -n "$FANKIT_BENCH_OPENS" -f "$FANKIT_BENCH_FILES"
	-t "$FANKIT_BENCH_THREADS" -p "$FANKIT_BENCH_PER_THREAD" -c "$FANKIT_BENCH_PIN"
	-D "${FANKIT_BENCH_DECIDE_US:-200}" -d /tmp/fanotify-bench)

# bench_cmd W - the command line of one run of workload W, in BENCH_CMD.
# stress-ng's fanotify stressor: 2 workers for FANKIT_BENCH_STRESS_SECS of
# guest time (virtual time under -icount), its scratch files on tmpfs.
bench_cmd() {
	case $1 in
	stressng)
		mkdir -p /tmp/stress-ng
		BENCH_CMD=(stress-ng --fanotify 2 --timeout "${FANKIT_BENCH_STRESS_SECS}s"
			--metrics-brief --temp-path /tmp/stress-ng) ;;
	*)
		BENCH_CMD=("$FANKIT_BENCH_BIN" -w "$1" "${BENCH_ARGS[@]}") ;;
	esac
}

# bench_stressng - FANKIT_BENCH_STRESS_REPS runs of stress-ng; prints its
# output as comments and one "R stressng MEDIAN MIN MAX bogo-ops/s" line
# (bogo ops per second of guest time), the format of fanotify-bench.
# Returns non-zero when no run produced a number.
bench_stressng() {
	local r v out vals=()
	command -v stress-ng > /dev/null || { echo "R stressng na no_stress-ng"; return 1; }
	for ((r = 0; r < FANKIT_BENCH_STRESS_REPS; r++)); do
		bench_cmd stressng
		# A stuck stressor must not eat the workload's whole budget.
		out=$(timeout -k 10 $((FANKIT_BENCH_STRESS_SECS * 3 + 60)) "${BENCH_CMD[@]}" 2>&1)
		sed 's/^/# /' <<< "$out"
		# "stress-ng: metrc: [pid] fanotify OPS REAL USR SYS OPS/S(real) OPS/S(cpu)"
		v=$(awk '$4 == "fanotify" && NF == 10 && $9 ~ /^[0-9.]+$/ { print $9 }' <<< "$out")
		[ -n "$v" ] && vals+=("$v")
		rm -rf /tmp/stress-ng
	done
	[ ${#vals[@]} -gt 0 ] || { echo "R stressng na no_metrics"; return 1; }
	printf '%s\n' "${vals[@]}" | sort -g | awk '{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "R stressng %.1f %.1f %.1f bogo-ops/s\n", m, v[1], v[NR] }'
}
