#!/bin/bash
# scripts/send.sh refuses to prepare mails without a real sender identity,
# and puts the sender's From: and Signed-off-by in, one thread per posting
# of two, the second's cover letter naming what it applies on, with
# stand-in get_maintainer.pl and checkpatch.pl (make check dry-runs the
# real series). Versions: v1 without a record; a real send (a stand-in
# sendmail) records what went out; v2 then has its subject, its "Changes
# in v2:", the link to v1 and a range-diff, and per-patch notes below ---.
. "$(dirname "$0")/lib.sh"

export WORK=$TMP/work SERIES_ROOT=$TMP/series POSTINGS=$TMP/postings \
	SENT_RECORD=$TMP/sent.record SENT_ROOT=$TMP/sent \
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
mkdir "$tree/mm"
for f in x y z; do echo a >"$tree/mm/$f.c"; done
git -C "$tree" add mm
git -C "$tree" -c user.name=t -c user.email=t@example.org commit -q -m base
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

# Versions. The tree gets a branch per posting, as make tree makes them.
mail 2-new 0001-z "mm-new 1/1" "Maintainer: New One
Why.

Assisted-by: Claude" mm/z.c
sed -i 's/^Subject: \[PATCH 0\/1\]/Subject: [PATCH mm-new 0\/1]/' "$SERIES_ROOT/2-new/0000-cover-letter.patch"
# stack: the posting branches of series/, made with git am.
stack() {
	local name from=base
	for name in 1-fix 2-new; do
		git -C "$tree" checkout -q -B "$name" "$from"
		git -C "$tree" -c user.name=t -c user.email=t@example.org am -q "$SERIES_ROOT/$name"/000[1-9]-*.patch
		from=$name
	done
}
stack
check "a posting that kernel/sent does not name goes out as v1" 0 "2-new goes out as v1" sender
check "... with a subject without version" 0 "^Subject: \[PATCH mm-new 1/1\] x$" \
	cat "$WORK/send/2-new/0001-z.patch"

# A real send, to a stand-in sendmail that keeps each mail.
mkdir "$TMP/outbox"
cat >"$TMP/sendmail" <<STUB
#!/bin/sh
cat >"$TMP/outbox/\$(ls "$TMP/outbox" | wc -l)"
STUB
chmod +x "$TMP/sendmail"
send_v1() {
	SERIES=2-new SEND=1 GIT_CONFIG_COUNT=3 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="Real Sender" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=real@example.org \
		GIT_CONFIG_KEY_2=sendemail.smtpServer GIT_CONFIG_VALUE_2="$TMP/sendmail" "$TOP/scripts/send.sh"
}
check "SEND=1 sends the posting and says to commit the record" 0 "commit both now" send_v1
check "... its two mails" 0 "^2$" sh -c "ls '$TMP/outbox' | wc -l"
check "... and kernel/sent records v1 with the cover letter's Message-ID" 0 \
	"^2-new 1 [0-9]{4}-[0-9]{2}-[0-9]{2} 20[0-9]{6}-2-new-v1-0-[0-9a-f]{12}@example.org$" cat "$SENT_RECORD"
msgid=$(cut -d ' ' -f 4 "$SENT_RECORD")
check "... the Message-ID the cover letter went out with" 0 "^Message-I[dD]: <$msgid>$" cat "$TMP/outbox/0"
check "... and sent/ holds the postings up to it as they were" 0 "" \
	diff -r -x base-commit "$SERIES_ROOT" "$TMP/sent/2-new/v1"
check "... and the base they went out on" 0 "" \
	test "$(cat "$TMP/sent/2-new/v1/base-commit")" = "$(git -C "$tree" rev-parse base)"
check "a dry run after it, of the posting as it went out, is a dry run of v1 and passes" 0 \
	"2-new is as its v1 went out \([0-9-]+\): a dry run of that version" sender
check "... with v1's subjects" 0 "^Subject: \[PATCH mm-new 1/1\] x$" cat "$WORK/send/2-new/0001-z.patch"
check "... and SEND=1 has nothing new to send" nonzero "2-new is as its v1 went out .*: nothing new to send" send_v1
check "... sending nothing" 0 "^2$" sh -c "ls '$TMP/outbox' | wc -l"

# v2: z changes, and says so below its ---.
mail 2-new 0001-z "mm-new 1/1" "Maintainer: New One
Why, better.

Assisted-by: Claude" mm/z.c
sed -i '0,/^---$/s//---\nv2: z adds a better line\n---/' "$SERIES_ROOT/2-new/0001-z.patch"
stack
check "v2 needs a cover letter that says what changed" nonzero \
	"2-new goes out as v2, and its cover letter has no section 'Changes in v2:'" sender
