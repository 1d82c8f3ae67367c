# kit/lib/bench-report.sh - turn the two guests' raw results into ONE table
# (ratio ours/upstream first, then medians and spreads), the goals, and a
# gnuplot chart.  Inputs: RUNDIR/{ours,stock}/bench/W.{out,rc} written by
# kit/guest/jobs/bench ("R KEY MEDIAN MIN MAX UNIT" or "R KEY na REASON").
# Outputs in RUNDIR: table.txt (what the terminal shows), table.md,
# chart.dat, chart.gp, chart.png.  In smoke mode (our kernel only) the
# same row list is only checked for numbers: fk_bench_smoke_check.

# fk_bench_timers - what the kit config says about timers (from ours'
# .config): a sleep's length in the guest depends on it.
fk_bench_timers() {
	local cfg hz
	cfg=$(fk_obj ours)/.config
	hz=$(sed -n 's/^CONFIG_HZ=//p' "$cfg" 2>/dev/null)
	[ -n "$hz" ] || { echo "timer config unknown"; return 0; }
	if grep -qx 'CONFIG_HIGH_RES_TIMERS=y' "$cfg"; then
		echo "kit config: CONFIG_HZ=$hz, high-resolution timers on:" \
			"a ${FANKIT_BENCH_DECIDE_US:-200} us decision time is about that long"
	else
		echo "kit config: CONFIG_HZ=$hz, periodic tick, no CONFIG_HIGH_RES_TIMERS: a sleep ends" \
			"on the first $((1000 / hz)) ms timer tick after its deadline, so each" \
			"${FANKIT_BENCH_DECIDE_US:-200} us decision takes up to one tick (about a full tick here)"
	fi
}

# fk_bench_report RUNDIR - needs FK_BENCH_DATE and FK_BENCH_MACHINE set.
fk_bench_report() {
	FK_BENCH_TIMERS=$(fk_bench_timers) FK_BENCH_CLOCK=$FK_BENCH_CLOCK \
		fk_bench_py report "$1" || fk_die "bench report failed"
}

# fk_bench_smoke_check RUNDIR - 0 if every row of our kernel has a number
# (or an n/a its row allows: a feature that has not landed).
fk_bench_smoke_check() {
	fk_bench_py smoke "$1"
}

