# kit/lib/common.sh - shared settings, logging and dependency installation.
# Sourced by every kit command; defines FK_* variables and fk_* helpers.

FK_KIT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FK_REPO=$(cd "$FK_KIT/.." && pwd)
FK_CACHE=${FANKIT_CACHE:-$HOME/.cache/fankit}
FK_JOBS=${FANKIT_JOBS:-$(nproc)}
FK_ARCH=x86_64
FK_PKG=linux-source-6.12
FK_TARBALL=/usr/src/$FK_PKG.tar.xz
export CCACHE_DIR=${CCACHE_DIR:-$FK_CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export LC_ALL=C

mkdir -p "$FK_CACHE/logs"

fk_log() { printf 'kit: %s\n' "$*" >&2; }
fk_die() { printf 'kit: ERROR: %s\n' "$*" >&2; exit 1; }
fk_now() { date +%s; }
fk_stamp() { date +%Y%m%d-%H%M%S; }

# fk_time LABEL CMD... - run CMD, report wall time.
fk_time() {
	local label=$1 t0 rc=0; shift
	t0=$(fk_now)
	"$@" || rc=$?
	fk_log "$label: $(( $(fk_now) - t0 ))s (rc=$rc)"
	return "$rc"
}

# Install missing Debian packages (apt-get update at most once per run).
fk_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	fk_log "installing missing packages: ${missing[*]}"
	local sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
	if [ -z "${FK_APT_UPDATED:-}" ]; then
		$sudo apt-get update -qq >> "$FK_CACHE/logs/apt.log" 2>&1 ||
			fk_log "apt-get update failed; trying anyway"
		FK_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >> "$FK_CACHE/logs/apt.log" 2>&1 ||
		fk_die "could not install: ${missing[*]} (see $FK_CACHE/logs/apt.log)"
}

fk_deps() {
	fk_need_pkgs "$FK_PKG" qemu-system-x86 ccache flex bison bc libelf-dev \
		libssl-dev cpio rsync xz-utils e2fsprogs gcc make libc6-dev \
		libcap-dev patch diffutils coreutils fatrace stress-ng
}

# Base version: Makefile VERSION.PATCHLEVEL.SUBLEVEL + Debian package version.
fk_base_version() {
	local mk=$1/Makefile v p s
	v=$(sed -n 's/^VERSION = //p' "$mk" | head -1)
	p=$(sed -n 's/^PATCHLEVEL = //p' "$mk" | head -1)
	s=$(sed -n 's/^SUBLEVEL = //p' "$mk" | head -1)
	printf 'Linux %s.%s.%s (Debian %s %s)\n' "$v" "$p" "$s" "$FK_PKG" \
		"$(dpkg-query -W -f='${Version}' "$FK_PKG" 2>/dev/null || echo unknown)"
}

# Does the repo carry our own fanotify implementation yet?
fk_have_ours() { [ -f "$FK_REPO/fs/notify/fanotify/Makefile" ]; }
fk_have_selftests() { [ -f "$FK_REPO/tools/testing/selftests/fanotify/Makefile" ]; }

# Per-flavour paths.
# stock and stockprof (stock + kit/config/prof.config, for kit/profile)
# build upstream's fanotify; every other flavour builds ours.
fk_is_stock() { case $1 in stock|stockprof) return 0 ;; *) return 1 ;; esac; }
fk_src() { if fk_is_stock "$1"; then echo "$FK_CACHE/src-stock"; else echo "$FK_CACHE/src-ours"; fi; }
fk_obj() { echo "$FK_CACHE/build-$1"; }
fk_hdr() { echo "$FK_CACHE/hdr-$1"; }
fk_tests() { echo "$FK_CACHE/tests-$1"; }
