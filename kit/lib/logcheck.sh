# kit/lib/logcheck.sh - judge the guest's serial console and kmemleak report.

FK_BAD_PATTERNS='WARNING:|BUG:|Oops|Kernel panic|KASAN|possible circular locking'
FK_BAD_PATTERNS+='|possible recursive locking|inconsistent lock state|suspicious RCU usage'
FK_BAD_PATTERNS+='|INFO: task .* blocked|general protection fault|UBSAN'
FK_BAD_PATTERNS+='|kmemleak:.*new suspected memory leaks|list_add corruption'
FK_BAD_PATTERNS+='|list_del corruption|refcount_t:|Call Trace:'

# fk_logcheck RUNDIR -> 0 if clean.  The "N new suspected memory leaks" line
# that our own kmemleak scan provokes is left to fk_leakcheck.  User-space
# faults ("traps: prog[pid] general protection fault ip:... in prog[...]",
# e.g. a test probing int 0x80 on a kernel without IA32 emulation) are not
# kernel complaints; a kernel GPF reads "Oops: general protection fault".
fk_logcheck() {
	local rundir=$1 log=$1/console.log hits bad=0
	[ -s "$log" ] || { fk_log "log check: no console log"; return 1; }
	hits=$(awk '/fankit: kmemleak scan begins/ { scan = 1 }
		/fankit: kmemleak scan done/ { scan = 0 }
		!(scan && /kmemleak: .*new suspected memory leaks/) &&
		!/traps: [^ ]+\[[0-9]+\] general protection fault ip:/' "$log" |
		grep -nE "$FK_BAD_PATTERNS" || true)
	if [ -n "$hits" ]; then
		fk_log "log check FAILED: the console log has kernel complaints:"
		printf '%s\n' "$hits" | head -20 | sed 's/^/    /' >&2
		bad=1
	fi
	if [ ! -f "$rundir/END" ]; then
		fk_log "log check FAILED: the guest never reached the end of its job" \
			"(hang, panic or host timeout); last console lines:"
		tail -15 "$log" | sed 's/^/    /' >&2
		bad=1
	fi
	[ $bad = 0 ] && fk_log "log check: console clean, job completed"
	return $bad
}

# fk_leakcheck RUNDIR -> 0 unless a kmemleak backtrace mentions (fs|fa)notify.
fk_leakcheck() {
	local f=$1/kmemleak.txt ours
	[ -f "$f" ] || return 0
	[ -s "$f" ] || { fk_log "kmemleak: no leaks reported"; return 0; }
	# Split the report into records (blank-line separated "unreferenced object").
	ours=$(awk 'BEGIN { RS = "unreferenced object" } NR > 1 && /fanotify|fsnotify/ {
		print "unreferenced object" $0 }' "$f")
	if [ -n "$ours" ]; then
		fk_log "kmemleak FAILED: leaks with fanotify/fsnotify in the backtrace:"
		printf '%s\n' "$ours" | head -60 | sed 's/^/    /' >&2
		return 1
	fi
	fk_log "kmemleak: $(grep -c 'unreferenced object' "$f") leak(s), none in fanotify/fsnotify (info: $f)"
	return 0
}
