# kit/lib/boot.sh - boot a built kernel in QEMU (TCG) with the host root
# shared read-only over 9p and a writable per-run results folder.
#
# A job is kit/guest/jobs/NAME, run by kit/guest/init inside the guest with
# $FANKIT_RESULTS (the results share) available.  Host-side, fk_boot writes
# FK_JOB_ENV (an array of NAME=VALUE) into RUNDIR/job.env for the job to
# read, and saves the serial console as RUNDIR/console.log.  Adding a job
# type = adding a script in kit/guest/jobs/ plus a host command calling
# fk_boot.

fk_new_rundir() {
	local d=$FK_CACHE/runs/$1-$(fk_stamp)-$$
	mkdir -p "$d"; ln -sfn "$d" "$FK_CACHE/runs/latest-$1"
	echo "$d"
}

# fk_boot FLAVOUR JOB RUNDIR TIMEOUT_SECONDS|interactive
# FK_QEMU_EXTRA (an array, empty unless a caller sets it) is appended to the
# QEMU command line: kit/bench and kit/profile put their clock mode there
# (-icount), so that the test suite keeps running on plain TCG.
fk_boot() {
	local flavour=$1 job=$2 rundir=$3 tmo=$4 obj kernel mem=2G rc=0 v
	obj=$(fk_obj "$flavour") kernel=$obj/arch/x86/boot/bzImage
	[ -f "$kernel" ] || fk_die "no kernel at $kernel"
	[ -x "$FK_KIT/guest/jobs/$job" ] || fk_die "no such guest job: $job"
	[ "$flavour" = debug ] && mem=3G
	{
		printf 'FANKIT_JOB=%q\n' "$job"
		printf 'FANKIT_KIT=%q\nFANKIT_REPO=%q\nFANKIT_CACHE=%q\n' "$FK_KIT" "$FK_REPO" "$FK_CACHE"
		printf 'FANKIT_FLAVOUR=%q\n' "$flavour"
		for v in "${FK_JOB_ENV[@]}"; do printf '%s=%q\n' "${v%%=*}" "${v#*=}"; done
	} > "$rundir/job.env"
	rm -f "$rundir/END"
	local append="root=hostroot rootfstype=9p ro console=ttyS0,115200"
	append+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
	append+=" init=$FK_KIT/guest/init fankit.job=$job panic=-1 loglevel=7"
	append+=" hung_task_panic=0 ${FANKIT_APPEND:-}"
	local qemu=(qemu-system-x86_64 -machine q35 -cpu max -smp 2 -m "$mem"
		-nographic -no-reboot -kernel "$kernel" -append "$append"
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap,id=hostroot"
		-virtfs "local,path=$rundir,mount_tag=results,security_model=none,id=results"
		${FK_QEMU_EXTRA[@]+"${FK_QEMU_EXTRA[@]}"})
	fk_log "booting $flavour kernel, job=$job, results: $rundir${FK_QEMU_EXTRA[*]+ (qemu ${FK_QEMU_EXTRA[*]})}"
	if [ "$tmo" = interactive ]; then
		"${qemu[@]}" 2>&1 | tee "$rundir/console.log" || rc=$?
	elif [ -n "${FANKIT_VERBOSE:-}" ]; then
		timeout -k 10 "$tmo" "${qemu[@]}" < /dev/null 2>&1 | tee "$rundir/console.log" >&2
		rc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$tmo" "${qemu[@]}" < /dev/null > "$rundir/console.log" 2>&1 || rc=$?
	fi
	[ "$rc" = 124 ] && fk_log "guest TIMED OUT after ${tmo}s (host-side timeout)"
	return 0
}
