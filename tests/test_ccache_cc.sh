#!/bin/bash
# scripts/ccache-cc: a source with .incbin is compiled afresh each time,
# with what it pulls in now; any other goes through ccache. Both under the
# settings of every build here (use_ccache: depend mode).
. "$(dirname "$0")/lib.sh"

export CCACHE_DIR=$TMP/ccache CCACHE_DEPEND=true CCACHE_NOHASHDIR=true
cd "$TMP" || exit 1
printf '.section .rodata\n.incbin "blob.bin"\n' >image.S
printf 'int answer(void) { return 42; }\n' >plain.c

# compile SOURCE OBJECT: as kbuild compiles, with a dependency file.
compile() {
	"$TOP/scripts/ccache-cc" gcc -Wp,-MMD,"$2.d" -c "$1" -o "$2"
}

# payload OBJECT: the bytes .incbin put in OBJECT.
payload() {
	objcopy -O binary -j .rodata "$1" "$1.bin" && cat "$1.bin"
}

echo first >blob.bin
compile image.S first.o
echo second >blob.bin
compile image.S second.o
check "a source with .incbin gets what the file holds now, not a cached object" \
	0 "^second$" payload second.o

compile plain.c plain1.o
compile plain.c plain2.o
check "any other source is cached: the second compile hits" \
	0 "^[[:space:]]*Hits:[[:space:]]+1 " ccache -s

echo "1..$count"
[ "$failed" -eq 0 ]
