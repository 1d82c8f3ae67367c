# kit/lib/series.sh - the repo as a git format-patch series on the pristine
# base (kit/series).  Everything lives in $FK_CACHE/series/:
#   base.git/      a bare repository: the pristine unpack committed once per
#                  base version (refs/heads/base), the generated series
#                  (refs/heads/series) on top of it
#   tree/          a worktree of base.git where --check and --bisect `git am`
#   build-check/   O= build dir of that tree (kit config: base.config)
#   docs/          O= dir of the Sphinx build
#   base-sparse.*  sparse's report on the base, computed once per base
# Steps and their messages: kit/series-text/ (see its README).
#
# The commits are made without a checkout: a temporary index is read from
# the base commit, each step updates it (git apply --cached for a patch,
# blobs hashed from the repo for overlay files), write-tree, commit-tree.
# That takes seconds; only --check and --bisect need the checked-out tree.

FK_SERIES=$FK_CACHE/series
FK_SERIES_TEXT=$FK_KIT/series-text
FK_SERIES_GIT=$FK_SERIES/base.git

fk_sgit() { git --git-dir="$FK_SERIES_GIT" "$@"; }

# Author of every commit: the repo's git identity.  Dates: the repo HEAD's
# commit date, so that the same repo state gives the same series.
fk_series_identity() {
	FK_S_NAME=$(git -C "$FK_REPO" config user.name || true)
	FK_S_EMAIL=$(git -C "$FK_REPO" config user.email || true)
	[ -n "$FK_S_NAME" ] && [ -n "$FK_S_EMAIL" ] ||
		fk_die "series: the repo has no git identity (user.name/user.email) for Signed-off-by"
	FK_S_DATE=$(git -C "$FK_REPO" log -1 --format=%cI HEAD)
	export GIT_AUTHOR_NAME=$FK_S_NAME GIT_AUTHOR_EMAIL=$FK_S_EMAIL
	export GIT_COMMITTER_NAME=$FK_S_NAME GIT_COMMITTER_EMAIL=$FK_S_EMAIL
	export GIT_AUTHOR_DATE=$FK_S_DATE GIT_COMMITTER_DATE=$FK_S_DATE
}

# fk_series_base - the pristine tree as a commit (made once per base
# version); sets FK_S_BASE (commit), FK_S_BASE_TREE, FK_S_BASE_VERSION.
fk_series_base() {
	local pristine ver have t0 tree d
	pristine=$(fk_pristine)
	ver=$(cat "$FK_CACHE/$FK_PKG.stamp")
	FK_S_BASE_VERSION=$(fk_base_version "$pristine")
	have=$(fk_sgit config fankit.base 2>/dev/null || true)
	if [ "$have" != "$ver" ] || ! fk_sgit rev-parse -q --verify refs/heads/base > /dev/null; then
		t0=$(fk_now)
		fk_log "series: committing the pristine base ($FK_S_BASE_VERSION) into $FK_SERIES_GIT (once per base version)"
		rm -rf "$FK_SERIES_GIT" "$FK_SERIES/tree" "$FK_SERIES/base-sparse".*
		mkdir -p "$FK_SERIES"
		git init -q --bare "$FK_SERIES_GIT"
		fk_sgit config core.looseCompression 1
		fk_sgit config gc.auto 0
		# -f: every file of the tarball, also those the kernel's own
		# .gitignore lists; the base is the tarball, byte for byte.
		GIT_INDEX_FILE=$FK_SERIES/base.index fk_sgit --work-tree="$pristine" \
			add -A -f . || fk_die "series: git add of the pristine tree failed"
		tree=$(GIT_INDEX_FILE=$FK_SERIES/base.index fk_sgit write-tree)
		rm -f "$FK_SERIES/base.index"
		# Fixed identity, the tarball's date: the same tarball gives the
		# same commit.
		d="$(stat -c %Y "$FK_TARBALL") +0000"
		GIT_AUTHOR_NAME=fankit GIT_AUTHOR_EMAIL=fankit@localhost \
		GIT_COMMITTER_NAME=fankit GIT_COMMITTER_EMAIL=fankit@localhost \
		GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d \
			fk_sgit commit-tree "$tree" -m "$FK_S_BASE_VERSION" -m \
			"The unpacked $FK_TARBALL (Debian package $FK_PKG $ver), every file, nothing else." \
			> "$FK_SERIES/base.commit"
		fk_sgit update-ref refs/heads/base "$(cat "$FK_SERIES/base.commit")"
		fk_sgit config fankit.base "$ver"
		fk_log "series: base committed in $(( $(fk_now) - t0 ))s"
	fi
	FK_S_BASE=$(fk_sgit rev-parse refs/heads/base)
	FK_S_BASE_TREE=$(fk_sgit rev-parse "refs/heads/base^{tree}")
}

# --- building the index step by step ---------------------------------------

fk_s_idx() { GIT_INDEX_FILE=$FK_SERIES/gen.index fk_sgit "$@"; }

# fk_s_put PATH [CONTENT_FILE] - the index gets PATH with the content of
# CONTENT_FILE (default: the repo's working-tree file).
fk_s_put() {
	local path=$1 file=${2:-$FK_REPO/$1} mode=100644 sha
	[ -x "$file" ] && mode=100755
	sha=$(fk_sgit hash-object -w --no-filters -- "$file")
	printf '%s %s\t%s\n' "$mode" "$sha" "$path" | fk_s_idx update-index --index-info
}

fk_s_rm() {
	printf '0 %040d\t%s\n' 0 "$1" | fk_s_idx update-index --index-info
}

# Files of the base tree under PATH (a file or a directory).
fk_s_base_files() { fk_sgit ls-tree -r --name-only "$FK_S_BASE" -- "$1"; }

