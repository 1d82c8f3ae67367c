# kit/lib/source.sh - pristine unpack and per-flavour source trees.
#
# Pristine: $FK_CACHE/linux-source-6.12, unpacked from the Debian tarball,
# never modified.  Flavour trees:
#   src-ours  = pristine + repo overlay + patches/*.patch, minus every file
#               under fs/notify/fanotify/ that the repo does not provide.
#   src-stock = pristine + only the repo's selftests (kernel untouched).
# A tree is reset to pristine (by content, so untouched files keep their
# mtime) only when the patch set changes; otherwise the overlay is synced by
# content so that only edited files get a new mtime.

FK_OVERLAY_PATHS=(fs/notify/fanotify include/linux/fanotify.h
	include/uapi/linux/fanotify.h samples/fanotify Documentation
	tools/testing/selftests/fanotify)

fk_pristine() {
	local dir=$FK_CACHE/$FK_PKG stamp=$FK_CACHE/$FK_PKG.stamp want have
	want=$(dpkg-query -W -f='${Version}' "$FK_PKG")
	have=$(cat "$stamp" 2>/dev/null || true)
	if [ -d "$dir" ] && [ -z "$have" ]; then
		# Adopt an existing unpack if its Makefile matches the package.
		local mk; mk=$(fk_base_version "$dir" | awk '{print $2}')
		[ "$mk" = "${want%%-*}" ] && { echo "$want" > "$stamp"; have=$want; }
	fi
	# The pristine must be the tarball, byte for byte: every flavour tree is
	# reset from it.  tar gives each file the archive's mtime and the stamp
	# is written after the unpack, so anything newer than the stamp was
	# written since (a cache whose tree was a symlink into the pristine, a
	# stray edit); a symlinked pristine is someone else's tree.  Either
	# way: unpack again rather than build on it.
	if [ -L "$dir" ]; then
		fk_log "$dir is a symlink, not an unpack of its own: unpacking again"
		rm -f "$dir"; have=
	elif [ -n "$have" ] && [ -d "$dir" ]; then
		local changed
		changed=$(find "$dir" -newer "$stamp" -print -quit 2>/dev/null)
		if [ -n "$changed" ]; then
			fk_log "pristine tree was modified after its unpack (${changed#"$dir"/}, maybe more): unpacking again"
			have=
		fi
	fi
	if [ "$have" != "$want" ] || [ ! -f "$dir/Makefile" ]; then
		fk_log "unpacking $FK_TARBALL ($want) into $FK_CACHE"
		rm -rf "$dir" "$stamp"
		tar -xJf "$FK_TARBALL" -C "$FK_CACHE"
		[ -f "$dir/Makefile" ] || fk_die "tarball did not produce $dir"
		echo "$want" > "$stamp"
	fi
	echo "$dir"
}

# Files the repo provides under the overlay paths (working tree, so that
# uncommitted edits are tested), minus editor droppings and build output.
fk_overlay_list() {
	local p
	( cd "$FK_REPO" && for p in "$@"; do
		[ -e "$p" ] || continue
		find "$p" -type f ! -name '*~' ! -name '.*.sw?' ! -name '*.orig' \
			! -name '*.rej' ! -name '*.o' ! -name '.*.cmd' ! -name '#*#'
	done | sort )
}

fk_patches() { ls "$FK_REPO"/patches/*.patch 2>/dev/null | sort || true; }

# Identity of the things that force a reset to pristine: the base, the patch
# set, and overlay files that a patch also touches.
fk_tree_key() {
	local flavour=$1 p f
	{
		# The unpack itself (its time): a pristine unpacked again resets
		# every tree made from the old one.
		cat "$FK_CACHE/$FK_PKG.stamp"
		stat -c %Y "$FK_CACHE/$FK_PKG.stamp"
		# ours and debug share one tree, hence one key.
		if fk_is_stock "$flavour"; then echo tree=stock; else echo tree=ours; fi
		fk_is_stock "$flavour" ||
		for p in $(fk_patches); do
			basename "$p"; sha256sum < "$p"
			for f in $(sed -n 's#^+++ [^/]*/\([^[:space:]]*\).*#\1#p' "$p"); do
				if [ -f "$FK_REPO/$f" ]; then echo "$f"; sha256sum < "$FK_REPO/$f"; fi
			done
		done
	} | sha256sum | cut -d' ' -f1
}

fk_prepare_src() {
	local flavour=$1 pristine src key stampf manifest reset=0 list old f p
	pristine=$(fk_pristine)
	src=$(fk_src "$flavour")
	stampf=$src.stamp manifest=$src.manifest
	if ! fk_is_stock "$flavour" && ! fk_have_ours; then
		fk_die "repo has no fs/notify/fanotify/Makefile yet: nothing of ours to build (try kit/stock-test)"
	fi
	key=$(fk_tree_key "$flavour")
	# A flavour tree is patched in place: it must be a directory of its
	# own, never a link to the pristine or to another cache's tree.
	if [ -L "$src" ]; then
		fk_log "$src is a symlink: replacing it with a tree of its own"
		rm -f "$src"
	fi
	if [ ! -d "$src" ]; then
		fk_log "creating $src from pristine"
		cp -a --reflink=auto "$pristine" "$src.tmp" && mv "$src.tmp" "$src"
		reset=1
	elif [ "$(cat "$stampf" 2>/dev/null)" != "$key" ]; then
		fk_log "patch set changed: resetting $src to pristine (by content)"
		rsync -rcE --delete "$pristine/" "$src/"
		rm -f "$manifest"
		reset=1
	fi
	rm -f "$stampf.ok"

	# Overlay, by content (no -t: changed files get a fresh mtime).
	if fk_is_stock "$flavour"; then
		list=$(fk_overlay_list tools/testing/selftests/fanotify)
	else
		list=$(fk_overlay_list "${FK_OVERLAY_PATHS[@]}")
	fi
	[ -n "$list" ] && printf '%s\n' "$list" |
		rsync -rcE --files-from=- "$FK_REPO/" "$src/"
	# Overlay files that disappeared from the repo: back to pristine or gone.
	if [ -f "$manifest" ]; then
		old=$(comm -23 "$manifest" <(printf '%s\n' "$list"))
		for f in $old; do
			if [ -f "$pristine/$f" ]; then cp "$pristine/$f" "$src/$f"
			else rm -f "$src/$f"; fi
			fk_log "overlay file gone from repo: $f"
		done
	fi
	printf '%s\n' "$list" > "$manifest"

	if [ "$reset" = 1 ] && ! fk_is_stock "$flavour"; then
		for p in $(fk_patches); do
			fk_log "applying $(basename "$p")"
			patch -d "$src" -p1 --forward --no-backup-if-mismatch \
				--reject-file=- -s < "$p" ||
				fk_die "patch $(basename "$p") does not apply to $(fk_base_version "$src")"
		done
	fi
	if ! fk_is_stock "$flavour"; then
		# Upstream's fanotify must never compile: drop what the repo lacks.
		( cd "$src" && find fs/notify/fanotify -type f ) | sort |
		while read -r f; do
			[ -f "$FK_REPO/$f" ] || { rm -f "$src/$f"; fk_log "removed upstream $f"; }
		done
	fi
	echo "$key" > "$stampf"
}
