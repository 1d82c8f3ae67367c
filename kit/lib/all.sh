# kit/lib/all.sh - source every kit library.
set -euo pipefail
for _f in common source config build tests boot tap logcheck suite; do
	. "$(dirname "${BASH_SOURCE[0]}")/$_f.sh"
done
unset _f

# One kit command at a time per cache: two builds in one build directory
# corrupt each other, and two guests on 2 cores distort every timing.
# A second command waits for the first (FANKIT_NO_LOCK=1 skips this, for
# a command started by another that already holds the lock).
if [ -z "${FANKIT_NO_LOCK:-}" ]; then
	exec 9>"$FK_CACHE/kit.lock"
	if ! flock -n 9; then
		fk_log "another kit command is using $FK_CACHE; waiting for it"
		flock 9
	fi
	export FANKIT_NO_LOCK=1
fi
