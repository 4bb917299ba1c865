#!/bin/bash
# scripts/check-refs.sh on two made-up postings, 1-fix (3 patches) and
# 2-feature (2 patches), a README and a docs folder: in a posting's
# section (from a heading that names it to the next heading) every N/M is
# a patch of that posting, and README's table lists them in order;
# outside, an N/M needs its posting named on its line; the pages of docs/
# follow the same rules but need no table, and measurements.md and
# struct-page-writes.md are left out; every N/M of a cover letter is a
# patch of its posting; paths, dates and the cover letter's own subject
# are no references.
. "$(dirname "$0")/lib.sh"

export SERIES_ROOT=$TMP/series POSTINGS=$TMP/postings README=$TMP/README.md DOCS=$TMP/docs
mkdir -p "$DOCS"
printf '1-fix      private\n2-feature  private coherent\n' >"$POSTINGS"
mkdir -p "$SERIES_ROOT/1-fix" "$SERIES_ROOT/2-feature"
for n in 1 2 3; do
	echo "Subject: [PATCH $n/3] patch $n" >"$SERIES_ROOT/1-fix/000$n-patch-$n.patch"
done
for n in 1 2; do
	echo "Subject: [PATCH mm-new $n/2] patch $n" >"$SERIES_ROOT/2-feature/000$n-patch-$n.patch"
done

# readme [PROSE [LAYOUT [FEATURE]]]: a README with a section per posting
# and its table, PROSE after the first table (line 11), FEATURE after the
# second (line 20), LAYOUT in a section of no posting after them (line
# 24); cover NAME [BODY]: NAME's cover letter with BODY; page NAME TEXT:
# the page NAME of docs/ (line 1 its title, TEXT from line 3 on).
readme() {
	printf '# t\n\n## The fixes: 1-fix\n\n| patch | what |\n| --- | --- |\n'
	printf '| %s/3 | change %s |\n' 1 1 2 2 3 3
	printf '\n%s\n\n### Sending 2-feature\n\n| patch | what |\n| --- | --- |\n' "${1:-}"
	printf '| %s/2 | feature %s |\n' 1 1 2 2
	printf '\n%s\n\n## Layout\n\n%s\n' "${3:-}" "${2:-}"
}
cover() {
	local size=3
	[ "$1" = 1-fix ] || size=2
	printf 'Subject: [PATCH 0/%s] a series\n\n%s\n\nUNSENT PLACEHOLDER (%s):\n' "$size" "${2:-}" "$size" \
		>"$SERIES_ROOT/$1/0000-cover-letter.patch"
}
page() {
	printf '# A page\n\n%s\n' "$2" >"$DOCS/$1"
}
check_refs() {
	"$TOP/scripts/check-refs.sh"
}

readme "Patch 2/3 fixes it, 3/3 tests it." \
	"1-fix 1/3 and 2-feature 2/2 are named." "Its 1/2 and 2/2." >"$README"
cover 1-fix "1/3 and 3/3 come first."
cover 2-feature "1/2 needs 2/2."
page guide.md "$(printf 'Before 1-fix 3/3.\n\n## The tests of 2-feature\n\nIts 2/2.\n\n## Other\n\n2-feature 1/2.')"
page measurements.md "A run of an older series: 9/20."
page struct-page-writes.md "Lines 787/788 of mm/page_alloc.c."
check "references to the patches, the cover letters' subjects, docs/ and old runs pass" 0 \
	"name the patches of the postings 1-fix 2-feature \(3 2 patches\)" check_refs

readme "On the base patch 1/9 fixes it." >"$README"
check "in a posting's section, a number of another size fails, with its line and posting" nonzero \
	"README\.md:11: 1/9 is no patch of 1-fix \(3 patches\), whose section this is" check_refs

readme "Until 4/3." >"$README"
check "a patch number past the posting's last patch fails" nonzero \
	"README\.md:11: 4/3 is no patch of 1-fix" check_refs

readme "" "" "Its 3/3." >"$README"
check "the numbers of one posting do not fit in the other's section" nonzero \
	"README\.md:20: 3/3 is no patch of 2-feature \(2 patches\), whose section this is" check_refs