# fk_bench_py MODE RUNDIR - the report proper.
fk_bench_py() {
	local mode=$1 rundir=$2
	/usr/bin/python3 - "$mode" "$rundir" <<'PYEOF'
import os, sys, glob, math

mode, rundir = sys.argv[1], sys.argv[2]
KERNELS = [("ours", "ours"), ("stock", "upstream")]
if mode == "smoke":
    KERNELS = KERNELS[:1]
# Rows of features beyond upstream: n/a (EINVAL) on upstream, and on ours
# until the feature lands.
NA_OK = {"perm_nofd", "perm_deadline", "cached_answer", "mt_batch_agg", "mt_batch_wpe",
         "mt_batch_lcpu"}
DECIDE = "%s us" % os.environ.get("FANKIT_BENCH_DECIDE_US", "200")

# key, label, unit, lower-is-better, workload, short chart label.  Workload
# None: computed from other rows (verdict overhead).
ROWS = [
    ("floor", "(1) open+close, no listener (floor)", "ns/op", True, "floor", "1 floor"),
    ("perm", "(2) open+close, 1 FAN_OPEN_PERM listener", "ns/op", True, "perm", "2 perm"),
    ("verdict", "(2) verdict overhead: (2) - floor - pipe round trip", "ns/op", True, None, "2 verdict"),
    ("perm_nofd", "(2) round trip without an fd (FAN_PERM_NO_FD)", "ns/op", True, "perm", None),
    ("perm_deadline", "(2) round trip, group with a deadline (FAN_DEADLINE)", "ns/op", True, "perm", None),
    ("cached", "(3) 1 listener, verdict cached (ignore mask)", "ns/op", True, "cached", "3 cached"),
    ("cached_answer", "(3) verdict cached by the answer (FAN_CACHE)", "ns/op", True, "cached", None),
    ("l1", "(4) 1 permission listener", "ns/op", True, "listeners", "4 x1"),
    ("l2", "(4) 2 permission listeners", "ns/op", True, "listeners", "4 x2"),
    ("l4", "(4) 4 permission listeners", "ns/op", True, "listeners", "4 x4"),
    ("l8", "(4) 8 permission listeners", "ns/op", True, "listeners", "4 x8"),
    ("d1", "(4) 1 listener deciding in " + DECIDE, "ns/op", True, "decide", "4 d1"),
    ("d2", "(4) 2 listeners deciding in " + DECIDE + " each", "ns/op", True, "decide", "4 d2"),
    ("d4", "(4) 4 listeners deciding in " + DECIDE + " each", "ns/op", True, "decide", "4 d4"),
    ("d8", "(4) 8 listeners deciding in " + DECIDE + " each", "ns/op", True, "decide", "4 d8"),
    ("notif_none", "(5) close_write producer, no listener", "ns/ev", True, "notif", "5 prod none"),
    ("notif_prod_fd", "(5) producer, fanotify fd mode", "ns/ev", True, "notif", "5 prod fd"),
    ("notif_cons_fd", "(5) consumer, fanotify fd mode", "ns/ev", True, "notif", "5 cons fd"),
    ("notif_prod_fid", "(5) producer, fanotify FAN_REPORT_FID", "ns/ev", True, "notif", "5 prod fid"),
    ("notif_cons_fid", "(5) consumer, fanotify FAN_REPORT_FID", "ns/ev", True, "notif", "5 cons fid"),
    ("notif_prod_ino", "(5) producer, inotify (reference)", "ns/ev", True, "notif", "5 prod inotify"),
    ("notif_cons_ino", "(5) consumer, inotify (reference)", "ns/ev", True, "notif", "5 cons inotify"),
    ("mt_tput", "(6) 64 threads, 1 listener: throughput", "opens/s", False, "mt", None),
    ("mt_agg", "(6) 64 threads: aggregate time per open", "ns/op", True, "mt", "6 x64 agg"),
    ("mt_p99", "(6) 64 threads: p99 open latency", "us", True, "mt", "6 x64 p99"),
    ("mt_wpe", "(6) 64 threads: write() calls per event", "writes/ev", True, "mt", None),
    ("mt_batch_agg", "(6) 64 threads, batched answers (FAN_RESPONSE_BATCH): time per open", "ns/op", True, "mt", None),
    ("mt_batch_wpe", "(6) 64 threads, batched answers: write() calls per event", "writes/ev", True, "mt", None),
    ("mt_lcpu", "(6) 64 threads: the listener's CPU per event", "ns/ev", True, "mt", None),
    ("mt_batch_lcpu", "(6) 64 threads, batched answers: the listener's CPU per event", "ns/ev", True, "mt", None),
    ("mem_notif_memcg", "(7) queued notification event, memcg", "B/ev", True, "mem", "7 mem notif"),
    ("mem_notif_slab", "(7) queued notification event, SUnreclaim", "B/ev", True, "mem", None),
    ("mem_perm_memcg", "(7) pending permission event, memcg", "B/ev", True, "mem", "7 mem perm"),
    ("mem_perm_slab", "(7) pending permission event, SUnreclaim", "B/ev", True, "mem", None),
    ("pipe_rt", "pipe round trip, 2 threads (verdict floor)", "ns/rt", True, "pipe", "pipe rt"),
    ("stressng", "stress-ng --fanotify 2 (higher is better)", "bogo-ops/s", False, "stressng", None),
    ("st_floor", "(8) open+close at depth 8, a group without a mark (subtree floor)", "ns/op", True, "subtree", "8 floor"),
    ("st_dir", "(8) FAN_OPEN inode mark on the parent, ON_CHILD", "ns/op", True, "subtree", "8 dir"),
    ("st_in8", "(8) FAN_OPEN subtree mark 8 levels up", "ns/op", True, "subtree", None),
    ("st_out", "(8) open outside the tree, FAN_OPEN subtree mark on the fs", "ns/op", True, "subtree", None),
    ("st_perm_sub", "(8) open outside the tree, FAN_OPEN_PERM subtree mark", "ns/op", True, "subtree", None),
    ("st_perm_fs", "(8) open outside the tree, FAN_OPEN_PERM filesystem mark, listener allows", "ns/op", True, "subtree", "8 perm fs"),
    ("st_mark_small_time", "(8) subtree mark add+remove, tree of 1 directory", "ns/op", True, "subtree", None),
    ("st_mark_big_time", "(8) subtree mark add+remove, tree of 100,000 directories", "ns/op", True, "subtree", None),
    ("st_mark_small_mem", "(8) memcg slab per subtree mark, tree of 1 directory", "B", True, "subtree", None),
    ("st_mark_big_mem", "(8) memcg slab per subtree mark, tree of 100,000 directories", "B", True, "subtree", None),
]

def load(kdir):
    vals, status = {}, {"_clock": 0.0}
    for out in glob.glob(os.path.join(rundir, kdir, "bench", "*.out")):
        w = os.path.basename(out)[:-4]
        try:
            rc = open(out[:-4] + ".rc").read().strip()
        except OSError:
            rc = "none"
        status[w] = {"0": None, "124": "timeout", "137": "timeout", "none": "no result"}.get(rc, "failed rc=" + rc)
        for line in open(out, errors="replace"):
            f = line.split()
            if len(f) == 3 and f[0] == "C" and f[1] == "clock_step_ns":
                status["_clock"] = max(status["_clock"], float(f[2]))
            if len(f) >= 3 and f[0] == "R":
                if f[2] == "na":
                    vals[f[1]] = ("na", " ".join(f[3:]) or "n/a")
                elif len(f) >= 5:
                    vals[f[1]] = tuple(float(x) for x in f[2:5])
    return vals, status

data = {k: load(k) for k, _ in KERNELS}

# Verdict overhead: what a round trip costs beyond the open itself and the
# two thread switches any round trip needs; from the medians only.
for k, _ in KERNELS:
    vals = data[k][0]
    parts = [vals.get(x) for x in ("perm", "floor", "pipe_rt")]
    if all(p and p[0] != "na" for p in parts):
        m = parts[0][0] - parts[1][0] - parts[2][0]
        vals["verdict"] = (m, m, m)

if mode == "smoke":
    bad = []
    for key, label, unit, lower, workload, short in ROWS:
        v, err = data["ours"][0].get(key), None
        if v is None:
            err = data["ours"][1].get(workload) or "missing"
        elif v[0] == "na" and key not in NA_OK:
            err = "n/a (%s)" % v[1]
        shown = err or ("n/a (%s)" % v[1] if v[0] == "na" else "%.1f %s" % (v[0], unit))
        print("  %-55s %s%s" % (label, shown, "  <- no number" if err else ""), file=sys.stderr)
        if err:
            bad.append(key)
    for w, st in sorted(data["ours"][1].items()):
        if w != "_clock" and st:
            print("  workload %s: %s" % (w, st), file=sys.stderr)
            bad.append(w)
    print("bench smoke: %d rows, %s" % (len(ROWS), "all with a number" if not bad
          else "FAILED: " + " ".join(bad)), file=sys.stderr)
    sys.exit(1 if bad else 0)

def cell(k, key, workload):
    vals, status = data[k]
    v = vals.get(key)
    if v is None:
        return None, status.get(workload) or "missing"
    if v[0] == "na":
        return None, "n/a (%s)" % v[1]
    return v, None

def fmt(x, unit):
    if unit in ("B/ev", "B"):
        return "%.0f" % x
    if unit in ("writes/ev",):
        return "%.3f" % x
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    return "%.1f" % x

table = []   # label, ratio, ours, up, ours spread, up spread, unit
chart = []
for key, label, unit, lower, workload, short in ROWS:
    o, oerr = cell("ours", key, workload)
    u, uerr = cell("stock", key, workload)
    ratio = "-"
    if o and u and u[0] != 0:
        ratio = "%.2f" % (o[0] / u[0])
        if short and o[0] > 0 and u[0] > 0 and o[1] > 0 and u[1] > 0:
            chart.append((short, o[0] / u[0], o[1] / u[2], o[2] / u[1]))
    spread = lambda v: ("computed" if workload is None else
                        "%s-%s" % (fmt(v[1], unit), fmt(v[2], unit))) if v else ""
    table.append((label, ratio,
                  fmt(o[0], unit) if o else oerr, fmt(u[0], unit) if u else uerr,
                  spread(o), spread(u), unit))

def med(k, key):
    v = data[k][0].get(key)
    return v[0] if v and v[0] != "na" else None

# Goals, computed from the medians.
goals = []
def goal(name, num, den, op, limit, note=""):
    if num is None or den is None or den == 0:
        goals.append(("n/a", name, "factor n/a", note)); return
    f = num / den
    ok = {"<=": f <= limit, "<": f < limit, ">=": f >= limit}[op]
    goals.append(("PASS" if ok else "MISS", name, "%.2fx (goal %s %gx)" % (f, op, limit), note))

def upf(num, den):
    n, d = med("stock", num), med("stock", den)
    return "upstream: %.2fx" % (n / d) if n and d else "upstream: n/a"

goal("round trip (2), fd mode: ours/upstream", med("ours", "perm"), med("stock", "perm"), "<=", 0.95)
nofd = data["ours"][0].get("perm_nofd")
floor_rt = (med("ours", "floor") + med("ours", "pipe_rt")
            if med("ours", "floor") is not None and med("ours", "pipe_rt") is not None else None)
if nofd and nofd[0] == "na":
    goals.append(("n/a", "round trip without an fd (2) vs floor + pipe round trip, ours", "factor n/a",
                  "ours: n/a (%s) until the feature lands" % nofd[1]))
else:
    goal("round trip without an fd (2) vs floor + pipe round trip, ours", med("ours", "perm_nofd"),
         floor_rt, "<=", 1.10)
goal("round trip with a deadline set vs without (2), ours", med("ours", "perm_deadline"),
     med("ours", "perm"), "<=", 1.05)
goal("cached verdict (3) vs floor (1), ours", med("ours", "cached"), med("ours", "floor"), "<=", 1.05,
     upf("cached", "floor"))
goal("verdict cached by FAN_CACHE (3) vs floor (1), ours", med("ours", "cached_answer"),
     med("ours", "floor"), "<=", 1.05)
goal("64 accessors (6) throughput: ours/upstream", med("ours", "mt_tput"), med("stock", "mt_tput"), ">=", 5)
goal("64 accessors, batched answers: write() calls per event, ours", med("ours", "mt_batch_wpe"), 1.0,
     "<", 0.2)
# What answering costs per access is what batching can save: the time per
# open with one write() per event minus the batched one, scaled to all of
# the write() calls.  Without it the time per open cannot go below
# (mt_agg - that) / mt_agg, however cheap the batch.
wb, ub, bw = med("ours", "mt_batch_agg"), med("ours", "mt_agg"), med("ours", "mt_batch_wpe")
bound = ""
if wb is not None and ub and bw is not None and bw < 1:
    writes = (ub - wb) / (1 - bw)
    bound = "answers free of cost would give %.2fx (%.0f of %.0f ns per open are the write() calls)" % (
        (ub - writes) / ub, writes, ub)
goal("64 accessors, batched answers vs one answer per write(): time per open, ours",
     wb, ub, "<=", 0.7, bound)
goal("64 accessors, batched answers vs one answer per write(): the listener's CPU per event, ours",
     med("ours", "mt_batch_lcpu"), med("ours", "mt_lcpu"), "<=", 0.7)
goal("notification producer (5, fd mode): ours/upstream", med("ours", "notif_prod_fd"),
     med("stock", "notif_prod_fd"), "<=", 1.01)
goal("notification consumer (5, fd mode): ours/upstream", med("ours", "notif_cons_fd"),
     med("stock", "notif_cons_fd"), "<=", 1.00)
goal("consumer (5), FID mode vs inotify, ours", med("ours", "notif_cons_fid"), med("ours", "notif_cons_ino"),
     "<=", 2, upf("notif_cons_fid", "notif_cons_ino"))
goal("4 listeners deciding vs 1 (4), ours", med("ours", "d4"), med("ours", "d1"), "<=", 1.2, upf("d4", "d1"))
goal("8 listeners deciding vs 1 (4), ours", med("ours", "d8"), med("ours", "d1"), "<=", 1.3, upf("d8", "d1"))
goal("memcg bytes per pending permission event (7): ours/upstream", med("ours", "mem_perm_memcg"),
     med("stock", "mem_perm_memcg"), "<=", 1.0)
goal("stress-ng --fanotify bogo ops/s: ours/upstream", med("ours", "stressng"), med("stock", "stressng"),
     ">=", 1.0, "higher is better")

# Subtree marks (issue 13), instruction-counted producer cost.
goal("no subtree mark anywhere: open+close (1) ours/upstream", med("ours", "floor"), med("stock", "floor"),
     "<=", 1.01)
goal("inotify producer (5): ours/upstream", med("ours", "notif_prod_ino"), med("stock", "notif_prod_ino"),
     "<=", 1.01)
goal("open in a tree whose root is 8 levels up vs ON_CHILD mark on the parent (8), ours",
     med("ours", "st_in8"), med("ours", "st_dir"), "<=", 1.25, upf("st_dir", "st_floor").replace(
         "upstream", "upstream's ON_CHILD mark vs its floor"))
goal("open outside any tree on a filesystem with one vs no mark (8), ours", med("ours", "st_out"),
     med("ours", "st_floor"), "<=", 1.05)
goal("subtree mark on 100,000 directories vs on 1: time (8), ours", med("ours", "st_mark_big_time"),
     med("ours", "st_mark_small_time"), "<=", 1.05)
bm, sm = med("ours", "st_mark_big_mem"), med("ours", "st_mark_small_mem")
if bm is None or sm is None:
    goals.append(("n/a", "subtree mark on 100,000 directories vs on 1: memcg bytes (8), ours", "n/a", ""))
else:
    goals.append(("PASS" if bm <= sm else "MISS",
                  "subtree mark on 100,000 directories vs on 1: memcg bytes (8), ours",
                  "%.0f B vs %.0f B (goal: no more)" % (bm, sm), ""))
goal("open outside the tree, permission listener for one tree: ours' subtree mark vs upstream's "
     "filesystem mark + allow in user space (8)", med("ours", "st_perm_sub"), med("stock", "st_perm_fs"),
     "<=", 1.0, "upstream has no subtree mark: a round trip per open outside")

def guestinfo(k):
    try:
        return dict(l.rstrip("\n").split(": ", 1) for l in open(os.path.join(rundir, k, "guest.txt")) if ": " in l)
    except OSError:
        return {}
gi = {k: guestinfo(k) for k, _ in KERNELS}
date, machine = os.environ["FK_BENCH_DATE"], os.environ["FK_BENCH_MACHINE"]
params = os.environ.get("FK_BENCH_PARAMS", "")
if os.environ.get("FK_BENCH_CLOCK") == "wall":
    clockmode = ("Clock: wall (plain TCG, FANKIT_BENCH_CLOCK=wall): times are host time as the guest "
                 "saw it, noisy (+-40 % from run to run).")
else:
    clockmode = ("Clock: icount (QEMU -icount shift=0,sleep=off,align=off): 1 ns = 1 guest instruction "
                 "(kernel and user, all vCPUs added up); a sleep costs exactly its length.")
timers = os.environ.get("FK_BENCH_TIMERS", "")

notes = []
clk = {k: data[k][1].pop("_clock") for k, _ in KERNELS}
params += " Clock step in the guest: ours %.0f ns, upstream %.0f ns." % (clk["ours"], clk["stock"])
# -smp 2 is what QEMU gets; what the guest brought up is what counts.
params += " CPUs the guest brought up: ours %s, upstream %s." % (gi["ours"].get("nproc", "?"),
                                                                gi["stock"].get("nproc", "?"))
for k, name in KERNELS:
    if clk[k] > 100000:
        notes.append("%s: CLOCK_MONOTONIC advances in steps of %.0f ns: timings are coarse" % (name, clk[k]))
    for w, st in sorted(data[k][1].items()):
        if st:
            notes.append("%s: workload %s: %s" % (name, w, st))

# Plain text (terminal).
head = ("workload", "ours/up", "ours", "upstream", "ours min-max", "upstream min-max", "unit")
widths = [max(len(str(r[i])) for r in [head] + table) for i in range(7)]
lines = []
lines.append("fanotify benchmark, %s; %s" % (date, machine))
lines.append(clockmode)
lines.append("kernels: ours %s | upstream %s" % (gi["ours"].get("uname", "?"), gi["stock"].get("uname", "?")))
if params:
    lines.append(params)
if timers:
    lines.append(timers + ".")
lines.append("")
def row(r):
    return "  ".join(str(r[i]).ljust(widths[i]) if i in (0, 4, 5, 6) else str(r[i]).rjust(widths[i]) for i in range(7)).rstrip()
lines.append(row(head))
lines.append("  ".join("-" * w for w in widths))
lines += [row(r) for r in table]
lines.append("")
lines.append("goals (from the medians, %s clock):" % os.environ.get("FK_BENCH_CLOCK", "icount"))
for st, name, fac, note in goals:
    lines.append("  %-4s  %-62s %s%s" % (st, name, fac, ("  [" + note + "]") if note else ""))
for n in notes:
    lines.append("note: " + n)
open(os.path.join(rundir, "table.txt"), "w").write("\n".join(lines) + "\n")

# Markdown (README).
md = []
md.append("**%s**" % clockmode)
md.append("")
md.append("Measured %s on %s. Kernels: ours `%s`, upstream `%s` (same base and config). %s %s."
          % (date, machine, gi["ours"].get("uname", "?").split()[0], gi["stock"].get("uname", "?").split()[0],
             params, timers))
md.append("")
md.append("| workload | ours / upstream | ours | upstream | ours min-max | upstream min-max | unit |")
md.append("|---|---:|---:|---:|---:|---:|---|")
for r in table:
    md.append("| " + " | ".join(str(x) for x in r) + " |")
md.append("")
md.append("Goals, from the %s medians:" % os.environ.get("FK_BENCH_CLOCK", "icount"))
md.append("")
md.append("| goal | result | factor | note |")
md.append("|---|---|---|---|")
for st, name, fac, note in goals:
    md.append("| %s | **%s** | %s | %s |" % (name, st, fac, note))
if notes:
    md.append("")
    md += ["- " + n for n in notes]
open(os.path.join(rundir, "table.md"), "w").write("\n".join(md) + "\n")

# Chart data: label, ratio, low, high (spread of the ratio).
with open(os.path.join(rundir, "chart.dat"), "w") as f:
    for c in chart:
        f.write('"%s"\t%.4f\t%.4f\t%.4f\n' % c)
lo = min([c[2] for c in chart] + [0.5]) / 1.4
hi = max([c[3] for c in chart] + [2.0]) * 1.8
with open(os.path.join(rundir, "chart.gp"), "w") as f:
    f.write('''set terminal pngcairo size 1280,720 font "DejaVu Sans,11"
set output "%(out)s"
set datafile separator "\\t"
set title "fanotify: ours / upstream, median per workload (bars below 1: ours is faster or smaller)\\n{/*0.85 %(sub)s}"
set style fill solid 0.75 border -1
set logscale y 2
set yrange [%(lo)g:%(hi)g]
set ytics ("1/16" 0.0625, "1/8" 0.125, "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32, "64" 64)
set ylabel "ours / upstream (log scale; whiskers: min/max ratio)"
set xrange [-0.7:%(n)d-0.3]
set xtics rotate by -35 left nomirror
set grid ytics
set bmargin 7
set key off
plot "%(dat)s" using 0:2:3:4:(0.7):($2 <= 1 ? 0x2e8b57 : 0xcd3333):xtic(1) with boxerrorbars lc rgb variable, \\
     1 with lines dt 2 lw 2 lc rgb "black", \\
     "%(dat)s" using 0:($4*1.15):(sprintf("%%.2f", $2)) with labels font ",10"
''' % {"out": os.path.join(rundir, "chart.png"), "dat": os.path.join(rundir, "chart.dat"),
       "lo": lo, "hi": hi, "n": len(chart),
       "sub": "%s; %s; %s clock" % (date, machine, os.environ.get("FK_BENCH_CLOCK", "icount"))})
PYEOF
	local rc=$?
	[ "$rc" = 0 ] && [ "$mode" = report ] || return "$rc"
	if [ -s "$rundir/chart.dat" ]; then
		gnuplot "$rundir/chart.gp" 2> "$rundir/gnuplot.log" ||
			{ cat "$rundir/gnuplot.log" >&2; fk_log "bench: gnuplot failed"; }
	fi
}
