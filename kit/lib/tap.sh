# kit/lib/tap.sh - judge one test program from its TAP output and exit code.
#
# ok N            -> pass (ok N ... # XFAIL also counts as pass)
# ok N ... # SKIP -> skip (any result line with # SKIP; "1..0 # SKIP" = 1 skip)
# not ok N        -> fail
# The program itself also fails (one extra failure) when it has no 1..N
# plan, its number of results differs from the plan, it timed out, it did
# not run, or it exited non-zero (other than KSFT_SKIP=4) without any
# "not ok".

# fk_tap OUTFILE RCFILE -> prints "PASS FAIL SKIP VERDICT REASON..."
fk_tap() {
	local out=$1 rcf=$2 rc
	if [ ! -f "$rcf" ]; then echo "0 1 0 FAIL did not run (no exit status)"; return; fi
	rc=$(cat "$rcf")
	awk -v rc="$rc" '
	/^1\.\.[0-9]+/ { if (!hasplan) { plan = substr($1, 4) + 0; hasplan = 1 }
			 if (plan == 0 && /# *SKIP/) skip++; next }
	/^(not )?ok [0-9]+/ {
		n++
		if (/# *SKIP/) skip++
		else if (/^not ok/) fail++
		else pass++
	}
	END {
		why = ""
		if (rc == 124 || rc == 137) why = why " timed-out(rc=" rc ")"
		if (!hasplan) why = why " no-TAP-plan"
		else if (plan != n && !(plan == 0 && skip == 1 && n == 0))
			why = why " plan-" plan "-but-" n "-results"
		if (rc != 0 && rc != 4 && rc != 124 && rc != 137 && fail == 0)
			why = why " exit-status-" rc "-without-not-ok"
		if (why != "") fail++
		verdict = (fail > 0) ? "FAIL" : "ok"
		printf "%d %d %d %s%s\n", pass, fail, skip, verdict, why
	}' "$out"
}
