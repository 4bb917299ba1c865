#!/bin/bash
# scripts/check-patches.sh on made-up patches of two postings, with a
# stand-in checkpatch.pl (the real one runs on series/ in make check).
. "$(dirname "$0")/lib.sh"

export WORK=$TMP/work SERIES_ROOT=$TMP/series POSTINGS=$TMP/postings
tree=$WORK/linux
mkdir -p "$tree/scripts" "$SERIES_ROOT/1-fix" "$SERIES_ROOT/2-new"
printf '1-fix  private
2-new  private
' >"$POSTINGS"
cat >"$tree/scripts/checkpatch.pl" <<'STUB'
#!/bin/sh
for arg; do last=$arg; done
if grep -q 'BAD STYLE' "$last"; then echo "ERROR: bad style"; exit 1; fi
exit 0
STUB
chmod +x "$tree/scripts/checkpatch.pl"
git -C "$tree" init -q
git -C "$tree" -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m base
git -C "$tree" tag base

# patch NAME BODY: a patch file of the posting 2-new (POSTING= another)
# whose commit message is BODY, from $FROM (the placeholder unless set),
# with the subject prefix $PREFIX (PATCH mm-new unless set).
patch() {
	printf 'From 0 Mon Sep 17 00:00:00 2001\nFrom: %s\nSubject: [%s 1/2] x\n\n%s\n---\n mm/x.c | 1 +\n' \
		"${FROM:-UNSENT PLACEHOLDER <replace-me@zdfolio.invalid>}" "${PREFIX:-PATCH mm-new}" "$2" \
		>"$SERIES_ROOT/${POSTING:-2-new}/$1.patch"
}
new=$SERIES_ROOT/2-new
printf 'Subject: [PATCH 0/1] fix\n' >"$SERIES_ROOT/1-fix/0000-cover-letter.patch"
printf 'Subject: [PATCH mm-new 0/2] new\n' >"$new/0000-cover-letter.patch"
PREFIX=PATCH POSTING=1-fix patch 0001-fix "Fine.

Assisted-by: Claude"
run() { "$TOP/scripts/check-patches.sh"; }

patch 0001-good "Since commit 12b2285bf3d1 (\"mm/zone_device: reinitialize large zone
device private folios\"), it scrubs.

Assisted-by: Claude"
check "a clean patch citing a known commit passes" 0 "^ok +2-new/0001-good.patch$" run
check "... and so does the other posting's, named with its posting" 0 "^ok +1-fix/0001-fix.patch$" run
check "every patch is counted" 0 "2 patches in 2 postings follow the rules" run

patch 0002-sob "Fine.

Assisted-by: Claude
Signed-off-by: Some One <someone@example.invalid>"
check "a stored Signed-off-by fails" nonzero "carries a Signed-off-by" run
rm "$new/0002-sob.patch"

patch 0002-noab "No tag."
check "a patch without Assisted-by fails" nonzero "has no Assisted-by tag" run
rm "$new/0002-noab.patch"

patch 0002-cite "Since commit 0123456789ab (\"mm: something else\").

Assisted-by: Claude"
check "a cited commit missing from kernel/upstream-commits fails" nonzero \
	"cites commit 0123456789ab \(\"mm: something else\"\)" run
patch 0002-cite "Since commit 12b2285bf3d1 (\"mm/zone_device: a wrong subject\").

Assisted-by: Claude"
check "a known id with the wrong subject fails" nonzero "cites commit 12b2285bf3d1" run
rm "$new/0002-cite.patch"

# git format-patch folds a long From: line, as it did for the commit git
# gave the machine's own identity.
FROM="Seed 6a1da6ea maintainers
 <maintainers@users.noreply.example>" patch 0002-author "Fine.

Assisted-by: Claude"
check "a patch from anyone but the placeholder fails" nonzero \
	"is from <maintainers@users.noreply.example>, not the placeholder" run
rm "$new/0002-author.patch"

patch 0002-style "BAD STYLE

Assisted-by: Claude"
check "what checkpatch reports fails the patch" nonzero "checkpatch --strict: ERROR: bad style" run
rm "$new/0002-style.patch"

PREFIX=PATCH patch 0002-prefix "Fine.

Assisted-by: Claude"
check "a subject prefix other than its cover letter's fails" nonzero \
	"has the subject prefix \[PATCH\], its cover letter \[PATCH mm-new\]" run
check "... naming the posting and the patch" nonzero "^FAILED  2-new/0002-prefix.patch$" run
rm "$new/0002-prefix.patch"

rm "$new/0000-cover-letter.patch"
check "a posting without a cover letter fails" nonzero "series/2-new has no cover letter" run
done_testing
