#!/bin/bash
# scripts/kconfig.sh reuses a config only while nothing it is made from
# changed. A made-up tree whose kconfig targets count their runs.
. "$(dirname "$0")/lib.sh"

export TREE=$TMP/tree WORK=$TMP/work
mkdir -p "$TREE/scripts/kconfig" "$TREE/mm"
# A config target fails while $TMP/fail exists.
cat >"$TREE/Makefile" <<'MAKEFILE'
tinyconfig:
	@test ! -e $(O)/../fail
	@echo CONFIG_A=y >$(O)/.config
	@echo made >>$(O)/../runs
olddefconfig:
	@true
MAKEFILE
# merge_config.sh -m -O DIR CONFIG FRAGMENT...
cat >"$TREE/scripts/kconfig/merge_config.sh" <<'MERGE'
#!/bin/sh
config=$4
shift 4
cat "$@" >>"$config"
MERGE
chmod +x "$TREE/scripts/kconfig/merge_config.sh"
printf 'config A\n\tbool "a"\n' >"$TREE/mm/Kconfig"
tree_git init -q && tree_git add -A && tree_git commit -q -m base
printf 'CONFIG_A=y\n' >"$TMP/frag.config"

kconfig() { "$TOP/scripts/kconfig.sh" "$TMP/build/k" tinyconfig "$TMP/frag.config"; }
runs() { grep -c made "$TMP/build/runs"; }

check "a first run makes the config" 0 '' kconfig
check "and writes it to OUT/.config" 0 '' grep -qx CONFIG_A=y "$TMP/build/k/.config"
check "a second run reuses it" 0 'inputs unchanged' kconfig
check "without running a config target" 0 '' test "$(runs)" -eq 1
echo '# more' >>"$TREE/mm/Kconfig"
check "an uncommitted change to a Kconfig file makes it again" 0 '' kconfig
check "with a config target" 0 '' test "$(runs)" -eq 2
check "which is then reused" 0 'inputs unchanged' kconfig
echo '# again' >>"$TREE/mm/Kconfig"
tree_git commit -q -am again
check "a committed change to a Kconfig file makes it again" 0 '' kconfig
check "with a config target, again" 0 '' test "$(runs)" -eq 3
printf 'CONFIG_A=y\n# CONFIG_B is not set\n' >"$TMP/frag.config"
check "a changed fragment makes it again" 0 '' kconfig
check "with a config target, once more" 0 '' test "$(runs)" -eq 4
check "as does another base target" nonzero 'make defconfig failed' \
	"$TOP/scripts/kconfig.sh" "$TMP/build/k" defconfig "$TMP/frag.config"
touch "$TMP/build/fail"
check "a failed config target fails the run" nonzero 'make tinyconfig failed' kconfig
rm "$TMP/build/fail"
check "and leaves nothing to reuse" 0 '' kconfig
check "so the next run makes the config" 0 '' test "$(runs)" -eq 5
done_testing