readme "" "found by 2/3" >"$README"
check "a heading that names no posting ends the section before it" nonzero \
	"README\.md:24: 2/3 is outside every posting's section, and the line names no posting" check_refs

readme "" "found by 2/3 of 1-fix" >"$README"
check "outside the sections, a line that names the posting may give its number" 0 \
	"name the patches" check_refs

readme "" "found by 2/2 of 1-fix" >"$README"
check "... but a number of another posting fails, naming the one it names" nonzero \
	"README\.md:24: 2/2 is no patch of 1-fix$" check_refs

readme >"$README"
page guide.md "$(printf '## The tests of 2-feature\n\nIts 3/3.')"
check "in a docs/ page, a number that is no patch of its section's posting fails, with its file and line" nonzero \
	"docs/guide\.md:5: 3/3 is no patch of 2-feature \(2 patches\), whose section this is" check_refs
page guide.md "$(printf '## The tests of 2-feature\n\nIts 2/2.\n\n## Other\n\nFound by 1/3.')"
check "... and one outside every section on a line that names no posting" nonzero \
	"docs/guide\.md:9: 1/3 is outside every posting's section, and the line names no posting" check_refs
page guide.md "$(printf 'Before 1-fix 2/2.')"
check "... and one of a posting that its line names, but that is not its" nonzero \
	"docs/guide\.md:3: 2/2 is no patch of 1-fix$" check_refs
rm "$DOCS/guide.md"

readme "Paths mm/1/2 and tests/3/4, the date 2026/11/30, and 12/3/4." >"$README"
check "paths, dates and longer numbers are no references" 0 "name the patches" check_refs

readme >"$README"
cover 2-feature "The test is 0/2; 2/3 fixes it."
check "in a cover letter's text, 0/M fails" nonzero \
	"2-feature/0000-cover-letter\.patch:3: 0/2 is no patch of 2-feature \(2 patches\)" check_refs
check "in a cover letter, a number of another posting fails" nonzero \
	"2-feature/0000-cover-letter\.patch:3: 2/3 is no patch of 2-feature" check_refs
check "both wrong numbers of the cover letter are counted" nonzero \
	": 2 patch numbers that do not fit their postings" check_refs
cover 2-feature

readme | sed '/^| 2\/3 |/d' >"$README"
check "a patch missing from a posting's table fails" nonzero \
	"the patch table of 1-fix has the rows 1 3; the posting has 1 2 3" check_refs

readme | sed 's/^| 2\/2 | feature 2 |$/| 2\/2 | feature 2 |\n| 1\/2 | again |/' >"$README"
check "a row out of order or twice fails" nonzero \
	"the patch table of 2-feature has the rows 1 2 1; the posting has 1 2" check_refs

readme | sed 's/^### Sending 2-feature$/### Sending/' >"$README"
check "a posting without its section fails" nonzero \
	"no section for 2-feature: a heading that names it, with its patch table" check_refs
check "... and its table outside every section does not count as its" nonzero \
	"README\.md:[0-9]+: 1/2 is outside every posting's section" check_refs

readme | sed 's/^### Sending 2-feature$/##### Sending 2-feature/' >"$README"
check "a heading deeper than #### starts no section" nonzero \
	"no section for 2-feature" check_refs

readme | sed 's/^### Sending 2-feature$/### Sending 2-feature and 1-fix/' >"$README"
check "nor one that names two postings" nonzero "no section for 2-feature" check_refs
readme "" "1-fix 2/3 comes before 2-feature 1/2." | sed 's/^## Layout$/## Layout of 1-fix and 2-feature/' >"$README"
check "... whose lines give the numbers of the postings they name" 0 "name the patches" check_refs

readme | sed 's/^### Sending 2-feature$/### Sending 2-featured/' >"$README"
check "a longer name is not the posting's" nonzero "no section for 2-feature" check_refs

readme >"$README"
rm "$SERIES_ROOT"/2-feature/000[1-2]-*.patch
check "a posting without patches is an error, not a pass" nonzero "2-feature has no patches" check_refs

done_testing
