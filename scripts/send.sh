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
# Each posting goes out as the version after the last that kernel/sent
# records (v1 when none). From v2 on its subjects say so ([PATCH mm-new
# v2 1/3]), as git format-patch -v and b4 write them, and its cover letter
# must have a section "Changes in vN:", which gets the link to the version
# before, and a range-diff against that version as sent/FOLDER/vN-1 holds
# it. A real send appends its line to kernel/sent and stores the postings
# up to it in sent/FOLDER/vN, both to be committed.
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

# What was sent: a line "FOLDER N DATE COVER-MESSAGE-ID" per version, and
# the postings it went out with in sent/FOLDER/vN/. The harness's tests
# point both at their own.
SENT_RECORD=${SENT_RECORD:-$TOP/kernel/sent}
SENT_ROOT=${SENT_ROOT:-$TOP/sent}
LORE=https://lore.kernel.org/r

# last_sent POSTING: "N DATE MESSAGE-ID" of the last version of POSTING
# that kernel/sent records, nothing when none; fails printing the number
# of a line that is not "FOLDER N YYYY-MM-DD MESSAGE-ID", or that records
# a version of a posting again. A CR at the end of a line, and <> around
# the Message-ID, are not part of it.
last_sent() {
	[ -e "$SENT_RECORD" ] || return 0
	awk -v name="$1" '
		{ sub(/\r$/, "") }
		/^[[:space:]]*(#|$)/ { next }
		NF != 4 || $2 !~ /^[1-9][0-9]*$/ ||
		    $3 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ ||
		    seen[$1 " " $2 + 0]++ { print NR; bad = 1; exit }
		$1 == name && $2 + 0 > n {
			n = $2 + 0
			id = $4
			gsub(/^<|>$/, "", id)
			last = n " " $3 " " id
		}
		END { if (bad) exit 1; if (last != "") print last }' "$SENT_RECORD"
}

# next_version POSTING: version[POSTING], the version this send is (the
# last recorded + 1), and for v2 on prev_date[] and prev_id[], when the
# version before went out and its cover letter's Message-ID.
declare -A version prev_date prev_id cover_id unchanged
next_version() {
	local last n
	last=$(last_sent "$1") ||
		die "line $last of $(shown "$SENT_RECORD") is not 'FOLDER N YYYY-MM-DD COVER-MESSAGE-ID', or records a version again" \
			"fix it from the workshop's git history (git log -p $(shown "$SENT_RECORD"))"
	read -r n "prev_date[$1]" "prev_id[$1]" <<<"$last"
	version[$1]=$((${n:-0} + 1))
	# A posting that is still as its last version went out is that
	# version again: a dry run shows it, a real send has nothing new.
	if [ -n "$n" ] && diff -rq "$SERIES_ROOT/$1" "$SENT_ROOT/$1/v$n/$1" >/dev/null 2>&1; then
		unchanged[$1]=$n
		version[$1]=$n
	fi
}

# need_changes POSTING: a second or later version says in its cover
# letter what changed.
need_changes() {
	local n=${version[$1]}
	[ "$n" -ge 2 ] && [ -z "${unchanged[$1]:-}" ] || return 0
	grep -qx "Changes in v$n:" "$SERIES_ROOT/$1/0000-cover-letter.patch" ||
		die "$1 goes out as v$n, and its cover letter has no section 'Changes in v$n:'" \
			"write it in the branch description (git -C $TREE branch --edit-description $1): a line 'Changes in v$n:' and what changed since v$((n - 1)); then make export" \
			"what changed in one patch goes in its commit message, after a line '---'"
}

# b4's default options for To (maintainers, no lists) and Cc (lists only).
b4_getmaint() {
	getmaint --no-git-chief-penguins --no-rolestats "$@"
}

# header NAME ADDRESSES: one mail header, addresses comma separated.
header() {
	[ -n "$2" ] && printf '%s: %s\n' "$1" "$(paste -sd, <<<"$2" | sed 's/,/, /g')"
}

# rewrite IN OUT TO CC VERSION MSGID [SIGNOFF]: IN as the sender's mail to
# TO and CC, its subject of the version VERSION ("[PATCH mm-new v2 1/3]"
# from 2 on), with the Message-ID MSGID if given; the placeholder author
# of the cover letter's shortlog becomes the sender, and SIGNOFF, if
# given, follows the first Assisted-by tag. A subject of a version from 2
# on with no "]" to put the version before fails.
rewrite() {
	awk -v from="From: $sender" -v to="$(header To "$3")" -v cc="$(header Cc "$4")" \
	    -v version="$5" -v msgid="$6" -v sob="${7:-}" \
	    -v placeholder="$PLACEHOLDER_NAME" -v name="$name" '
		!hdr && /^From: / { print from; next }
		!hdr && /^Subject: / {
			if (to != "") print to
			if (cc != "") print cc
			if (msgid != "") print "Message-ID: <" msgid ">"
			if (version > 1 && !sub(/ [0-9]+\/[0-9]+\]/, " v" version "&") &&
			    !sub(/\]/, " v" version "]")) {
				print "no \"]\" to put v" version " before in " FILENAME ": " $0 >"/dev/stderr"
				exit 1
			}
		}
		!hdr && /^$/ { hdr = 1 }
		index($0, placeholder " (") == 1 && /\([0-9]+\):$/ {
			$0 = name substr($0, length(placeholder) + 1)
		}
		/^Assisted-by: / && sob != "" { print; if (!signed++) print sob; next }
		{ print }' "$1" >"$2" ||
		die "cannot write the v$5 mail of $1" "give its subject a [PATCH ...] prefix"
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

