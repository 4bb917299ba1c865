#!/bin/bash
# config-verify.sh CONFIG FRAGMENT...: fail naming every symbol a fragment
# asks for that the final .config does not have as asked.

. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: config-verify.sh .config fragment..."
config=$1
shift
[ -r "$config" ] || die "no config file $config"

dropped=()
for fragment in "$@"; do
	[ -r "$fragment" ] || die "no config fragment $fragment"
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}
			want=${line#*=}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			want=n
			;;
		*) continue ;;
		esac
		got=$(grep -E "^$sym=|^# $sym is not set" "$config" | head -n 1 || true)
		case "$got" in
		"$sym="*) got=${got#*=} ;;
		*) got=n ;;
		esac
		if [ "$got" != "$want" ]; then
			dropped+=("$sym: asked $want, got $got ($(basename "$fragment"))")
		fi
	done <"$fragment"
done

if [ ${#dropped[@]} -gt 0 ]; then
	die "Kconfig dropped ${#dropped[@]} requested symbol(s) from $config" \
		"${dropped[@]}" \
		"a dependency is missing: add it to the fragment (see 'depends on' in the symbol's Kconfig)"
fi
