#!/bin/bash
# check-refs.sh: the patch numbers ("N/M") that README.md and the cover
# letter give are those of series/. README's patch table has one row per
# patch, 1/M to M/M in order; every other N/M in README and in the cover
# letter names a patch of the series, M its size. README's Speed section
# is left out: it records runs of earlier, shorter series. A patch added
# or dropped without them leaves a reader looking for the wrong patch.
# README= points at another README (the harness's tests do).

. "$(dirname "$0")/lib.sh"

readme=${README:-$TOP/README.md}
cover=$SERIES/0000-cover-letter.patch
total=$(series_patches | wc -l)
[ "$total" -gt 0 ] || die "no patches in $SERIES"
[ -r "$readme" ] || die "no README at $readme"

# wrong_refs FILE: "FILE:LINE: N/M ..." for each N/M in FILE that is not
# a patch of the series (one not part of a path, a date or a longer
# number), outside a section "## Speed". 0/M is the cover letter itself,
# on a Subject line.
wrong_refs() {
	awk -v total="$total" '/^## / { speed = /^## Speed/ } !speed {
		line = $0
		while (match(line, /(^|[^0-9A-Za-z.\/_-])[0-9]+\/[0-9]+([^0-9A-Za-z\/_]|$)/)) {
			ref = substr(line, RSTART, RLENGTH)
			line = substr(line, RSTART + RLENGTH - 1)
			gsub(/[^0-9\/]/, "", ref)
			split(ref, nm, "/")
			n = nm[1] + 0
			if (nm[2] + 0 == total && n <= total && (n >= 1 || /^Subject:/))
				continue
			printf "%s:%d: %s is no patch of this %d-patch series\n", \
				FILENAME, NR, ref, total
		}
	}' "$1"
}

wrong=$(
	wrong_refs "$readme"
	[ ! -r "$cover" ] || wrong_refs "$cover"
)
bad=$(grep -c . <<<"$wrong" || true)
[ -z "$wrong" ] || echo "$wrong"

# The table's rows, in order.
rows=$(awk '/^\| [0-9]+\/[0-9]+ \|/ { split($2, nm, "/"); print nm[1] }' "$readme" | paste -sd ' ')
want=$(seq -s ' ' 1 "$total")
if [ "$rows" != "$want" ]; then
	echo "$readme: the patch table's rows are ${rows:-none}; this series has $want"
	bad=$((bad + 1))
fi

[ "$bad" -eq 0 ] || die "README or the cover letter: $bad patch numbers that do not fit series/" \
	"renumber them to the $total patches of $SERIES"
note "README and the cover letter name the $total patches of series/ by their numbers"
