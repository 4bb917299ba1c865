#!/bin/bash
# send.sh: turn series/ into the mails the human sender sends, and send
# them only when SEND=1. Every step must pass or nothing is sent:
#  1. the sender's identity comes from git config (user.name, user.email)
#     and must not be missing or a placeholder;
#  2. each patch gets the sender as From: and the sender's Signed-off-by
#     after the Assisted-by tag (Documentation/process/coding-assistants.rst:
#     the human certifies the DCO, the tool never does);
#  3. To: and Cc: per patch from scripts/get_maintainer.pl with b4's
#     defaults (maintainers To, lists Cc); the cover letter gets them all;
#  4. checkpatch.pl --strict on exactly these mails: nothing may be reported;
#  5. git send-email --dry-run (or a real send with SEND=1), log kept.
# The mails are left in $WORK/send.

. "$(dirname "$0")/lib.sh"

need_tool git perl
[ -x "$(git --exec-path)/git-send-email" ] ||
	die "git send-email is missing" "install Debian's git-email (make deps)"
[ -x "$TREE/scripts/get_maintainer.pl" ] || die "no work tree at $TREE" "run 'make tree' first"
ls "$SERIES"/0000-cover-letter.patch >/dev/null 2>&1 || die "no cover letter in $SERIES"

# 1. Who sends.
name=$(git -C "$TOP" config user.name || true)
email=$(git -C "$TOP" config user.email || true)
[ -n "$name" ] && [ -n "$email" ] ||
	die "no sender identity in git config" \
		"git config --global user.name 'Your Name'; git config --global user.email you@example.org"
shopt -s nocasematch
if [[ "$name $email" == *placeholder* || "$email" == *.invalid || "$email" != *@*.* ||
	"$email" == *@localhost* || "$email" == replace-me@* ]]; then
	die "the sender identity '$name <$email>' looks like a placeholder" \
		"set your own name and address with git config user.name / user.email"
fi
shopt -u nocasematch
sender="$name <$email>"

out=$WORK/send
rm -rf "$out"
mkdir -p "$out"

# b4's default commands for To (maintainers, no lists) and Cc (lists only).
getmaint() {
	(cd "$TREE" && perl scripts/get_maintainer.pl --nogit --nogit-fallback \
		--nogit-chief-penguins --norolestats "$@")
}

# header NAME ADDRESSES: one mail header, addresses comma separated.
header() {
	[ -n "$2" ] && printf '%s: %s\n' "$1" "$(paste -sd, <<<"$2" | sed 's/,/, /g')"
}

# rewrite IN OUT TO CC [SIGNOFF]: IN as the sender's mail to TO and CC; the
# placeholder author of the cover letter's shortlog becomes the sender, and
# SIGNOFF, if given, follows the first Assisted-by tag.
rewrite() {
	awk -v from="From: $sender" -v to="$(header To "$3")" -v cc="$(header Cc "$4")" \
	    -v sob="${5:-}" -v placeholder="$PLACEHOLDER_NAME" -v name="$name" '
		!hdr && /^From: / { print from; next }
		!hdr && /^Subject: / { if (to != "") print to; if (cc != "") print cc }
		!hdr && /^$/ { hdr = 1 }
		index($0, placeholder " (") == 1 && /\([0-9]+\):$/ {
			$0 = name substr($0, length(placeholder) + 1)
		}
		/^Assisted-by: / && sob != "" { print; if (!signed++) print sob; next }
		{ print }' "$1" >"$2"
}

# 2. and 3. for every patch: identity, sign-off, recipients.
all_to=""
all_cc=""
for patch in "$SERIES"/[0-9][0-9][0-9][0-9]-*.patch; do
	base=$(basename "$patch")
	[[ "$base" == 0000-* ]] && continue
	to=$(getmaint --nol "$patch") || die "get_maintainer.pl failed on $base"
	cc=$(getmaint --nom --nor "$patch") || die "get_maintainer.pl failed on $base"
	all_to+=$to$'\n' all_cc+=$cc$'\n'
	grep -q '^Assisted-by: ' "$patch" || die "$base has no Assisted-by tag" "run make check-patches"
	rewrite "$patch" "$out/$base" "$to" "$cc" "Signed-off-by: $sender"
done

# The cover letter goes to everyone any patch goes to.
cover_to=$(sort -u <<<"$all_to" | sed '/^$/d')
cover_cc=$(sort -u <<<"$all_cc" | sed '/^$/d' | grep -vxF -f <(echo "$cover_to") || true)
rewrite "$SERIES/0000-cover-letter.patch" "$out/0000-cover-letter.patch" "$cover_to" "$cover_cc"

# A tree with history names the exact base commit, as format-patch --base.
if tree_has_history; then
	printf '\nbase-commit: %s\n' "$(tgit rev-parse base)" >>"$out/0000-cover-letter.patch"
fi

if grep -l -i -E 'placeholder|zdfolio\.invalid' "$out"/*.patch; then
	die "a placeholder identity is left in the mails above"
fi

# 4. checkpatch on exactly what would be sent, with nothing ignored but
# what a tree without history cannot check (check-patches.sh checks cited
# commits against kernel/upstream-commits then).
ignore=()
if ! tree_has_history; then
	"$TOP/scripts/check-patches.sh" >/dev/null || die "the stored patches break the rules" \
		"run make check-patches"
	ignore=(--ignore UNKNOWN_COMMIT_ID)
	note "the tree has no history: cited commits were checked against kernel/upstream-commits"
fi
bad=0
for mail in "$out"/[0-9][0-9][0-9][0-9]-*.patch; do
	[[ "$(basename "$mail")" == 0000-* ]] && continue
	if ! report=$(checkpatch --strict --quiet "${ignore[@]}" "$mail" 2>&1) ||
		[ -n "$report" ]; then
		printf '%s:\n%s\n' "$(basename "$mail")" "$report"
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ] || die "checkpatch --strict reports problems in $bad mails; nothing sent"
note "checkpatch --strict: the $(($(ls "$out" | wc -l) - 1)) patch mails are clean"

# 5. Send, or show what would be sent.
mode=--dry-run
[ "${SEND:-0}" = 1 ] && mode=
# The patches answer the cover letter; recipients are the To:/Cc: headers
# above only (no addresses picked from tags such as Assisted-by:).
git -C "$TREE" send-email $mode --confirm=never --thread --no-chain-reply-to \
	--suppress-cc=misc-by --suppress-cc=bodycc --suppress-cc=self \
	--from="$sender" "$out"/*.patch >"$out/send-email.log" 2>&1 ||
	die "git send-email failed" "log: $out/send-email.log"
if [ -n "$mode" ]; then
	note "dry run: $(grep -c '^Dry-OK' "$out/send-email.log") mails ready in $out;" \
		"nothing was sent (SEND=1 sends them)"
else
	note "sent $(ls "$out"/*.patch | wc -l) mails; log: $out/send-email.log"
fi
