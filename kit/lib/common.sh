# kit/lib/common.sh - shared settings, logging and dependency installation.
# Sourced by every kit command; defines FK_* variables and fk_* helpers.

FK_KIT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FK_REPO=$(cd "$FK_KIT/.." && pwd)
FK_CACHE=${FANKIT_CACHE:-$HOME/.cache/fankit}
FK_JOBS=${FANKIT_JOBS:-$(nproc)}
# Kernel builds of every cache on this machine take turns: two at once on
# 2 cores take as long as one after the other, and each slows the other's
# guests.  The lock is per machine, not per cache (see all.sh for that).
FK_BUILD_LOCK=${FANKIT_BUILD_LOCK:-/tmp/fankit-kernel-build.lock}
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
	fk_daemon_pkgs
}

# The real permission listeners the suite runs in the guest (selftests
# fapolicyd_test, clamonacc_test, manpage_example_test; fanotify(7) is in
# "manpages").  Not fatal: a test whose package is missing skips and says so.
# The guest runs them with their own configuration; on the host they must
# never start (fapolicyd with Debian's rules denies every untrusted
# execution), so on a systemd host policy-rc.d holds them back during the
# install and the units are disabled afterwards.
FK_DAEMON_PKGS="fapolicyd clamav-daemon clamdscan manpages manpages-dev"
FK_DAEMON_UNITS="fapolicyd.service clamav-daemon.service clamav-daemon.socket
	clamav-freshclam.service clamav-clamonacc.service"
fk_daemon_pkgs() {
	local p missing=() guard= sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	for p in $FK_DAEMON_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ -d /run/systemd/system ] && [ ! -e /usr/sbin/policy-rc.d ]; then
		guard=/usr/sbin/policy-rc.d
		$sudo sh -c "printf '#!/bin/sh\\nexit 101\\n' > $guard && chmod 755 $guard" ||
			guard=
	fi
	( fk_need_pkgs "${missing[@]}" ) ||
		fk_log "WARNING: ${missing[*]} not installed: their selftests will skip"
	[ -n "$guard" ] && $sudo rm -f "$guard"
	if [ -d /run/systemd/system ]; then
		# shellcheck disable=SC2086
		$sudo systemctl disable --now $FK_DAEMON_UNITS >> "$FK_CACHE/logs/apt.log" 2>&1 || true
	fi
	return 0
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
