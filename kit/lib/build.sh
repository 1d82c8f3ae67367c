# kit/lib/build.sh - kernel build, proof that our fanotify was compiled,
# UAPI headers.

fk_kmake() {
	local flavour=$1; shift
	flock "$FK_BUILD_LOCK" make -C "$(fk_src "$flavour")" O="$(fk_obj "$flavour")" \
		ARCH=$FK_ARCH CC="ccache gcc" -j"$FK_JOBS" "$@"
}

# Source file recorded in a kbuild .X.o.cmd file, as an absolute path.
fk_cmd_source() {
	local s; s=$(sed -n 's/^source_[^ ]* := //p' "$1" | head -1)
	[ -n "$s" ] || return 0
	case $s in /*) echo "$s" ;; *) echo "$2/$s" ;; esac
}

# Drop objects whose source left the tree (renamed/removed overlay files),
# so stale .cmd files cannot confuse the verification.
fk_prune_stale() {
	local obj=$1 dir=$1/fs/notify/fanotify cmd s
	[ -d "$dir" ] || return 0
	for cmd in "$dir"/.*.o.cmd; do
		[ -f "$cmd" ] || continue
		s=$(fk_cmd_source "$cmd" "$obj")
		if [ -n "$s" ] && [ ! -f "$s" ]; then
			local o=${cmd##*/}; o=${o#.}; o=${o%.cmd}
			rm -f "$cmd" "$dir/$o"
			fk_log "pruned stale object $o (source gone)"
		fi
	done
}

# Every compiled fanotify object must come from a repo file of identical
# content; no fanotify object may come from anywhere else.
fk_verify_ours() {
	local flavour=$1 obj src dir cmd s rel o names=() bad=0
	obj=$(fk_obj "$flavour") src=$(fk_src "$flavour") dir=$obj/fs/notify/fanotify
	for cmd in "$dir"/.*.o.cmd; do
		[ -f "$cmd" ] || continue
		o=${cmd##*/}; o=${o#.}; o=${o%.cmd}
		s=$(fk_cmd_source "$cmd" "$obj")
		s=$(realpath -m "$s"); rel=${s#"$(realpath "$src")"/}
		if [ -z "$s" ] || [ "$rel" = "$s" ]; then
			fk_log "VERIFY FAILED: $o compiled from '$s', outside our tree"; bad=1
		elif [ ! -f "$FK_REPO/$rel" ]; then
			fk_log "VERIFY FAILED: $o compiled from $rel, which the repo does not provide"; bad=1
		elif ! cmp -s "$FK_REPO/$rel" "$s"; then
			fk_log "VERIFY FAILED: $o compiled from $rel, which differs from the repo's copy"; bad=1
		else
			names+=("$o")
		fi
	done
	for o in "$dir"/*.o; do
		[ -f "$o" ] || continue
		[ -f "$dir/.${o##*/}.cmd" ] || { fk_log "VERIFY FAILED: ${o##*/} has no .cmd record"; bad=1; }
	done
	[ ${#names[@]} -gt 0 ] || { fk_log "VERIFY FAILED: no fanotify object was compiled"; bad=1; }
	[ $bad = 0 ] || fk_die "the $flavour kernel is not built from our fanotify sources"
	fk_log "fanotify sources verified as ours: ${names[*]}"
}

# fk_build_kernel FLAVOUR - configure + build bzImage + headers.  Log in
# $FK_CACHE/logs/build-FLAVOUR-<time>.log (also linked as build-FLAVOUR.log).
fk_build_kernel() {
	local flavour=$1 src obj log t0 rc=0
	src=$(fk_src "$flavour") obj=$(fk_obj "$flavour")
	log=$FK_CACHE/logs/build-$flavour-$(fk_stamp).log
	ln -sfn "$log" "$FK_CACHE/logs/build-$flavour.log"
	t0=$(fk_now)
	{
		echo "kit: base: $(fk_base_version "$src")"
		echo "kit: flavour: $flavour  src: $src  O: $obj"
		echo "kit: repo: $(git -C "$FK_REPO" describe --always --dirty 2>/dev/null || echo none)"
		echo "kit: fragments: $(fk_fragments "$flavour" | xargs -n1 basename | xargs)"
	} | tee "$log" >&2
	fk_configure "$flavour" 2>&1 | tee -a "$log" >&2
	[ "${PIPESTATUS[0]}" = 0 ] || fk_die "configuration of $flavour failed (log: $log)"
	fk_is_stock "$flavour" || fk_prune_stale "$obj"
	fk_log "building $flavour kernel (make -j$FK_JOBS, log: $log)"
	fk_kmake "$flavour" bzImage >> "$log" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		{ grep -E 'error|Error' "$log" || true; } | head -40 >&2
		tail -20 "$log" >&2
		fk_die "build of $flavour kernel failed (full log: $log)"
	fi
	if fk_is_stock "$flavour"; then
		fk_log "$flavour: upstream fanotify, not verified as ours" 2>&1 | tee -a "$log" >&2
	else
		fk_verify_ours "$flavour" 2>&1 | tee -a "$log" >&2
		[ "${PIPESTATUS[0]}" = 0 ] || exit 1
	fi
	rm -rf "$(fk_hdr "$flavour").tmp"
	fk_kmake "$flavour" headers_install INSTALL_HDR_PATH="$(fk_hdr "$flavour").tmp" \
		>> "$log" 2>&1 || fk_die "headers_install failed (log: $log)"
	rsync -rc --delete "$(fk_hdr "$flavour").tmp/" "$(fk_hdr "$flavour")/"
	rm -rf "$(fk_hdr "$flavour").tmp"
	fk_log "built $flavour kernel in $(( $(fk_now) - t0 ))s: $obj/arch/x86/boot/bzImage" 2>&1 | tee -a "$log" >&2
}
