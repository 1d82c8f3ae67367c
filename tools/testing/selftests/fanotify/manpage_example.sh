#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prints the C source of the first example program of the installed fanotify(7) man page
# (Debian package manpages): the .EX/.EE block after ".SS Program source: fanotify_example.c",
# with the roff escapes that page uses turned back into C.  The source is taken from the page
# at build time so that the test runs exactly what the page documents; the repository holds
# none of it.  Exits 1 with a message, and prints nothing, if the page or the block is missing
# or if an escape is left that this script does not know.
#
# Usage: manpage_example.sh [PAGE]   (default /usr/share/man/man7/fanotify.7.gz)

page=${1:-/usr/share/man/man7/fanotify.7.gz}
[ -r "$page" ] || { echo "$0: $page not found (Debian package manpages)" >&2; exit 1; }
case $page in
*.gz) cat="gzip -dc" ;;
*) cat=cat ;;
esac

src=$($cat "$page" | awk '
	/^\.SS Program source: fanotify_example\.c/ { want = 1; next }
	want && /^\.EX/ { inside = 1; next }
	inside && /^\.EE/ { exit }
	inside { print }
')
[ -n "$src" ] || { echo "$0: no fanotify_example.c source in $page" >&2; exit 1; }

# \e is a backslash; park it on a control character while the other escapes are replaced.
src=$(printf '%s\n' "$src" | sed -e 's/\\e/\x01/g' -e 's/\\-/-/g' -e 's/\\\[aq\]/'"'"'/g' \
	-e 's/\\(aq/'"'"'/g' -e 's/\\\[dq\]/"/g' -e 's/\\(dq/"/g' -e 's/\\&//g' \
	-e 's/\\\[rs\]/\x01/g' -e 's/\\(rs/\x01/g' -e 's/\\ / /g')
if printf '%s\n' "$src" | grep -n '\\' >&2; then
	echo "$0: unknown roff escape in $page (lines above)" >&2
	exit 1
fi
printf '%s\n' "$src" | tr '\001' '\\'