check "... and the first posting still goes out as v1" nonzero "1-fix goes out as v1" sender
sed -i 's/^Cover of the new.$/&\n\nChanges in v2:\n- z is better/' "$SERIES_ROOT/2-new/0000-cover-letter.patch"
check "with its 'Changes in v2:' it goes out as v2" 0 "2-new goes out as v2 \(v1 went out" sender
check "... the version in its subjects, after the prefix" 0 "^Subject: \[PATCH mm-new v2 1/1\] x$" \
	cat "$WORK/send/2-new/0001-z.patch"
check "... and in its cover letter's" 0 "^Subject: \[PATCH mm-new v2 0/1\] x$" \
	cat "$WORK/send/2-new/0000-cover-letter.patch"
check "... whose changes end with the link to v1" 0 \
	"^Changes in v2:\|- z is better\|- Link to v1: https://lore.kernel.org/r/$msgid\|\|$" \
	sh -c "sed -n '/^Changes in v2:$/,/^$/p' '$WORK/send/2-new/0000-cover-letter.patch' | tr '\n' '|'"
check "... and which has a range-diff against v1" 0 "^Range-diff against v1:$" \
	cat "$WORK/send/2-new/0000-cover-letter.patch"
check "... naming the changed patch" 0 "^1: +[0-9a-f]+ ! 1: +[0-9a-f]+ x$" \
	cat "$WORK/send/2-new/0000-cover-letter.patch"
check "... with the changed line" 0 "^    -    Why\.$" cat "$WORK/send/2-new/0000-cover-letter.patch"
check "the patch mail keeps its notes below ---" 0 "^v2: z adds a better line$" \
	cat "$WORK/send/2-new/0001-z.patch"

cp "$SERIES_ROOT/2-new/0001-z.patch" "$TMP/z.orig"
sed -i 's|^Subject: .*|Subject: =?UTF-8?q?=5BPATCH=20mm-new=201/1=5D=20x?=|' "$SERIES_ROOT/2-new/0001-z.patch"
check "a v2 subject with no ] for the version fails, naming the mail" nonzero \
	"no \"]\" to put v2 before in .*0001-z.patch" sender
cp "$TMP/z.orig" "$SERIES_ROOT/2-new/0001-z.patch"

# kernel/sent as an editor may leave it: CRLF, <> around the Message-ID.
cp "$SENT_RECORD" "$TMP/sent.record.orig"
sed -i -e 's/ \([^ ]*\)$/ <\1>/' -e 's/$/\r/' "$SENT_RECORD"
check "a record line with CR and <> around the Message-ID reads the same" 0 "2-new goes out as v2" sender
check "... and links v1 by the bare Message-ID" 0 "^- Link to v1: https://lore.kernel.org/r/$msgid$" \
	cat "$WORK/send/2-new/0000-cover-letter.patch"
cp "$TMP/sent.record.orig" "$SENT_RECORD"
sed -n 2p "$SENT_RECORD" >>"$SENT_RECORD"
grep -q . "$SENT_RECORD" && tail -n 1 "$SENT_RECORD" >>"$SENT_RECORD"
check "a record that has a version of a posting twice is refused" nonzero "or records a version again" sender
cp "$TMP/sent.record.orig" "$SENT_RECORD"

# v1 as sent/ holds it no longer applies (the base moved on): the cover
# letter goes without a range-diff, and says nothing wrong.
cp -r "$TMP/sent/2-new/v1" "$TMP/v1.orig"
sed -i 's/^ a$/ not what the base has/' "$TMP/sent/2-new/v1/2-new/0001-z.patch"
check "a v1 that does not apply on the base leaves the range-diff out" 0 \
	"v1 of 2-new .* does not apply on the base" sender
check "... and the cover letter has none" nonzero "" grep -q "^Range-diff" "$WORK/send/2-new/0000-cover-letter.patch"
rm -rf "$TMP/sent/2-new/v1" && mv "$TMP/v1.orig" "$TMP/sent/2-new/v1"
git init -q "$TMP/applied"
echo a >"$TMP/applied/z.c" && mkdir "$TMP/applied/mm" && mv "$TMP/applied/z.c" "$TMP/applied/mm/"
git -C "$TMP/applied" add mm
git -C "$TMP/applied" -c user.name=t -c user.email=t@example.org commit -q -m base
git -C "$TMP/applied" -c user.name=t -c user.email=t@example.org am -q "$WORK/send/2-new/0001-z.patch"
check "... which git am leaves out of the commit" nonzero "" \
	sh -c "git -C '$TMP/applied' log -1 --format=%B | grep -e '^---$' -e '^v2:'"
check "... that has the sign-off" 0 "^Signed-off-by: Real Sender <real@example.org>$" \
	git -C "$TMP/applied" log -1 --format=%B

done_testing