# fk_s_commit MSGFILE - commit the index on FK_S_HEAD with MSGFILE as the
# message plus our Signed-off-by; dies if the step changes nothing.
fk_s_commit() {
	local msg=$1 tree sob
	git stripspace < "$msg" > "$msg.clean" && mv "$msg.clean" "$msg"
	tree=$(fk_s_idx write-tree)
	[ "$tree" != "$(fk_sgit rev-parse "$FK_S_HEAD^{tree}")" ] ||
		fk_die "series: step '$(head -1 "$msg")' changes nothing"
	sob="Signed-off-by: $FK_S_NAME <$FK_S_EMAIL>"
	grep -qxF "$sob" "$msg" || printf '\n%s\n' "$sob" >> "$msg"
	FK_S_HEAD=$(fk_sgit commit-tree "$tree" -p "$FK_S_HEAD" -F "$msg")
	FK_S_STEPS+=("$(head -1 "$msg")")
}

# fk_s_patch_step PATCH [EXTRA_MSG] - one patches/*.patch as one commit, its
# message taken from its own header (git mailinfo drops "[PATCH ...]").
fk_s_patch_step() {
	local p=$1 tmp=$FK_SERIES/tmp
	fk_s_idx apply --cached -p1 "$p" 2> "$tmp.err" || {
		cat "$tmp.err" >&2
		fk_die "series: $(basename "$p") does not apply with git apply at its place in the series"; }
	git mailinfo "$tmp.body" /dev/null < "$p" > "$tmp.info" ||
		fk_die "series: cannot read the header of $(basename "$p")"
	{ sed -n 's/^Subject: //p' "$tmp.info"; echo; cat "$tmp.body"; } |
		git stripspace > "$tmp.msg"
	[ -n "$(sed -n 1p "$tmp.msg")" ] || fk_die "series: $(basename "$p") has no Subject"
	fk_s_commit "$tmp.msg"
}

# fk_s_text NAME - a step message from kit/series-text/NAME.msg.
fk_s_text() {
	local f=$FK_SERIES_TEXT/$1.msg
	[ -f "$f" ] || fk_die "series: missing message $f"
	git stripspace --strip-comments < "$f" > "$FK_SERIES/tmp.msg"
	echo "$FK_SERIES/tmp.msg"
}

# Where a patch goes (kit/series-text/placement, else by the files it
# touches): first (MAINTAINERS), core (before our fanotify), fold (into the
# implementation: it breaks the build of upstream's fanotify), after (right
# after the implementation: it needs our fanotify), docs (after our
# document).
fk_s_placement() {
	local p=$1 name files place
	name=$(basename "$p")
	place=$(awk -v n="$name" '!/^#/ && NF >= 2 && n ~ ("^" $1) { print $2; exit }' \
		"$FK_SERIES_TEXT/placement" 2>/dev/null)
	if [ -z "$place" ]; then
		files=$(sed -n 's#^+++ [^/]*/\([^[:space:]]*\).*#\1#p' "$p")
		if [ "$files" = MAINTAINERS ]; then place=first
		elif ! grep -qv '^Documentation/' <<< "$files"; then place=docs
		else place=core; fi
	fi
	case $place in first|core|fold|after|docs) echo "$place" ;;
	*) fk_die "series: placement '$place' of $name is none of first core fold after docs" ;;
	esac
}

