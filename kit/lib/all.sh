# kit/lib/all.sh - source every kit library.
set -euo pipefail
for _f in common source config build tests boot tap logcheck suite; do
	. "$(dirname "${BASH_SOURCE[0]}")/$_f.sh"
done
unset _f