# message_id POSTING: a new Message-ID for the cover letter of POSTING, as
# b4 makes them, in the sender's domain.
message_id() {
	printf '%s-%s-v%s-0-%s@%s\n' "$(date -u +%Y%m%d)" "$1" "${version[$1]}" \
		"$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" "${email#*@}"
}

# link_previous COVER POSTING: end the section "Changes in vN:" of the
# cover letter COVER with the link to the version before, as b4 does.
link_previous() {
	local n=${version[$2]}
	awk -v head="Changes in v$n:" -v link="- Link to v$((n - 1)): $LORE/${prev_id[$2]}" '
		$0 == head { section = 1 }
		section && !NF { print link; section = 0 }
		{ print }
		END { if (section) print link }' "$1" >"$1.new"
	mv "$1.new" "$1"
}

# previous_stack POSTING N: rebuild vN of POSTING as sent/POSTING/vN holds
# it, the postings up to it applied with git am on the base they went out
# on (the tree's base when the tree lacks it) in the worktree
# $WORK/build/send-previous, their notes below "---" restored; print
# "FROM TO": POSTING's commits there are FROM..TO.
previous_stack() {
	local snap=$SENT_ROOT/$1/v$2 base dir folder from patches
	[ -d "$snap/$1" ] ||
		die "$(shown "$SENT_RECORD") records v$2 of $1, but $(shown "$snap/$1") is missing" \
			"it is committed with the record: restore it from the workshop's git history"
	base=$(cat "$snap/base-commit" 2>/dev/null || true)
	tgit rev-parse -q --verify "${base:-base}^{commit}" >/dev/null || base=base
	dir=$(worktree send-previous "$base") || exit 1
	git -C "$dir" am --abort >/dev/null 2>&1 || true # a run killed halfway
	for folder in "$snap"/[1-9]-*/; do
		folder=$(basename "$folder")
		mapfile -t patches < <(SERIES_ROOT=$snap posting_patches "$folder")
		from=$(git -C "$dir" rev-parse HEAD)
		if ! git -C "$dir" -c user.name="$PLACEHOLDER_NAME" -c user.email="$PLACEHOLDER_EMAIL" \
			am -q --keep-cr "${patches[@]}" >"$send/$1/previous-am.log" 2>&1; then
			git -C "$dir" am --abort >/dev/null 2>&1 || true
			note "v$2 of $1 ($(shown "$snap")) does not apply on the base $base:" \
				"its cover letter goes without a range-diff (log: $send/$1/previous-am.log)"
			return 2
		fi
		restore_notes "$dir" "$from" "${patches[@]}" || exit 1
		[ "$folder" != "$1" ] || break
	done
	echo "$from $(git -C "$dir" rev-parse HEAD)"
}

# range_diff POSTING N: what git format-patch --range-diff adds to a cover
# letter, against vN of POSTING: git range-diff of its commits then
# (previous_stack) and now (its branch in the tree), the placeholder
# author made the sender as in the mails. Returns 2 when vN does not apply
# on the base it went out on, which the tree may no longer have (a newer
# stable base): previous_stack said so, and there is no range-diff.
range_diff() {
	local old new ranges diff rc=0
	old=$(previous_stack "$1" "$2") || rc=$?
	[ "$rc" -ne 2 ] || return 2
	[ "$rc" -eq 0 ] || exit 1
	ranges=$(posting_ranges) || exit 1
	new=$(awk -v name="$1" '$1 == name { print $2, $3 }' <<<"$ranges")
	diff=$(tgit range-diff --no-color "${old/ /..}" "${new/ /..}") ||
		die "git range-diff of $1 against its v$2 failed" \
			"its commits then: ${old/ /..} in $WORK/build/send-previous; now: ${new/ /..}"
	printf 'Range-diff against v%s:\n%s\n' "$2" \
		"${diff//"$PLACEHOLDER_NAME <$PLACEHOLDER_EMAIL>"/"$sender"}"
}