# fk_series_generate OUTDIR - build the commits and write the series.
fk_series_generate() {
	local out=$1 p place f impl=() permfiles=() fold=() perm_objs kconfig mk
	local -A placed=()
	fk_series_identity
	fk_series_base
	mkdir -p "$FK_SERIES"
	rm -f "$FK_SERIES/gen.index"
	fk_s_idx read-tree "$FK_S_BASE"
	FK_S_HEAD=$FK_S_BASE FK_S_STEPS=() FK_S_NOTES=()
	for p in $(fk_patches); do placed[$p]=$(fk_s_placement "$p"); done
	[ ${#placed[@]} -gt 0 ] || fk_log "series: patches/ is empty"

	# 1. MAINTAINERS first: checkpatch and get_maintainer then know the
	# files the later patches add.
	for p in $(fk_patches); do [ "${placed[$p]}" = first ] && fk_s_patch_step "$p"; done
	# 2. fsnotify core changes that stand alone, one per reason.
	for p in $(fk_patches); do [ "${placed[$p]}" = core ] && fk_s_patch_step "$p"; done

	# 3. UAPI header: values only; upstream's implementation builds with it.
	if [ -f "$FK_REPO/include/uapi/linux/fanotify.h" ]; then
		fk_s_put include/uapi/linux/fanotify.h
		fk_s_commit "$(fk_s_text uapi)"
	fi

	# 4. The implementation, in two steps when the Makefile puts the
	# permission objects under CONFIG_FANOTIFY_ACCESS_PERMISSIONS and the
	# Kconfig has that option as its own block: notification first (the
	# option does not exist yet), then permission events.
	mapfile -t impl < <(fk_overlay_list fs/notify/fanotify include/linux/fanotify.h)
	[ ${#impl[@]} -gt 0 ] || fk_die "series: the repo has no fs/notify/fanotify/"
	for p in $(fk_patches); do [ "${placed[$p]}" = fold ] && fold+=("$p"); done
	mk=$FK_REPO/fs/notify/fanotify/Makefile kconfig=$FK_REPO/fs/notify/fanotify/Kconfig
	perm_objs=$(sed -n 's/^obj-\$(CONFIG_FANOTIFY_ACCESS_PERMISSIONS)[[:space:]]*+=//p' "$mk")
	for f in $perm_objs; do
		[ -f "$FK_REPO/fs/notify/fanotify/${f%.o}.c" ] && permfiles+=("fs/notify/fanotify/${f%.o}.c")
	done
	if [ ${#permfiles[@]} -gt 0 ] && grep -q '^config FANOTIFY_ACCESS_PERMISSIONS$' "$kconfig" &&
	   [ "$(grep -c 'CONFIG_FANOTIFY_ACCESS_PERMISSIONS' "$mk")" = 1 ] &&
	   ! grep -q '^obj-\$(CONFIG_FANOTIFY_ACCESS_PERMISSIONS).*\\$' "$mk"; then
		FK_S_SPLIT=1
	else
		FK_S_SPLIT=0
		FK_S_NOTES+=("The implementation is one patch: fs/notify/fanotify/Makefile does not keep the permission objects on a line of their own under CONFIG_FANOTIFY_ACCESS_PERMISSIONS, so kit/series cannot make a notification-only step.")
	fi
	# Upstream's files that the repo does not provide go in the first step.
	for f in $(fk_s_base_files fs/notify/fanotify); do
		[ -f "$FK_REPO/$f" ] || fk_s_rm "$f"
	done
	for p in "${fold[@]}"; do
		fk_s_idx apply --cached -p1 "$p" ||
			fk_die "series: $(basename "$p") does not apply with git apply"
	done
	for f in "${impl[@]}"; do
		case " ${permfiles[*]} " in *" $f "*) [ "$FK_S_SPLIT" = 1 ] && continue ;; esac
		fk_s_put "$f"
	done
	if [ "$FK_S_SPLIT" = 1 ]; then
		# Only the permission line goes; the option goes from Kconfig
		# (with the blank lines that end its block).
		grep -v '^obj-\$(CONFIG_FANOTIFY_ACCESS_PERMISSIONS)' "$mk" > "$FK_SERIES/Makefile.notify"
		awk '/^config FANOTIFY_ACCESS_PERMISSIONS$/ { skip = 1; next }
		     skip && /^(config|menuconfig|menu|endmenu|if|endif|source|choice|comment)([[:space:]]|$)/ { skip = 0 }
		     skip { next }
		     /^$/ { blank++; next }
		     { while (blank > 0) { print ""; blank-- } print }' "$kconfig" > "$FK_SERIES/Kconfig.notify"
		fk_s_put fs/notify/fanotify/Makefile "$FK_SERIES/Makefile.notify"
		fk_s_put fs/notify/fanotify/Kconfig "$FK_SERIES/Kconfig.notify"
		cp "$(fk_s_text notify)" "$FK_SERIES/impl.msg"
	else
		cp "$(fk_s_text implementation)" "$FK_SERIES/impl.msg"
	fi
	for p in "${fold[@]}"; do
		{ echo; echo "It includes this fsnotify change, which cannot stand before it (upstream's"
		  echo "fanotify does not build with it, or would miss events with it) and which"
		  echo "it needs (kit/series-text/placement says why, patch by patch):"; echo
		  git mailinfo "$FK_SERIES/tmp.body" /dev/null < "$p" | sed -n 's/^Subject: /  /p'
		  echo; sed 's/^/  /' "$FK_SERIES/tmp.body"; } >> "$FK_SERIES/impl.msg"
	done
	fk_s_commit "$FK_SERIES/impl.msg"
	if [ "$FK_S_SPLIT" = 1 ]; then
		for f in "${permfiles[@]}"; do fk_s_put "$f"; done
		fk_s_put fs/notify/fanotify/Makefile
		fk_s_put fs/notify/fanotify/Kconfig
		fk_s_commit "$(fk_s_text permission)"
	fi
	# 5. Core changes that need our fanotify.
	for p in $(fk_patches); do [ "${placed[$p]}" = after ] && fk_s_patch_step "$p"; done

	# 6. Documentation, then the patches that only touch Documentation/.
	mapfile -t impl < <(fk_overlay_list Documentation)
	if [ ${#impl[@]} -gt 0 ]; then
		for f in "${impl[@]}"; do fk_s_put "$f"; done
		fk_s_commit "$(fk_s_text docs)"
	fi
	for p in $(fk_patches); do [ "${placed[$p]}" = docs ] && fk_s_patch_step "$p"; done

	# 7. Selftests, 8. samples.
	mapfile -t impl < <(fk_overlay_list tools/testing/selftests/fanotify)
	if [ ${#impl[@]} -gt 0 ]; then
		for f in "${impl[@]}"; do fk_s_put "$f"; done
		fk_s_commit "$(fk_s_text selftests)"
	fi
	mapfile -t impl < <(fk_overlay_list samples/fanotify)
	if [ ${#impl[@]} -gt 0 ]; then
		for f in "${impl[@]}"; do fk_s_put "$f"; done
		fk_s_commit "$(fk_s_text samples)"
	fi

	# The whole series must be exactly what the kit builds: pristine +
	# overlay + patches in name order, upstream's leftovers removed.
	fk_series_expected_tree
	[ "$(fk_sgit rev-parse "$FK_S_HEAD^{tree}")" = "$FK_S_EXPECTED_TREE" ] ||
		fk_die "series: the last commit's tree differs from the kit's tree (base + overlay + patches): $(fk_sgit diff --stat "$FK_S_EXPECTED_TREE" "$FK_S_HEAD" | tail -5)"
	fk_sgit update-ref refs/heads/series "$FK_S_HEAD"
	fk_series_format "$out"
	local cand inst
	inst=$(cat "$FK_CACHE/$FK_PKG.stamp")
	cand=$(apt-cache policy "$FK_PKG" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -n "$cand" ] && [ "$cand" != "$inst" ]; then
		fk_log "series: NOTE: apt now serves $FK_PKG $cand; the series is made on the installed $inst (apt-get install $FK_PKG to move; the cover letter says so)"
	else
		fk_log "series: base $FK_PKG $inst is what apt serves"
	fi
}

# The tree the kit builds as `ours`, made the kit's way (every patch in name
# order on top of the overlay), as FK_S_EXPECTED_TREE.
fk_series_expected_tree() {
	local f p
	rm -f "$FK_SERIES/gen.index"
	fk_s_idx read-tree "$FK_S_BASE"
	for f in $(fk_overlay_list "${FK_OVERLAY_PATHS[@]}"); do fk_s_put "$f"; done
	for p in $(fk_patches); do
		fk_s_idx apply --cached -p1 "$p" || fk_die "series: $(basename "$p") does not apply on the overlay"
	done
	for f in $(fk_s_base_files fs/notify/fanotify); do
		[ -f "$FK_REPO/$f" ] || fk_s_rm "$f"
	done
	FK_S_EXPECTED_TREE=$(fk_s_idx write-tree)
	rm -f "$FK_SERIES/gen.index"
}

# fk_series_format OUTDIR - git format-patch with a cover letter.
fk_series_format() {
	local out=$1 n cover
	rm -rf "$out"; mkdir -p "$out"
	fk_sgit format-patch -q --cover-letter --base="$FK_S_BASE" --thread=shallow \
		--no-signature --zero-commit -o "$out" "$FK_S_BASE..$FK_S_HEAD" ||
		fk_die "series: git format-patch failed"
	cover=$(ls "$out"/0000-cover-letter.patch)
	fk_series_cover > "$FK_SERIES/cover.txt"
	awk -v blurb="$FK_SERIES/cover.txt" '
		/\*\*\* SUBJECT HERE \*\*\*/ { getline subj < blurb; sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
		/^\*\*\* BLURB HERE \*\*\*$/ { getline line < blurb; while ((getline line < blurb) > 0) print line; next }
		{ print }' "$cover" > "$cover.new" && mv "$cover.new" "$cover"
	n=$(ls "$out" | grep -c '^[0-9]*-.*\.patch$')
	fk_log "series: $((n - 1)) patches and a cover letter in $out (base $FK_S_BASE_VERSION, base-commit $FK_S_BASE)"
}

# Version named in a results file ("Linux 6.12.117 (Debian ...").
fk_s_version_in() { grep -o 'Linux [0-9]*\.[0-9]*\.[0-9]*' "$1" 2>/dev/null | head -1 | cut -d' ' -f2; }

# fk_series_cover - the cover letter: first line the subject, then the text.
fk_series_cover() {
	local base_v apt_cand inst f d n all sum repo_v bench=$FK_REPO/kit/bench-results/latest.md
	local i=0 s
	base_v=$(awk '{print $2}' <<< "$FK_S_BASE_VERSION")
	inst=$(cat "$FK_CACHE/$FK_PKG.stamp")
	apt_cand=$(apt-cache policy "$FK_PKG" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	repo_v=$(git -C "$FK_REPO" describe --always --dirty 2>/dev/null || echo unknown)
	git stripspace --strip-comments < "$FK_SERIES_TEXT/cover.msg"
	cat <<-EOT

	Base
	====

	$FK_S_BASE_VERSION,
	the unpacked $FK_TARBALL that the kit builds (every
	file of the tarball, nothing else), committed as
	  base tree   $FK_S_BASE_TREE  (\`git add -A -f\` of the unpack)
	  base-commit $FK_S_BASE  (kit/series: fixed author and date)
	\`kit/series\` makes that tree and commit and \`git am\`s this series on it.
	Generated from the fanotify repo at $repo_v.
	EOT
	if [ -n "$apt_cand" ] && [ "$apt_cand" != "$inst" ]; then
		printf '\nNote: apt now serves %s %s; this series was made on the\ninstalled %s.\n' \
			"$FK_PKG" "$apt_cand" "$inst"
	fi
	if [ -f "$bench" ] && [ -n "$(fk_s_version_in "$bench")" ] &&
	   [ "$(fk_s_version_in "$bench")" != "$base_v" ]; then
		printf '\nNote: the base is %s, but the benchmark results below were\nmeasured on %s (kit/bench-results/latest.md): the base moved since\n(apt serves %s now); they have not been measured again on %s.\n' \
			"$base_v" "$(fk_s_version_in "$bench")" "$base_v" "$base_v"
	fi
	printf '\nThe patches\n===========\n\n'
	for s in "${FK_S_STEPS[@]}"; do i=$((i + 1)); printf '%2d. %s\n' "$i" "$s"; done
	cat <<-EOT

	Each patch builds (\`kit/series --bisect\` builds the kernel at every
	one).  The order: MAINTAINERS first, so that checkpatch and
	get_maintainer know the files the later patches add; then the fsnotify
	core changes that stand alone, one per reason; the UAPI header (new
	values only); the implementation; core changes that need it;
	Documentation; selftests; samples.
	EOT
	if [ "$FK_S_SPLIT" = 1 ]; then
		cat <<-EOT

		The implementation comes in two steps: notification events (the
		implementation without CONFIG_FANOTIFY_ACCESS_PERMISSIONS, which that
		patch leaves out of Kconfig), then permission events.  It cannot be cut
		finer along upstream's feature history: the additions beyond upstream
		(deadlines, fail-closed groups, excluded processes, FAN_CACHE, batched
		answers, answers by id) are part of the permission path's data
		structures and locking (perm.c, control.c, fanotify.h), not layers on
		top of it; patches that first add upstream's behaviour and then change
		it would be code that never existed and was never tested.  The
		notification step is built by --bisect, not run: the selftests come
		with the whole implementation and include permission tests.
		EOT
	fi
	for f in $(fk_patches); do
		[ "$(fk_s_placement "$f")" = fold ] || continue
		printf '\n%s is folded into the patch that replaces upstream'"'"'s implementation:\nupstream'"'"'s fanotify does not build with it or would miss events with it,\nand ours needs it (kit/series-text/placement says which).  Its message is\nkept in that patch.\n' \
			"patches/$(basename "$f")"
	done
	for s in "${FK_S_NOTES[@]}"; do printf '\n%s\n' "$s" | fold -s -w 72; done
	cat <<-EOT

	Not in the series: tools/fanotify-bench (the benchmark below) and the
	build/test kit live in the fanotify repo only.  The samples are not
	wired into samples/Makefile, and tools/testing/selftests/Makefile does
	not list fanotify in TARGETS (run them with TARGETS=fanotify).

	How it differs from upstream
	============================

	EOT
	# README's "Beyond upstream": its paragraph reflowed, its table as a
	# list (feature: how; section of the document).
	sed -n '/^## Beyond upstream/,/^## /p' "$FK_REPO/README.md" | sed '1d;$d' |
		sed -e 's#`\.\./shared/ABI-RESERVED\.md`#the team'"'"'s ABI-RESERVED list#' \
		    -e 's/`//g' -e 's/core patch [0-9]*/an fsnotify core patch/' |
		awk -F'|' '/^\|---/ || /^\| *feature *\|/ { next }
			/^\|/ { gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3); gsub(/^ +| +$/, "", $4); if ($4 == "same") $4 = last; last = $4
				printf "\n- %s: %s (document: %s)\n", $2, $3, $4; next }
			/^$/ { print ""; next } { printf "%s ", $0 }' |
		fold -s -w 72 | sed -e 's/ *$//' -e '/^- /!s/^\([^ ]\)/  \1/' -e '1,/^$/s/^  //' | cat -s
	printf '\nTest results\n============\n\n'
	all=$(fk_overlay_list tools/testing/selftests/fanotify | grep -c '_test\.c$' || true)
	# Per flavour the newest complete run (every program of the suite) in
	# this cache, and the repo commit of the build before it.
	for f in ours debug stock; do
		local run="" ts blog
		for d in $(ls -dt "$FK_CACHE/runs/$f"-2* 2>/dev/null); do
			[ -f "$d/SUMMARY" ] || continue
			[ "$(ls "$d"/tests/*.rc 2>/dev/null | wc -l)" = "$all" ] || continue
			run=$d; break
		done
		if [ -z "$run" ]; then
			printf '%s: no complete run recorded in this kit cache\n' "$f"; continue
		fi
		ts=$(basename "$run" | cut -d- -f2-3)
		blog=$(ls "$FK_CACHE/logs/build-$f"-2*.log 2>/dev/null |
			awk -v t="$FK_CACHE/logs/build-$f-$ts.log" '$0 <= t' | tail -1)
		printf '%s (run %s UTC, %s programs%s)\n' "$(cut -d';' -f1-2 "$run/SUMMARY")" "$ts" "$all" \
			"$( [ -n "$blog" ] && sed -n 's/^kit: repo: /, repo at /p' "$blog" | head -1)"
	done
	cat <<-EOT

	ours: the series' kernel, kit config (tinyconfig + kit/config/base.config)
	under QEMU; debug: the same with lockdep, KASAN, kmemleak and friends;
	stock: the unpatched base with the same selftests.  A kernel warning,
	lockdep, KASAN or kmemleak report in the console log fails a run.
	EOT
	printf '\nBenchmark (ours / upstream)\n===========================\n\n'
	if [ -f "$bench" ]; then
		sed -n 's/^\*\*\(Clock: [^:]*\):.*/\1./p' "$bench"
		sed -n 's/^\(Measured [^.]*\)\..*Kernels: ours `\([^`]*\)`, upstream `\([^`]*\)`.*/\1; ours \2, upstream \3./p' "$bench" | fold -s -w 72
		echo
		awk -F'|' '/^\| workload/ { t = 1; next } /^\|---/ { next }
			t && /^\|/ { gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3)
				printf "  %-62s %s\n", $2, $3; next }
			t { exit }' "$bench"
		printf '\nA ratio below 1 is faster (stress-ng: higher is better).  Goals and\ntheir PASS/MISS are in kit/bench-results/latest.md of the repo.\n'
	else
		echo "No benchmark results in the repo (kit/bench-results/latest.md)."
	fi
}

# --- checking the series ----------------------------------------------------

FK_S_TREE=$FK_SERIES/tree
FK_S_OBJ=$FK_SERIES/build-check
FK_S_FAILED=()

fk_s_tgit() { git -C "$FK_S_TREE" "$@"; }

# fk_s_result NAME RC DETAIL - print one check's verdict, remember failures.
fk_s_result() {
	if [ "$2" = 0 ]; then
		fk_log "series check: $1: ok${3:+ ($3)}"
	else
		fk_log "series check: $1: FAILED${3:+ ($3)}"
		FK_S_FAILED+=("$1")
	fi
}

# The checked-out tree (a worktree of base.git), made once per base.
fk_s_tree() {
	local t0
	if [ ! -f "$FK_S_TREE/Makefile" ] || ! fk_s_tgit rev-parse -q --verify HEAD > /dev/null 2>&1; then
		t0=$(fk_now)
		rm -rf "$FK_S_TREE"; fk_sgit worktree prune
		fk_log "series: checking out the base into $FK_S_TREE (once per base version)"
		fk_sgit worktree add -q --detach "$FK_S_TREE" "$FK_S_BASE" ||
			fk_die "series: cannot check out the base"
		fk_log "series: checked out in $(( $(fk_now) - t0 ))s"
	fi
}

# fk_s_reset REV - check REV out, keeping the mtime of every file whose
# content does not change, so that make rebuilds only what a step changed.
fk_s_reset() {
	fk_s_tgit am --abort > /dev/null 2>&1 || true
	fk_s_tgit checkout -q -f --detach "$1" || fk_die "series: cannot check out $1"
	fk_s_tgit clean -q -f -d
}

# Record the mtimes of the files base..HEAD touches (with their blobs);
# fk_s_mtimes_restore puts them back on files whose blob is the same.
fk_s_mtimes_save() {
	local f
	: > "$FK_SERIES/mtimes"
	fk_s_tgit diff --name-only "$FK_S_BASE" HEAD 2>/dev/null | while read -r f; do
		[ -f "$FK_S_TREE/$f" ] || continue
		printf '%s %s %s\n' "$(fk_s_tgit rev-parse "HEAD:$f")" \
			"$(stat -c %Y "$FK_S_TREE/$f")" "$f"
	done > "$FK_SERIES/mtimes"
}
fk_s_mtimes_restore() {
	local sha t f
	while read -r sha t f; do
		[ -f "$FK_S_TREE/$f" ] && [ "$(fk_s_tgit rev-parse -q --verify "HEAD:$f")" = "$sha" ] &&
			touch -d "@$t" "$FK_S_TREE/$f"
	done < "$FK_SERIES/mtimes"
	return 0
}

# fk_s_configure [verify] - tinyconfig + the kit's base.config in
# build-check (as fk_configure does for `ours`); with `verify`, every
# fragment line must be in the result.  Redone when Kconfig or the
# fragment changes.
fk_s_configure() {
	local key frags
	mapfile -t frags < <(fk_fragments ours)
	key=$({ cat "${frags[@]}"; fk_s_tgit rev-parse HEAD:fs/notify/fanotify/Kconfig 2>/dev/null; } |
		sha256sum | cut -d' ' -f1)
	mkdir -p "$FK_S_OBJ"
	if [ ! -f "$FK_S_OBJ/.config" ] || [ "$(cat "$FK_S_OBJ/.fankit-config" 2>/dev/null)" != "$key" ]; then
		rm -f "$FK_S_OBJ/.fankit-config"
		make -s -C "$FK_S_TREE" O="$FK_S_OBJ" ARCH=$FK_ARCH tinyconfig > /dev/null &&
		( cd "$FK_S_OBJ" && "$FK_S_TREE/scripts/kconfig/merge_config.sh" -m -O "$FK_S_OBJ" \
			"$FK_S_OBJ/.config" "${frags[@]}" > /dev/null ) &&
		make -s -C "$FK_S_TREE" O="$FK_S_OBJ" ARCH=$FK_ARCH olddefconfig > /dev/null ||
			fk_die "series: configuring $FK_S_OBJ failed"
		echo "$key" > "$FK_S_OBJ/.fankit-config"
	fi
	if [ "${1:-}" = verify ]; then
		fk_config_verify "$FK_S_OBJ/.config" "${frags[@]}" ||
			fk_die "series: config fragment lines missing from $FK_S_OBJ/.config"
	fi
}

fk_s_make() {
	flock "$FK_BUILD_LOCK" make -C "$FK_S_TREE" O="$FK_S_OBJ" ARCH=$FK_ARCH \
		CC="ccache gcc" -j"$FK_JOBS" "$@"
}

# 1. Every patch applies in order with git am; the result is the series.
fk_s_check_am() {
	local dir=$1 p n=0 total rc=0
	total=$(ls "$dir"/[0-9]*.patch | grep -vc '/0000-')
	fk_s_mtimes_save
	fk_s_reset "$FK_S_BASE"
	for p in "$dir"/[0-9]*.patch; do
		case $p in */0000-*) continue ;; esac
		n=$((n + 1))
		if fk_s_tgit am -q --keep-cr "$p" > "$FK_SERIES/am.log" 2>&1; then
			fk_log "series check: git am $n/$total: $(basename "$p")"
		else
			cat "$FK_SERIES/am.log" >&2
			fk_s_result "git am of $(basename "$p")" 1 "patch $n of $total does not apply"
			fk_s_tgit am --abort > /dev/null 2>&1 || true
			return 1
		fi
	done
	fk_s_mtimes_restore
	[ "$(fk_s_tgit rev-parse "HEAD^{tree}")" = "$(fk_sgit rev-parse "refs/heads/series^{tree}")" ] || rc=1
	fk_s_result "git am: $total patches on $FK_S_BASE_VERSION" "$rc" \
		"$([ $rc = 0 ] && echo "the result is the kit's tree" || echo "the result differs from the generated series")"
	return $rc
}

# Files a patch adds or deletes, and whether the fanotify MAINTAINERS entry
# of the final tree covers each.
fk_s_uncovered() {
	local p=$1 f pat ok
	mapfile -t pats < <(awk '/^FANOTIFY$/ { s = 1; next } s && /^$/ { exit } s && /^F:/ { print $2 }' \
		"$FK_S_TREE/MAINTAINERS")
	for f in $(awk '/^diff --git / { a = substr($3, 3) } /^(new|deleted) file mode/ { print a }' "$p"); do
		ok=0
		for pat in "${pats[@]}"; do
			case $pat in */) [[ $f == "$pat"* ]] && ok=1 ;; *) [ "$f" = "$pat" ] && ok=1 ;; esac
		done
		[ $ok = 1 ] || echo "$f"
	done
}

# 2. checkpatch --strict on every patch.  Accepted: FILE_PATH_CHANGES
# ("added, moved or deleted file(s), does MAINTAINERS need updating?"),
# which checkpatch prints for every patch that adds or deletes a file
# without touching MAINTAINERS, covered or not: here every such file must be
# covered by the fanotify entry (the series' first patch) instead; and the
# selftest false positives listed in kit/series-text/checkpatch-accepted.
# Everything else fails.
fk_s_check_checkpatch() {
	local dir=$1 p bad=0 unc n=0 type file blk rule rtype rglob rre why
	local -A acc=()
	local rules=$FK_SERIES_TEXT/checkpatch-accepted
	for p in "$dir"/[0-9]*.patch; do
		case $p in */0000-*) continue ;; esac
		n=$((n + 1))
		(cd "$FK_S_TREE" && scripts/checkpatch.pl --strict --no-summary --show-types "$p" 2>&1) |
			awk -v RS= '/^(ERROR|WARNING|CHECK):/ { gsub(/\n/, "\001"); print }' > "$FK_SERIES/cp.blocks" || true
		while IFS= read -r blk; do
			type=$(sed 's/^[A-Z]*:\([A-Z_]*\):.*/\1/' <<< "$blk")
			file=$( (grep -o 'FILE: [^:]*' <<< "$blk" || true) | head -1 | cut -c7-)
			if [ "$type" = FILE_PATH_CHANGES ]; then
				unc=$(fk_s_uncovered "$p")
				if [ -z "$unc" ]; then
					acc[FILE_PATH_CHANGES]=$(( ${acc[FILE_PATH_CHANGES]:-0} + 1 )); continue
				fi
				fk_log "series check: $(basename "$p") adds or deletes files the fanotify MAINTAINERS entry does not cover: $unc"
			else
				rule=0
				while IFS=$'\t' read -r rtype rglob rre why; do
					case $rtype in ''|'#'*) continue ;; esac
					rule=$((rule + 1))
					[ "$rtype" = "$type" ] || continue
					# shellcheck disable=SC2254
					case $file in $rglob) ;; *) continue ;; esac
					grep -qE -- "$rre" <<< "$blk" || continue
					acc[$type]=$(( ${acc[$type]:-0} + 1 )); continue 2
				done < "$rules"
			fi
			[ $bad = 1 ] || fk_log "series check: checkpatch --strict findings:"
			printf '    %s: %s\n' "$(basename "$p")" "$(tr '\001' '\n' <<< "$blk" | head -4 | paste -sd' ')" >&2
			bad=1
		done < "$FK_SERIES/cp.blocks"
	done
	for type in "${!acc[@]}"; do
		if [ "$type" = FILE_PATH_CHANGES ]; then why="every file added or deleted is in the fanotify MAINTAINERS entry"
		else why=$(awk -F'\t' -v t="$type" '$1 == t { print $4; exit }' "$rules"); fi
		fk_log "series check: checkpatch: accepted $type x${acc[$type]}: $why"
	done
	fk_s_result "checkpatch --strict on $n patches" $bad \
		"$([ $bad = 0 ] && echo "no finding beyond the accepted ones above" || echo "findings above")"
	return $bad
}

# 3. kernel-doc -Wall -none: our files clean; files our patches touch: no
# warning the base does not have (line numbers aside).
fk_s_check_kerneldoc() {
	local f bad=0 n=0 new out
	for f in $(fk_overlay_list fs/notify/fanotify include/linux/fanotify.h include/uapi/linux/fanotify.h |
		   grep -E '\.[ch]$'); do
		n=$((n + 1))
		out=$(cd "$FK_S_TREE" && scripts/kernel-doc -Wall -none "$f" 2>&1) || true
		[ -z "$out" ] || { printf '%s\n' "$out" >&2; bad=1; }
	done
	for f in $(cat $(fk_patches) /dev/null | sed -n 's#^+++ [^/]*/\([^[:space:]]*\.[ch]\)\([[:space:]].*\)\?$#\1#p' | sort -u); do
		n=$((n + 1))
		fk_sgit show "$FK_S_BASE:$f" > "$FK_SERIES/kdoc-base.${f##*.}" 2>/dev/null || : > "$FK_SERIES/kdoc-base.${f##*.}"
		new=$(comm -13 \
			<(cd "$FK_S_TREE" && scripts/kernel-doc -Wall -none "$FK_SERIES/kdoc-base.${f##*.}" 2>&1 |
				sed 's/^[^:]*:[0-9]*: //' | sort -u) \
			<(cd "$FK_S_TREE" && scripts/kernel-doc -Wall -none "$f" 2>&1 |
				sed 's/^[^:]*:[0-9]*: //' | sort -u))
		[ -z "$new" ] || { printf '%s: %s\n' "$f" "$new" >&2; bad=1; }
	done
	fk_s_result "kernel-doc -Wall -none on $n files" $bad "ours clean; core files: nothing new against the base"
	return $bad
}

# Sparse's warnings for fs/notify/, as "file: message" without line numbers.
fk_s_sparse_run() {
	local log=$1
	fk_s_make C=2 fs/notify/ > "$log.full" 2>&1 || { tail -30 "$log.full" >&2; return 1; }
	{ grep -E ': (warning|error):' "$log.full" || true; } |
		sed -E "s#^$FK_S_TREE/##; s#^([^:]*):[0-9]+:[0-9]+: #\1: #" | sort -u > "$log"
}

# 4. sparse (make C=2 fs/notify/): nothing new against the base.  The
# base's report is made once per base (the tree goes back to the base for
# it, so that run rebuilds more).
fk_s_check_sparse() {
	local base=$FK_SERIES/base-sparse.txt new head
	command -v sparse > /dev/null || { fk_s_result "sparse" 1 "sparse is not installed"; return 1; }
	if [ ! -f "$base" ]; then
		fk_log "series check: sparse on the base's fs/notify/ (once per base)"
		# No mtimes kept across this: build-check is rebuilt from the
		# base's content here, so every file the series changes must
		# look newer than its objects afterwards.
		head=$(fk_s_tgit rev-parse HEAD)
		fk_s_reset "$FK_S_BASE"
		fk_s_configure
		fk_s_sparse_run "$base.tmp" || { fk_s_result "sparse (base)" 1 "make C=2 fs/notify/ failed on the base"; return 1; }
		mv "$base.tmp" "$base"
		fk_s_reset "$head"
	fi
	fk_s_configure
	fk_s_sparse_run "$FK_SERIES/sparse.txt" || { fk_s_result "sparse" 1 "make C=2 fs/notify/ failed"; return 1; }
	new=$(comm -13 "$base" "$FK_SERIES/sparse.txt")
	[ -z "$new" ] || printf '%s\n' "$new" | sed 's/^/    /' >&2
	fk_s_result "sparse (make C=2 fs/notify/, $(sparse --version 2>&1))" "$([ -z "$new" ] && echo 0 || echo 1)" \
		"$(wc -l < "$FK_SERIES/sparse.txt") warnings, $(wc -l < "$base") on the base, $(grep -c . <<< "$new" || true) new"
	[ -z "$new" ]
}

# 5. Sphinx: the directories of our documents; only warnings that name one
# of our documents count (the base tree has warnings of its own).
fk_s_check_docs() {
	local docs dirs pat out=$FK_SERIES/docs log=$FK_SERIES/docs.log hits rc=0
	docs=$( { fk_overlay_list Documentation
		  cat $(fk_patches) /dev/null | sed -n 's#^+++ [^/]*/\(Documentation/[^[:space:]]*\.rst\).*#\1#p'; } | sort -u)
	[ -n "$docs" ] || { fk_s_result "Sphinx" 0 "no documents of ours"; return 0; }
	# For each document, the nearest directory with an index.rst: Sphinx
	# builds only those (userspace-api/ioctl, not all of userspace-api).
	dirs=$(printf '%s\n' "$docs" | while read -r d; do
		d=$(dirname "$d")
		while [ "$d" != Documentation ] && [ ! -f "$FK_S_TREE/$d/index.rst" ]; do d=$(dirname "$d"); done
		echo "${d#Documentation/}"
	done | sort -u | xargs)
	command -v sphinx-build > /dev/null || { fk_s_result "Sphinx" 1 "sphinx-build is not installed"; return 1; }
	make -C "$FK_S_TREE" O="$out" SPHINXDIRS="$dirs" htmldocs > "$log" 2>&1 || rc=$?
	pat=$(printf '%s\n' "$docs" | sed 's/\./\\./g' | paste -sd'|')
	hits=$(grep -E "$pat" "$log" | grep -Ei 'warning|error|critical' || true)
	[ -z "$hits" ] || printf '%s\n' "$hits" | sed 's/^/    /' >&2
	[ $rc = 0 ] || tail -20 "$log" >&2
	fk_s_result "Sphinx htmldocs SPHINXDIRS=\"$dirs\" ($(sphinx-build --version 2>&1))" \
		"$([ $rc = 0 ] && [ -z "$hits" ] && echo 0 || echo 1)" \
		"$(printf '%s\n' "$docs" | wc -l) documents of ours: $(grep -cE "$pat" <<< "$hits" || true) warnings; the base's own: $(grep -ciE 'warning|error' "$log" || true) lines in $log"
	[ $rc = 0 ] && [ -z "$hits" ]
}

# fk_s_same_as_ours - true when the kit's `ours` kernel, built with the same
# kit config, was last built after its source tree got exactly the content
# of the series' last commit in every file the series changes (and lacks
# every file it deletes): then that build is the series' build.  kit/test asks
# for this (FANKIT_SERIES_REUSE_OURS=1) right after building ours, to keep
# one cold kernel build out of CI's budget; kit/series --check alone builds.
fk_s_same_as_ours() {
	local src obj img log f n=0 status frags
	src=$(fk_src ours) obj=$(fk_obj ours) img=$(fk_obj ours)/arch/$FK_ARCH/boot/bzImage
	# The build log is made when the build starts, after the tree was synced.
	log=$FK_CACHE/logs/build-ours.log
	[ "${FANKIT_SERIES_REUSE_OURS:-0}" = 1 ] && [ -f "$img" ] && [ -f "$log" ] || return 1
	while read -r status f; do
		n=$((n + 1))
		if [ "$status" = D ]; then
			[ ! -e "$src/$f" ] || { fk_log "series check: $f is deleted by the series but in $src: building"; return 1; }
			continue
		fi
		fk_sgit cat-file blob "refs/heads/series:$f" | cmp -s - "$src/$f" ||
			{ fk_log "series check: $f differs between the series and $src: building"; return 1; }
		[ "$src/$f" -ot "$log" ] ||
			{ fk_log "series check: $src/$f is newer than ours' last build: building"; return 1; }
	done < <(fk_sgit diff --no-renames --name-status "$FK_S_BASE" refs/heads/series)
	mapfile -t frags < <(fk_fragments ours)
	fk_config_verify "$obj/.config" "${frags[@]}" > /dev/null 2>&1 ||
		{ fk_log "series check: ours' .config lacks kit config lines: building"; return 1; }
	FK_S_SAME_FILES=$n
}

# 6. The kernel builds, kit config verified.
fk_s_check_build() {
	local rc=0 t0; t0=$(fk_now)
	if fk_s_same_as_ours; then
		fk_s_result "kernel build (bzImage, kit config)" 0 \
			"not built twice: the kit's ours kernel, $(fk_obj ours)/arch/$FK_ARCH/boot/bzImage, was built after its tree got the series' final content in all $FK_S_SAME_FILES files the series changes"
		return 0
	fi
	fk_s_configure verify
	fk_s_make bzImage > "$FK_SERIES/build.log" 2>&1 || rc=$?
	[ $rc = 0 ] || { grep -E 'error|Error' "$FK_SERIES/build.log" | head -20 >&2; }
	fk_s_result "kernel build (bzImage, kit config)" $rc "$(( $(fk_now) - t0 ))s, log $FK_SERIES/build.log"
	return $rc
}

# fk_series_check DIR - every check, even after a failure (only a failed
# git am stops: the rest would check something else).  Returns 1 if any
# failed.
fk_series_check() {
	local dir=$1 t0 t; t0=$(fk_now)
	fk_need_pkgs sparse python3-sphinx python3-yaml
	fk_s_tree
	t=$(fk_now); fk_s_check_am "$dir" || { fk_log "series check: git am failed: nothing else checked"; return 1; }
	fk_log "series check: git am took $(( $(fk_now) - t ))s"
	t=$(fk_now); fk_s_check_checkpatch "$dir" || true; fk_log "series check: checkpatch took $(( $(fk_now) - t ))s"
	t=$(fk_now); fk_s_check_kerneldoc || true; fk_log "series check: kernel-doc took $(( $(fk_now) - t ))s"
	t=$(fk_now); fk_s_check_sparse || true; fk_log "series check: sparse took $(( $(fk_now) - t ))s"
	t=$(fk_now); fk_s_check_docs || true; fk_log "series check: Sphinx took $(( $(fk_now) - t ))s"
	fk_s_check_build || true
	fk_log "series check took $(( $(fk_now) - t0 ))s"
	if [ ${#FK_S_FAILED[@]} -gt 0 ]; then
		fk_log "series check FAILED: ${FK_S_FAILED[*]}"
		return 1
	fi
	fk_log "series check: all clean"
}

# fk_series_bisect - build the kernel at every commit of the series.
fk_series_bisect() {
	local c n=0 total bad=0 t0 subj
	fk_s_tree
	total=$(fk_sgit rev-list --count "$FK_S_BASE..refs/heads/series")
	for c in $(fk_sgit rev-list --reverse "$FK_S_BASE..refs/heads/series"); do
		n=$((n + 1)) t0=$(fk_now)
		subj=$(fk_sgit log -1 --format=%s "$c")
		fk_s_mtimes_save
		fk_s_reset "$c"
		fk_s_mtimes_restore
		fk_s_configure
		if fk_s_make bzImage > "$FK_SERIES/bisect-$n.log" 2>&1; then
			fk_log "series bisect: $n/$total builds ($(( $(fk_now) - t0 ))s): $subj"
		else
			grep -E 'error|Error' "$FK_SERIES/bisect-$n.log" | head -20 >&2
			fk_log "series bisect: $n/$total does NOT build: $subj (log $FK_SERIES/bisect-$n.log)"
			bad=1
		fi
	done
	return $bad
}
