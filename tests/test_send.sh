#!/bin/bash
# scripts/send.sh refuses to prepare mails without a real sender identity,
# and puts the sender's From: and Signed-off-by in, one thread per posting
# of two, the second's cover letter naming what it applies on, with
# stand-in get_maintainer.pl and checkpatch.pl (make check dry-runs the
# real series).
. "$(dirname "$0")/lib.sh"

export WORK=$TMP/work SERIES_ROOT=$TMP/series POSTINGS=$TMP/postings \
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
unset SERIES SEND
tree=$WORK/linux
mkdir -p "$tree/scripts" "$SERIES_ROOT/1-fix" "$SERIES_ROOT/2-new"
printf '1-fix  private\n2-new  private coherent\n' >"$POSTINGS"
# The maintainer of each patch is in its first line after Subject:.
cat >"$tree/scripts/get_maintainer.pl" <<'STUB'
#!/bin/sh
for arg; do last=$arg; done
echo "$(sed -n 's/^Maintainer: //p' "$last") <maint@example.org>"
echo "list@example.org"
STUB
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

# mail POSTING FILE N/M BODY [FILE]: a mail of POSTING whose change adds
# a line to FILE (none for a cover letter).
mail() {
	printf 'From 0 Mon Sep 17 00:00:00 2001\nFrom: UNSENT PLACEHOLDER <replace-me@zdfolio.invalid>\nSubject: [PATCH %s] x\n\n%s\n---\n' \
		"$3" "$4" >"$SERIES_ROOT/$1/$2.patch"
	[ -z "${5:-}" ] || printf ' %s | 1 +\n\ndiff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n@@ -1 +1,2 @@\n a\n+%s\n' \
		"$5" "$5" "$5" "$5" "$5" "$2" >>"$SERIES_ROOT/$1/$2.patch"
}
mail 1-fix 0000-cover-letter 0/2 "Cover of the fix.

UNSENT PLACEHOLDER (2):
  x"
mail 1-fix 0001-x 1/2 "Maintainer: Fix One
Why.

Assisted-by: Claude" mm/x.c
mail 1-fix 0002-y 2/2 "Maintainer: Fix Two
Why.

Assisted-by: Claude
Assisted-by: Another Tool" mm/y.c
mail 2-new 0000-cover-letter 0/1 "Cover of the new.

UNSENT PLACEHOLDER (1):
  z"
mail 2-new 0001-z 1/1 "Maintainer: New One
Why.

Assisted-by: Claude" mm/z.c

# as NAME EMAIL: run send.sh with that identity in git config.
as() {
	GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$1" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$2" "$TOP/scripts/send.sh"
}
sender() { as "Real Sender" real@example.org; }
check "no identity in git config is refused" nonzero "no sender identity in git config" \
	"$TOP/scripts/send.sh"
check "the placeholder identity is refused" nonzero "looks like a placeholder" \
	as "UNSENT PLACEHOLDER" replace-me@zdfolio.invalid
check "an address under .invalid is refused" nonzero "looks like a placeholder" \
	as "Real Sender" real@host.invalid
check "without SERIES every posting is made ready as its own thread, sending nothing" 0 \
	"dry run: 1-fix: 3 mails ready in $WORK/send/1-fix; nothing was sent" sender
check "... the second one too" 0 "dry run: 2-new: 2 mails ready in $WORK/send/2-new" sender
# thread LOG: "MAILS ROOTS STRAYS" of a send-email log: its mails, those
# that answer none, and the answers to a mail that is not in the log.
thread() {
	awk '/^Message-Id: / { mails++; id[$2] = 1 }
		/^In-Reply-To: / { replies++; if (!($2 in id)) strays++ }
		END { print mails + 0, mails - replies, strays + 0 }' "$1"
}
check "each posting is one thread: its patches answer its cover letter" 0 "^3 1 0$" \
	thread "$WORK/send/1-fix/send-email.log"
check "... the second posting's too, its own" 0 "^2 1 0$" thread "$WORK/send/2-new/send-email.log"
check "the patch is from the sender" 0 "^From: Real Sender <real@example.org>$" \
	cat "$WORK/send/1-fix/0001-x.patch"
# after MAIL: the line after the Assisted-by tag of MAIL.
after() { sed -n '/^Assisted-by: /{n;p;q;}' "$1"; }
check "the sign-off follows Assisted-by, and is the sender's" 0 \
	"^Signed-off-by: Real Sender <real@example.org>$" after "$WORK/send/1-fix/0001-x.patch"
check "with two Assisted-by tags, it follows the first" 0 \
	"^Signed-off-by: Real Sender <real@example.org>$" after "$WORK/send/1-fix/0002-y.patch"
check "... once" 0 "^1$" grep -c '^Signed-off-by: ' "$WORK/send/1-fix/0002-y.patch"
check "To and Cc come from get_maintainer.pl" 0 "^Cc: .*list@example.org" \
	cat "$WORK/send/1-fix/0001-x.patch"
check "a cover letter goes to its own posting's maintainers" 0 \
	"^To: Fix One <maint@example.org>, Fix Two <maint@example.org>, list@example.org$" \
	cat "$WORK/send/1-fix/0000-cover-letter.patch"
check "... and to no other posting's" 0 "^To: New One <maint@example.org>, list@example.org$" \
	cat "$WORK/send/2-new/0000-cover-letter.patch"
check "the cover letter's shortlog names the sender" 0 "^Real Sender \(1\):$" \
	cat "$WORK/send/2-new/0000-cover-letter.patch"
check "a tree with history names the base commit" 0 "^base-commit: [0-9a-f]{40}$" \
	cat "$WORK/send/1-fix/0000-cover-letter.patch"
check "the first posting depends on nothing else" nonzero "" \
	grep -q prerequisite-patch-id "$WORK/send/1-fix/0000-cover-letter.patch"
want=$(for p in "$SERIES_ROOT"/1-fix/000[12]-*.patch; do
	echo "prerequisite-patch-id: $(git patch-id --stable <"$p" | cut -d ' ' -f 1)"
done)
check "the second names each patch of the first by its patch-id, after base-commit" 0 "" \
	diff - <(sed -n '/^base-commit: /,$p' "$WORK/send/2-new/0000-cover-letter.patch" | tail -n +2) <<<"$want"
check "... two patch-ids, not the same twice" 0 "" test "$(sort -u <<<"$want" | wc -l)" = 2

check "SERIES= prepares only that posting" 0 "dry run: 2-new: 2 mails ready" \
	env SERIES=2-new GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="Real Sender" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=real@example.org "$TOP/scripts/send.sh"
check "... and no other" 0 "" test "$(ls "$WORK/send")" = 2-new
check "SERIES= naming no posting is refused" nonzero \
	"SERIES=3-x names no posting of series/" env SERIES=3-x "$TOP/scripts/send.sh"
check "... with the list" nonzero "name one of: 1-fix 2-new$" env SERIES=3-x "$TOP/scripts/send.sh"
check "SEND=1 without SERIES= sends nothing" nonzero \
	"name the posting to send: make send SERIES=1-fix" env SEND=1 "$TOP/scripts/send.sh"

mail 2-new 0001-z 1/1 "Why. BAD STYLE

Assisted-by: Claude" mm/z.c
check "a checkpatch complaint stops everything" nonzero "checkpatch --strict reports problems in 1 mails; nothing sent" \
	sender
check "... naming the posting's mail" nonzero "^2-new/0001-z.patch:$" sender

done_testing