# prepare POSTING: 2. and 3., the mails of POSTING in $send/POSTING; from
# v2 on, the cover letter links the version before and ends with a
# range-diff against it.
prepare() {
	local posting=$1 out=$send/$1 patch base to cc all_to="" all_cc="" cover_to cover_cc deps
	local n=${version[$1]} cover=$send/$1/0000-cover-letter.patch diff rc
	mkdir -p "$out"
	mapfile -t patches < <(posting_patches "$posting")
	for patch in "${patches[@]}"; do
		base=$(basename "$patch")
		to=$(b4_getmaint --nol "$patch") || die "get_maintainer.pl failed on $posting/$base"
		cc=$(b4_getmaint --nom --nor "$patch") || die "get_maintainer.pl failed on $posting/$base"
		all_to+=$to$'\n' all_cc+=$cc$'\n'
		grep -q '^Assisted-by: ' "$patch" ||
			die "$posting/$base has no Assisted-by tag" "run make check-patches"
		rewrite "$patch" "$out/$base" "$to" "$cc" "$n" "" "Signed-off-by: $sender"
	done

	# The cover letter goes to everyone any patch of its posting goes to.
	cover_to=$(sort -u <<<"$all_to" | sed '/^$/d')
	cover_cc=$(sort -u <<<"$all_cc" | sed '/^$/d' | grep -vxF -f <(echo "$cover_to") || true)
	cover_id[$posting]=$(message_id "$posting")
	rewrite "$SERIES_ROOT/$posting/0000-cover-letter.patch" "$cover" \
		"$cover_to" "$cover_cc" "$n" "${cover_id[$posting]}"
	if [ "$n" -ge 2 ] && [ -z "${unchanged[$posting]:-}" ]; then
		link_previous "$cover" "$posting"
		rc=0
		diff=$(range_diff "$posting" $((n - 1))) || rc=$?
		case $rc in
		0) printf '%s\n' "$diff" >>"$cover" ;;
		2) ;;
		*) exit 1 ;;
		esac
	fi
	deps=$(dependencies "$posting")
	[ -z "$deps" ] || printf '\n%s\n' "$deps" >>"$cover"
}

# record POSTING: after a real send, the line of the version of POSTING that
# went out in kernel/sent, and the postings up to it, as series/ holds
# them, with the base's commit, in sent/POSTING/vN.
record() {
	local posting=$1 n=${version[$1]} snap=$SENT_ROOT/$1/v${version[$1]} name
	rm -rf "$snap"
	for name in $names; do
		mkdir -p "$snap/$name"
		cp "$SERIES_ROOT/$name"/*.patch "$snap/$name/"
		[ "$name" != "$posting" ] || break
	done
	tgit rev-parse base >"$snap/base-commit"
	# A record whose last line has no newline would glue the new one to it.
	[ ! -s "$SENT_RECORD" ] || [ -z "$(tail -c 1 "$SENT_RECORD")" ] || echo >>"$SENT_RECORD"
	printf '%s %s %s %s\n' "$posting" "$n" "$(date -u +%F)" "${cover_id[$posting]}" >>"$SENT_RECORD"
	note "recorded v$n of $posting in $(shown "$SENT_RECORD") and $(shown "$snap")/;" \
		"commit both now, the next version's link and range-diff need them:" \
		"git -C $TOP add $(shown "$SENT_RECORD") $(shown "$snap") && git -C $TOP commit -m 'sent: $posting v$n'"
}

for posting in $selected; do
	next_version "$posting"
	if [ -n "${unchanged[$posting]:-}" ]; then
		[ "${SEND:-0}" != 1 ] ||
			die "$posting is as its v${unchanged[$posting]} went out (${prev_date[$posting]}): nothing new to send" \
				"change it in the tree and make export first; the dry run shows v${unchanged[$posting]} as it went out"
		note "$posting is as its v${unchanged[$posting]} went out (${prev_date[$posting]}): a dry run of that version"
		continue
	fi
	need_changes "$posting"
	[ "${SEND:-0}" != 1 ] || [ ! -e "$SENT_ROOT/$posting/v${version[$posting]}" ] ||
		die "$(shown "$SENT_ROOT/$posting/v${version[$posting]}") exists, but $(shown "$SENT_RECORD") records no v${version[$posting]} of $posting" \
			"restore the record's line from the workshop's git history (git log -p $(shown "$SENT_RECORD")) before sending"
	if [ "${version[$posting]}" -ge 2 ]; then
		note "$posting goes out as v${version[$posting]} (v$((${version[$posting]} - 1)) went out ${prev_date[$posting]}: $LORE/${prev_id[$posting]})"
	else
		note "$posting goes out as v1 ($(shown "$SENT_RECORD") records none)"
	fi
done
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
	hint="some mails may have gone out (the log says which): if the cover letter did, add its line to $(shown "$SENT_RECORD") by hand: $posting ${version[$posting]} $(date -u +%F) ${cover_id[$posting]}"
	[ -z "$mode" ] || hint="nothing was sent: it was a dry run"
	git -C "$TREE" send-email $mode --confirm=never --thread --no-chain-reply-to \
		--suppress-cc=misc-by --suppress-cc=bodycc --suppress-cc=self \
		--from="$sender" "$out"/*.patch >"$out/send-email.log" 2>&1 ||
		die "git send-email failed on $posting" "log: $out/send-email.log" "$hint"
	if [ -n "$mode" ]; then
		note "dry run: $posting: $(grep -c '^Dry-OK' "$out/send-email.log") mails ready in $out;" \
			"nothing was sent (make send SEND=1 SERIES=$posting sends them)"
	else
		note "sent $posting v${version[$posting]}: $(ls "$out"/*.patch | wc -l) mails; log: $out/send-email.log"
		record "$posting"
	fi
done
