#!/bin/bash
# config-verify.sh CONFIG FRAGMENT...: fail naming every symbol the
# fragments ask for (the last one that names it wins) that the final
# .config does not have as asked.

. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: config-verify.sh .config fragment..."
config=$1
shift
[ -r "$config" ] || die "no config file $config"

# defined NAME: does any Kconfig file of the tree define NAME?
defined() {
	git -C "$TREE" grep -qE "^[[:space:]]*(menu)?config $1\$" -- '*Kconfig*'
}

# What each symbol is asked to be; a later fragment overrides an earlier
# one, as merge_config.sh does.
declare -A want from
order=()
for fragment in "$@"; do
	[ -r "$fragment" ] || die "no config fragment $fragment"
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}
			value=${line#*=}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			value=n
			;;
		*) continue ;;
		esac
		[ -n "${want[$sym]+set}" ] || order+=("$sym")
		want[$sym]=$value
		from[$sym]=$(basename "$fragment")
	done <"$fragment"
done

# What the .config has, read once: a symbol it does not set is n. (A grep
# per symbol costs seconds, in every prefix make bisect builds.)
declare -A have
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) have[${line%%=*}]=${line#*=} ;;
	esac
done <"$config"

dropped=()
for sym in "${order[@]}"; do
	got=${have[$sym]:-n}
	[ "$got" = "${want[$sym]}" ] && continue
	# Building an older prefix of the series (bisect-build.sh), a
	# symbol a later patch adds is not an error there.
	if [ "${ALLOW_NEW_SYMBOLS:-0}" = 1 ] && ! defined "${sym#CONFIG_}"; then
		note "$sym is not defined in this tree yet; not checked"
		continue
	fi
	dropped+=("$sym: asked ${want[$sym]}, got $got (${from[$sym]})")
done

if [ ${#dropped[@]} -gt 0 ]; then
	die "Kconfig dropped ${#dropped[@]} requested symbol(s) from $config" \
		"${dropped[@]}" \
		"a dependency is missing: add it to the fragment (see 'depends on' in the symbol's Kconfig)"
fi
