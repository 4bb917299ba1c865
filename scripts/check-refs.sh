#!/bin/bash
# check-refs.sh: the patch numbers ("N/M") that README.md, the pages of
# docs/ and the cover letters give are those of the postings of series/,
# each numbered on its own.
#  - In a posting's cover letter every N/M is a patch of that posting, M
#    its size (0/M only on the Subject line, the cover letter itself).
#  - In README and in a page of docs/ a heading (# to ####) that names one
#    posting's folder starts that posting's section, and any other heading
#    ends it. In it every N/M is a patch of that posting. Outside every
#    posting's section an N/M needs its posting named on its line.
#  - README's section of each posting holds its patch table, one row per
#    patch, 1/M to M/M in order; every posting has its table.
#  - Two pages of docs/ are left out: measurements.md records runs of
#    earlier series, whose patches were numbered otherwise, and
#    struct-page-writes.md names no patches (its N/M are line numbers and
#    store counts).
# A patch added or dropped without them leaves a reader looking for the
# wrong patch. README= and DOCS= point at another README and docs folder
# (the harness's tests do).

. "$(dirname "$0")/lib.sh"

readme=${README:-$TOP/README.md}
docs=${DOCS:-$TOP/docs}
unchecked_docs="measurements.md struct-page-writes.md"
[ -r "$readme" ] || die "no README at $readme"
names=$(postings)
[ -n "$names" ] || die "no postings in $(shown "$SERIES_ROOT")"
sizes=
for name in $names; do
	sizes+="${sizes:+ }$(posting_patches "$name" | wc -l)"
done
names=$(paste -sd ' ' <<<"$names")

# refs_awk: the awk functions both checks share. refs(line) finds the
# N/M in line that are no part of a path, a date or a longer number, into
# ref[1..count]; fits(name, n, m) says whether N/M is a patch of the
# posting name; named(line) gives the postings line names, space
# separated.
# shellcheck disable=SC2016 # awk's own $
refs_awk='
	BEGIN {
		postings = split(names, name, " ")
		split(sizes, size_of, " ")
		for (i = 1; i <= postings; i++)
			size[name[i]] = size_of[i] + 0
	}
	function refs(line,   r) {
		count = 0
		while (match(line, /(^|[^0-9A-Za-z.\/_-])[0-9]+\/[0-9]+([^0-9A-Za-z\/_]|$)/)) {
			r = substr(line, RSTART, RLENGTH)
			line = substr(line, RSTART + RLENGTH - 1)
			gsub(/[^0-9\/]/, "", r)
			ref[++count] = r
		}
	}
	function fits(posting, n, m) {
		return (posting in size) && m == size[posting] && n <= m && (n >= 1 || /^Subject:/)
	}
	function named(line,   i, at, rest, before, after, out) {
		out = ""
		for (i = 1; i <= postings; i++) {
			rest = line
			while ((at = index(rest, name[i])) > 0) {
				before = at > 1 ? substr(rest, at - 1, 1) : ""
				after = substr(rest, at + length(name[i]), 1)
				if (before !~ /[A-Za-z0-9_-]/ && after !~ /[A-Za-z0-9_-]/) {
					out = out " " name[i]
					break
				}
				rest = substr(rest, at + 1)
			}
		}
		return substr(out, 2)
	}
	function nm(r, which,   parts) {
		split(r, parts, "/")
		return parts[which] + 0
	}
'

# cover_refs NAME: "FILE:LINE: ..." for each N/M in NAME's cover letter
# that is no patch of NAME.
cover_refs() {
	awk -v names="$names" -v sizes="$sizes" -v posting="$1" -v file="$(shown "$SERIES_ROOT/$1/0000-cover-letter.patch")" \
		"$refs_awk"'{
		refs($0)
		for (i = 1; i <= count; i++)
			if (!fits(posting, nm(ref[i], 1), nm(ref[i], 2)))
				printf "%s:%d: %s is no patch of %s (%d patches)\n", \
					file, NR, ref[i], posting, size[posting]
	}' "$SERIES_ROOT/$1/0000-cover-letter.patch"
}

# page_refs FILE [TABLES]: "FILE:LINE: ..." for each N/M of FILE that
# fits no posting as the rules above say; with TABLES (README), "FILE: ..."
# for each posting whose table in its section is not 1/M to M/M.
page_refs() {
	awk -v names="$names" -v sizes="$sizes" -v file="$(shown "$1")" -v tables="${2:-}" "$refs_awk"'
	/^#+ / {
		section = ""
		on = named($0)
		if (match($0, /^#+/) && RLENGTH <= 4 && on != "" && on !~ / /) {
			section = on
			sections[section] = 1
		}
		next
	}
	section != "" && /^\| [0-9]+\/[0-9]+ \|/ {
		rows[section] = rows[section] " " nm($2, 1)
	}
	{
		refs($0)
		for (i = 1; i <= count; i++) {
			n = nm(ref[i], 1)
			m = nm(ref[i], 2)
			if (section != "") {
				if (!fits(section, n, m))
					printf "%s:%d: %s is no patch of %s (%d patches), whose section this is\n", \
						file, NR, ref[i], section, size[section]
				continue
			}
			on = named($0)
			ok = 0
			split(on, here, " ")
			for (j in here)
				ok = ok || fits(here[j], n, m)
			if (ok)
				continue
			if (on == "")
				printf "%s:%d: %s is outside every posting'"'"'s section, and the line names no posting\n", \
					file, NR, ref[i]
			else
				printf "%s:%d: %s is no patch of %s\n", file, NR, ref[i], on
		}
	}
	END {
		if (!tables)
			exit
		for (i = 1; i <= postings; i++) {
			want = ""
			for (n = 1; n <= size[name[i]]; n++)
				want = want " " n
			if (!(name[i] in sections))
				printf "%s: no section for %s: a heading that names it, with its patch table 1/%d to %d/%d\n", \
					file, name[i], size[name[i]], size[name[i]], size[name[i]]
			else if (rows[name[i]] != want)
				printf "%s: the patch table of %s has the rows%s; the posting has%s\n", \
					file, name[i], rows[name[i]] == "" ? " none" : rows[name[i]], want
		}
	}' "$1"
}

wrong=$(
	page_refs "$readme" tables
	for page in "$docs"/*.md; do
		[ -e "$page" ] || continue
		[[ " $unchecked_docs " != *" ${page##*/} "* ]] || continue
		page_refs "$page"
	done
	for name in $names; do
		cover_refs "$name"
	done
)
bad=$(grep -c . <<<"$wrong" || true)
[ -z "$wrong" ] || echo "$wrong"

[ "$bad" -eq 0 ] || die "README, docs/ or the cover letters: $bad patch numbers that do not fit their postings" \
	"renumber them to the patches of their posting in $(shown "$SERIES_ROOT") ($names; $sizes patches)"
note "README, docs/ and the cover letters name the patches of the postings $names ($sizes patches) by their numbers"
