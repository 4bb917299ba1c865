#!/bin/bash
# send.sh: turn the postings of series/ into the mails the human sender
# sends, one thread per posting, and send one only when SEND=1 and
# SERIES=FOLDER names it. Without SERIES every posting is prepared and
# dry-run, each as its own thread (make check does that). Every step must
# pass or nothing is sent:
#  1. the sender's identity comes from git config (user.name, user.email)
#     and must not be missing or a placeholder;
#  2. each patch gets the sender as From: and the sender's Signed-off-by
#     after the Assisted-by tag (Documentation/process/coding-assistants.rst:
#     the human certifies the DCO, the tool never does);
#  3. To: and Cc: per patch from scripts/get_maintainer.pl with b4's
#     defaults (maintainers To, lists Cc); the posting's cover letter gets
#     all of its own patches' and, as git format-patch --base writes them,
#     base-commit: (when the tree has history) and a prerequisite-patch-id:
#     per patch of the postings before it, which it applies on;
#  4. checkpatch.pl --strict on exactly these mails: nothing may be reported;
#  5. git send-email --dry-run (or a real send with SEND=1), log kept.
# The mails of a posting are left in $WORK/send/FOLDER.

. "$(dirname "$0")/lib.sh"

need_tool git perl
[ -x "$(git --exec-path)/git-send-email" ] ||
	die "git send-email is missing" "install Debian's git-email (make deps)"
[ -x "$TREE/scripts/get_maintainer.pl" ] || die "no work tree at $TREE" "run 'make tree' first"
names=$(postings)
[ -n "$names" ] || die "no postings in $(shown "$SERIES_ROOT")"

# Which postings: the one SERIES names, or all of them for a dry run.
if [ -n "${SERIES:-}" ]; then
	grep -qxF "$SERIES" <<<"$names" ||
		die "SERIES=$SERIES names no posting of series/" \
			"name one of: $(paste -sd ' ' <<<"$names")"
	selected=$SERIES
elif [ "${SEND:-0}" = 1 ]; then
	die "SEND=1 sends one posting, and SERIES= names none" \
		"name the posting to send: make send SERIES=$(head -n 1 <<<"$names") (the postings: $(paste -sd ' ' <<<"$names"))"
else
	selected=$names
fi

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

send=$WORK/send
rm -rf "$send"
mkdir -p "$send"

# b4's default options for To (maintainers, no lists) and Cc (lists only).
b4_getmaint() {
	getmaint --no-git-chief-penguins --no-rolestats "$@"
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

# dependencies POSTING: what the cover letter of POSTING says it applies
# on, as git format-patch --base writes it: the base commit when the tree
# has history, then the git patch-id --stable of each patch of the
# postings before it (the stored patches, which make tree keeps equal to
# the tree's commits).
dependencies() {
	local earlier patch id
	if tree_has_history; then
		printf 'base-commit: %s\n' "$(tgit rev-parse base)"
	fi
	for earlier in $names; do
		[ "$earlier" != "$1" ] || break
		while IFS= read -r patch; do
			id=$(git patch-id --stable <"$patch" | cut -d ' ' -f 1)
			[ -z "$id" ] || printf 'prerequisite-patch-id: %s\n' "$id"
		done < <(posting_patches "$earlier")
	done
}

# prepare POSTING: 2. and 3., the mails of POSTING in $send/POSTING.
prepare() {
	local posting=$1 out=$send/$1 patch base to cc all_to="" all_cc="" cover_to cover_cc deps
	mkdir -p "$out"
	mapfile -t patches < <(posting_patches "$posting")
	for patch in "${patches[@]}"; do
		base=$(basename "$patch")
		to=$(b4_getmaint --nol "$patch") || die "get_maintainer.pl failed on $posting/$base"
		cc=$(b4_getmaint --nom --nor "$patch") || die "get_maintainer.pl failed on $posting/$base"
		all_to+=$to$'\n' all_cc+=$cc$'\n'
		grep -q '^Assisted-by: ' "$patch" ||
			die "$posting/$base has no Assisted-by tag" "run make check-patches"
		rewrite "$patch" "$out/$base" "$to" "$cc" "Signed-off-by: $sender"
	done

	# The cover letter goes to everyone any patch of its posting goes to.
	cover_to=$(sort -u <<<"$all_to" | sed '/^$/d')
	cover_cc=$(sort -u <<<"$all_cc" | sed '/^$/d' | grep -vxF -f <(echo "$cover_to") || true)
	rewrite "$SERIES_ROOT/$posting/0000-cover-letter.patch" "$out/0000-cover-letter.patch" \
		"$cover_to" "$cover_cc"
	deps=$(dependencies "$posting")
	[ -z "$deps" ] || printf '\n%s\n' "$deps" >>"$out/0000-cover-letter.patch"
}

for posting in $selected; do
	prepare "$posting"
done

if grep -r -l -i -E 'placeholder|zdfolio\.invalid' "$send" --include='*.patch'; then
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
mails=0
for posting in $selected; do
	for mail in "$send/$posting"/[0-9][0-9][0-9][0-9]-*.patch; do
		[[ "$(basename "$mail")" == 0000-* ]] && continue
		mails=$((mails + 1))
		if ! report=$(checkpatch --strict --quiet "${ignore[@]}" "$mail" 2>&1) ||
			[ -n "$report" ]; then
			printf '%s/%s:\n%s\n' "$posting" "$(basename "$mail")" "$report"
			bad=$((bad + 1))
		fi
	done
done
[ "$bad" -eq 0 ] || die "checkpatch --strict reports problems in $bad mails; nothing sent"
note "checkpatch --strict: the $mails patch mails are clean"

# 5. Send, or show what would be sent: each posting its own thread, the
# patches answering its cover letter; recipients are the To:/Cc: headers
# above only (no addresses picked from tags such as Assisted-by:).
mode=--dry-run
[ "${SEND:-0}" = 1 ] && mode=
for posting in $selected; do
	out=$send/$posting
	git -C "$TREE" send-email $mode --confirm=never --thread --no-chain-reply-to \
		--suppress-cc=misc-by --suppress-cc=bodycc --suppress-cc=self \
		--from="$sender" "$out"/*.patch >"$out/send-email.log" 2>&1 ||
		die "git send-email failed on $posting" "log: $out/send-email.log"
	if [ -n "$mode" ]; then
		note "dry run: $posting: $(grep -c '^Dry-OK' "$out/send-email.log") mails ready in $out;" \
			"nothing was sent (make send SEND=1 SERIES=$posting sends them)"
	else
		note "sent $posting: $(ls "$out"/*.patch | wc -l) mails; log: $out/send-email.log"
	fi
done
