#!/bin/bash
# scripts/check-patches.sh on made-up patches, with a stand-in checkpatch.pl
# (the real one runs on series/ in make check).
. "$(dirname "$0")/lib.sh"

export WORK=$TMP/work SERIES=$TMP/series
tree=$WORK/linux
mkdir -p "$tree/scripts" "$SERIES"
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

# patch NAME BODY: a patch file whose commit message is BODY, from $FROM
# (the placeholder unless set).
patch() {
	printf 'From 0 Mon Sep 17 00:00:00 2001\nFrom: %s\nSubject: [PATCH] x\n\n%s\n---\n mm/x.c | 1 +\n' \
		"${FROM:-UNSENT PLACEHOLDER <replace-me@zdfolio.invalid>}" "$2" >"$SERIES/$1.patch"
}
run() { "$TOP/scripts/check-patches.sh"; }

patch 0001-good "Since commit 12b2285bf3d1 (\"mm/zone_device: reinitialize large zone
device private folios\"), it scrubs.

Assisted-by: Claude"
check "a clean patch citing a known commit passes" 0 "^ok +0001-good" run

patch 0002-sob "Fine.

Assisted-by: Claude
Signed-off-by: Some One <someone@example.invalid>"
check "a stored Signed-off-by fails" nonzero "carries a Signed-off-by" run
rm "$SERIES/0002-sob.patch"

patch 0002-noab "No tag."
check "a patch without Assisted-by fails" nonzero "has no Assisted-by tag" run
rm "$SERIES/0002-noab.patch"

patch 0002-cite "Since commit 0123456789ab (\"mm: something else\").

Assisted-by: Claude"
check "a cited commit missing from kernel/upstream-commits fails" nonzero \
	"cites commit 0123456789ab \(\"mm: something else\"\)" run
patch 0002-cite "Since commit 12b2285bf3d1 (\"mm/zone_device: a wrong subject\").

Assisted-by: Claude"
check "a known id with the wrong subject fails" nonzero "cites commit 12b2285bf3d1" run
rm "$SERIES/0002-cite.patch"

# git format-patch folds a long From: line, as it did for the commit git
# gave the machine's own identity.
FROM="Seed 6a1da6ea maintainers
 <maintainers@users.noreply.example>" patch 0002-author "Fine.

Assisted-by: Claude"
check "a patch from anyone but the placeholder fails" nonzero \
	"is from <maintainers@users.noreply.example>, not the placeholder" run
rm "$SERIES/0002-author.patch"

patch 0002-style "BAD STYLE

Assisted-by: Claude"
check "what checkpatch reports fails the patch" nonzero "checkpatch --strict: ERROR: bad style" run
done_testing
