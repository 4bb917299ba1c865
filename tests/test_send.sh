#!/bin/bash
# scripts/send.sh refuses to prepare mails without a real sender identity,
# and puts the sender's From: and Signed-off-by in, with stand-in
# get_maintainer.pl and checkpatch.pl (make check dry-runs the real series).
. "$(dirname "$0")/lib.sh"

export WORK=$TMP/work SERIES=$TMP/series GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
tree=$WORK/linux
mkdir -p "$tree/scripts" "$SERIES"
printf '#!/bin/sh\necho "Some Maintainer <maint@example.org>"\necho "list@example.org"\n' \
	>"$tree/scripts/get_maintainer.pl"
cat >"$tree/scripts/checkpatch.pl" <<'STUB'
#!/bin/sh
for arg; do last=$arg; done
grep -q '^Signed-off-by: Real Sender <real@example.org>$' "$last" || { echo "ERROR: no SoB"; exit 1; }
grep -q 'BAD STYLE' "$last" && { echo "ERROR: bad style"; exit 1; }
exit 0
STUB
chmod +x "$tree/scripts/get_maintainer.pl" "$tree/scripts/checkpatch.pl"
git -C "$tree" init -q
# History before the base, as in a user's own kernel tree.
git -C "$tree" -c user.name=t -c user.email=t@example.org commit -q --allow-empty -m upstream
git -C "$tree" -c user.name=t -c user.email=t@example.org commit -q --allow-empty -m base
git -C "$tree" tag base
git -C "$tree" -c user.name=t -c user.email=t@example.org commit -q --allow-empty -m one

mail() {
	printf 'From 0 Mon Sep 17 00:00:00 2001\nFrom: UNSENT PLACEHOLDER <replace-me@zdfolio.invalid>\nSubject: [PATCH %s] x\n\n%s\n---\n mm/x.c | 1 +\n' \
		"$2" "$3" >"$SERIES/$1.patch"
}
mail 0000-cover-letter 0/1 "Cover.

UNSENT PLACEHOLDER (1):
  x"
mail 0001-x 1/1 "Why.

Assisted-by: Claude"

# as NAME EMAIL: run send.sh with that identity in git config.
as() {
	GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$1" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$2" "$TOP/scripts/send.sh"
}
check "no identity in git config is refused" nonzero "no sender identity in git config" \
	"$TOP/scripts/send.sh"
check "the placeholder identity is refused" nonzero "looks like a placeholder" \
	as "UNSENT PLACEHOLDER" replace-me@zdfolio.invalid
check "an address under .invalid is refused" nonzero "looks like a placeholder" \
	as "Real Sender" real@host.invalid
check "a real identity gets mails ready, sending nothing" 0 "dry run: 2 mails ready" \
	as "Real Sender" real@example.org
check "the patch is from the sender" 0 "^From: Real Sender <real@example.org>$" \
	cat "$WORK/send/0001-x.patch"
check "the sign-off follows Assisted-by" 0 "^Assisted-by: Claude$" \
	grep -A1 '^Assisted-by' "$WORK/send/0001-x.patch"
check "... and is the sender's" 0 "^Signed-off-by: Real Sender <real@example.org>$" \
	grep -A1 '^Assisted-by' "$WORK/send/0001-x.patch"
check "To and Cc come from get_maintainer.pl" 0 "^Cc: .*list@example.org" \
	cat "$WORK/send/0001-x.patch"
check "the cover letter's shortlog names the sender" 0 "^Real Sender \(1\):$" \
	cat "$WORK/send/0000-cover-letter.patch"
check "a tree with history names the base commit" 0 "^base-commit: [0-9a-f]{40}$" \
	cat "$WORK/send/0000-cover-letter.patch"

mail 0001-x 1/1 "Why. BAD STYLE

Assisted-by: Claude"
check "a checkpatch complaint stops everything" nonzero "checkpatch --strict reports problems in 1 mails; nothing sent" \
	as "Real Sender" real@example.org

done_testing
