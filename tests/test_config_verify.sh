#!/bin/bash
# scripts/config-verify.sh names every symbol Kconfig dropped.
. "$(dirname "$0")/lib.sh"

printf 'CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_N=12\n' >"$TMP/.config"
printf 'CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_N=12\n' >"$TMP/all.config"
printf 'CONFIG_A=y\nCONFIG_B=y\nCONFIG_D=y\n# CONFIG_N is not set\n' >"$TMP/bad.config"

check "a fragment fully honoured passes" 0 "" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/all.config"
check "a module asked built-in is named" nonzero "CONFIG_B: asked y, got m" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/bad.config"
check "a symbol missing from .config is named" nonzero "CONFIG_D: asked y, got n" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/bad.config"
check "a symbol asked off but set is named" nonzero "CONFIG_N: asked n, got 12" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/bad.config"
check "the count of dropped symbols is given" nonzero "dropped 3 requested" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/bad.config"
# The real VM fragment: every line that asks for a symbol is read. Against a
# .config that sets nothing, each symbol asked set is dropped; against one
# with the values asked but every symbol asked off set, each of those is.
vm=$TOP/kernel/vm.config
asked_set=$(grep -cE '^CONFIG_[A-Za-z0-9_]+=' "$vm")
asked_off=$(grep -cE '^# CONFIG_[A-Za-z0-9_]+ is not set$' "$vm")
echo "# nothing set" >"$TMP/none.config"
sed -nE 's/^# (CONFIG_[A-Za-z0-9_]+) is not set$/\1=y/p; /^CONFIG_/p' "$vm" >"$TMP/every.config"
check "every symbol the real VM fragment asks set is checked ($asked_set)" nonzero \
	"dropped $asked_set requested symbol" "$TOP/scripts/config-verify.sh" "$TMP/none.config" "$vm"
check "... and every symbol it asks off ($asked_off)" nonzero \
	"dropped $asked_off requested symbol" "$TOP/scripts/config-verify.sh" "$TMP/every.config" "$vm"
check "... both kinds are there to check" 0 "" test "$asked_set" -gt 0 -a "$asked_off" -gt 0
printf '# CONFIG_B is not set\nCONFIG_N=12\n' >"$TMP/over.config"
check "a later fragment overrides an earlier one" nonzero "CONFIG_B: asked n, got m \(over\.config\)" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/bad.config" "$TMP/over.config"
printf 'CONFIG_B=m\n# CONFIG_D is not set\nCONFIG_N=12\n' >"$TMP/fix.config"
check "an overridden ask is not checked" 0 "" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/bad.config" "$TMP/fix.config"
# A made-up tree whose Kconfig defines CONFIG_D but not CONFIG_LATER.
export TREE=$TMP/tree
mkdir -p "$TREE"
printf 'config D\n\tbool "d"\n' >"$TREE/Kconfig"
git -C "$TREE" init -q && git -C "$TREE" add Kconfig
printf 'CONFIG_A=y\nCONFIG_LATER=y\n' >"$TMP/later.config"
printf 'CONFIG_A=y\nCONFIG_D=y\n' >"$TMP/d.config"
check "a symbol no Kconfig defines yet is an error by default" nonzero "CONFIG_LATER: asked y, got n" \
	"$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/later.config"
check "bisect builds skip symbols a later patch adds, with a note" 0 "CONFIG_LATER is not defined in this tree yet" \
	env ALLOW_NEW_SYMBOLS=1 "$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/later.config"
check "but still fail on a defined symbol that was dropped" nonzero "CONFIG_D: asked y, got n" \
	env ALLOW_NEW_SYMBOLS=1 "$TOP/scripts/config-verify.sh" "$TMP/.config" "$TMP/d.config"
done_testing
