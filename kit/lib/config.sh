# kit/lib/config.sh - tinyconfig + fragments, and the check that every
# fragment line made it into the final .config.

fk_fragments() {
	echo "$FK_KIT/config/base.config"
	[ "$1" = debug ] && echo "$FK_KIT/config/debug.config"
	case $1 in prof|stockprof) echo "$FK_KIT/config/prof.config" ;; esac
	return 0
}

# Fail unless every setting line of every fragment is in .config verbatim.
fk_config_verify() {
	local cfg=$1 frag line want bad=0; shift
	for frag in "$@"; do
		while IFS= read -r line; do
			case $line in
			CONFIG_*=n) want="# ${line%=n} is not set" ;;
			CONFIG_*=*|"# CONFIG_"*" is not set") want=$line ;;
			*) continue ;;
			esac
			if ! grep -qxF -- "$want" "$cfg"; then
				local name=${want#\# }; name=${name%%[= ]*}
				fk_log "config: '$want' from $(basename "$frag") is missing;" \
					"final .config has: $(grep -E "^(# )?$name[= ]" "$cfg" || echo '(nothing: dependencies off?)')"
				bad=1
			fi
		done < "$frag"
	done
	return $bad
}

fk_configure() {
	local flavour=$1 src obj key frags
	src=$(fk_src "$flavour") obj=$(fk_obj "$flavour")
	mapfile -t frags < <(fk_fragments "$flavour")
	key=$({ cat "${frags[@]}"; echo "$flavour"; cat "$src.stamp"
		find "$src" -path "$src/fs/notify/fanotify/Kconfig" -exec cat {} + ; } |
		sha256sum | cut -d' ' -f1)
	mkdir -p "$obj"
	if [ -f "$obj/.config" ] && [ "$(cat "$obj/.fankit-config" 2>/dev/null)" = "$key" ]; then
		fk_log "config of $flavour unchanged"
		return 0
	fi
	rm -f "$obj/.fankit-config"
	fk_log "configuring $flavour: tinyconfig + ${frags[*]##*/}"
	make -s -C "$src" O="$obj" ARCH=$FK_ARCH tinyconfig >/dev/null
	( cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "${frags[@]}" >/dev/null )
	make -s -C "$src" O="$obj" ARCH=$FK_ARCH olddefconfig >/dev/null
	fk_config_verify "$obj/.config" "${frags[@]}" ||
		fk_die "config fragment lines missing from $obj/.config (see above)"
	fk_log "config of $flavour verified: every fragment line present"
	echo "$key" > "$obj/.fankit-config"
}
