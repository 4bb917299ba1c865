#!/bin/bash
# scripts/check-refs.sh on a made-up three-patch series and README: every
# N/M outside the Speed section and in the cover letter must name one of
# the three, the patch table must list them in order, and paths, dates and
# the cover letter's own subject are no references.
. "$(dirname "$0")/lib.sh"

export SERIES=$TMP/series README=$TMP/README.md
mkdir -p "$SERIES"
for n in 1 2 3; do
	echo "Subject: [PATCH $n/3] patch $n" >"$SERIES/000$n-patch-$n.patch"
done

# readme [PROSE [SPEED [LAYOUT]]]: a README with the three-row table, PROSE
# after it, SPEED in a Speed section and LAYOUT in the section after it;
# cover [BODY]: a cover letter with BODY.
readme() {
	printf '# t\n\n| patch | what |\n| --- | --- |\n'
	printf '| %s/3 | change %s |\n' 1 1 2 2 3 3
	printf '\n%s\n\n## Speed\n\n%s\n\n## Layout\n\n%s\n' "${1:-}" "${2:-}" "${3:-}"
}
cover() {
	printf 'Subject: [PATCH 00/3] a series\n\n%s\n\nUNSENT PLACEHOLDER (3):\n' "${1:-}"
}
check_refs() {
	"$TOP/scripts/check-refs.sh"
}

readme "Patch 2/3 fixes it, 3/3 tests it." "a run of an older series: 9/20" >"$README"
cover "1/3 and 3/3 come first." >"$SERIES/0000-cover-letter.patch"
check "references to the patches, the cover letter's subject and old runs pass" 0 \
	"name the 3 patches of series/" check_refs

readme "On the base patch 1/9 fixes it." >"$README"
check "a reference to a patch of another series size fails, with its line" nonzero \
	"README\.md:9: 1/9 is no patch of this 3-patch series" check_refs

readme "Until 4/3." >"$README"
check "a patch number past the last patch fails" nonzero \
	"README\.md:9: 4/3 is no patch" check_refs

readme "" "since 7/9" "found by 7/9" >"$README"
check "the Speed section ends at the next section" nonzero \
	"README\.md:17: 7/9 is no patch" check_refs

readme "Paths mm/1/2 and tests/3/4, the date 2026/11/30, and 12/3/4." >"$README"
check "paths, dates and longer numbers are no references" 0 "name the 3 patches" check_refs

readme >"$README"
cover "The test is 0/3; 2/4 fixes it." >"$SERIES/0000-cover-letter.patch"
check "in the cover letter's text, 0/3 fails" nonzero \
	"0000-cover-letter\.patch:3: 0/3 is no patch" check_refs
check "in the cover letter, a number of another series size fails" nonzero \
	"0000-cover-letter\.patch:3: 2/4 is no patch" check_refs
check "both wrong numbers of the cover letter are counted" nonzero \
	": 2 patch numbers that do not fit" check_refs
cover >"$SERIES/0000-cover-letter.patch"

readme | sed '/^| 2\/3 |/d' >"$README"
check "a patch missing from the table fails" nonzero \
	"the patch table's rows are 1 3; this series has 1 2 3" check_refs

readme | sed 's/^| 3\/3 | change 3 |$/| 3\/3 | change 3 |\n| 2\/3 | again |/' >"$README"
check "a row out of order or twice fails" nonzero \
	"rows are 1 2 3 2; this series has 1 2 3" check_refs

rm "$SERIES"/000[1-3]-*.patch
check "no patches at all is an error, not a pass" nonzero "no patches in" check_refs

done_testing
