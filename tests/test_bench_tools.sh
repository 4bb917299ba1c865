#!/bin/bash
# The helpers of kunit.py and make bench: qemu-tcg-only.sh drops every
# accelerator but TCG; bench/summary.py takes medians and ratios, and
# refuses runs without numbers, with trouble in their kernel log or timed
# by another clock than the TSC; bench/tsc-khz.c prints the TSC's kHz.
. "$(dirname "$0")/lib.sh"

# A stand-in QEMU that prints its arguments, one per line.
printf '#!/bin/sh\nprintf "%%s\\n" "$@"\n' >"$TMP/qemu"
chmod +x "$TMP/qemu"
check "kvm and hvf are dropped, tcg is kept" 0 "^-m 1024 -accel tcg -serial stdio$" \
	sh -c "REAL_QEMU=$TMP/qemu $TOP/scripts/qemu-tcg-only.sh -m 1024 -accel kvm \
		-accel hvf -accel tcg -serial stdio | tr '\n' ' ' | sed 's/ \$//'"
check "without REAL_QEMU it says so" nonzero "REAL_QEMU is not set" \
	env -u REAL_QEMU "$TOP/scripts/qemu-tcg-only.sh" -accel tcg

# round KIND N ORDER9_NS S2D: a made-up bench round.
round() {
	local dir=$TMP/runs/$1/$2/bench
	mkdir -p "$dir"
	cat >"$dir/tests.log" <<LOG
zdfolio: step thp-migration start
=== Single THP Size (2.0 MB) ===
S->D Throughput      | 9.99 GB/s      | 1.00 GB/s      | 1.0%
=== One twenty eight THP Size (256.0 MB) ===
S->D Throughput      | $4 GB/s      | 0.50 GB/s      | 1.0%
D->S Throughput      | 2.00 GB/s      | 0.50 GB/s      | 1.0%
ok 1 hmm.hmm_device_private.benchmark_thp_migration
zdfolio: step zdbench start
[    9.1] zdbench: order 0: 524288 cycles, 100 ns/cycle, 100 ns/page
[    9.2] zdbench: order 4: 32768 cycles, 800 ns/cycle, 50 ns/page
[    9.3] zdbench: order 9: 1024 cycles, $3 ns/cycle, 40 ns/page
[    9.4] zdbench: anon order 0: 524288 cycles, 110 ns/cycle, 110 ns/page
[    9.5] zdbench: anon order 4: 32768 cycles, 900 ns/cycle, 56 ns/page
[    9.6] zdbench: anon order 9: 1024 cycles, $(($3 * 2)) ns/cycle, 80 ns/page
LOG
	printf '[    0.1] Linux version 7.3.4\n[    0.6] smp: Brought up 1 node, 2 CPUs\n[    1.6] clocksource: Switched to clocksource tsc\n' >"$dir/console.log"
}
round base 1 20000 1.00
round base 2 21000 1.10
round base 3 90000 1.00
round series 1 15000 1.00
round series 2 16000 1.00
round series 3 17000 0.90
check "medians and the order-9 ratio (16000 / 21000)" 0 "^order 9 cycle +ns +21000.00 +16000.00 +0.762  <= 0.85 met$" \
	"$TOP/bench/summary.py" "$TMP/runs"
check "the header says how many CPUs the guests brought up" 0 "^medians of 3 rounds \(QEMU TCG, vCPUs per guest: 2\)" \
	"$TOP/bench/summary.py" "$TMP/runs"
check "anon cycles are a measure of their own" 0 "^anon order 9 cycle +ns +42000.00 +32000.00 +0.762  <= 0.85 met$" \
	"$TOP/bench/summary.py" "$TMP/runs"
check "throughput is read from the largest size only" 0 "^THP migration S->D +GB/s +1.00 +1.00 +1.000  >= 0.97 met$" \
	"$TOP/bench/summary.py" "$TMP/runs"
round series 2 16000 0.50
round series 3 17000 0.50
check "a throughput drop is MISSED" 0 "^THP migration S->D .* 0.500  >= 0.97 MISSED$" \
	"$TOP/bench/summary.py" "$TMP/runs"
sed -i '/order 9/d' "$TMP/runs/series/2/bench/tests.log"
check "a round without a number fails" nonzero "series round 2: no 'order 9 cycle'" \
	"$TOP/bench/summary.py" "$TMP/runs"
round series 2 16000 1.00
sed -i '/anon order 9/d' "$TMP/runs/series/3/bench/tests.log"
check "a round without its anon numbers fails" nonzero "series round 3: no 'anon order 9 cycle'" \
	"$TOP/bench/summary.py" "$TMP/runs"
round series 3 17000 1.00
sed -i 's/clocksource tsc$/clocksource refined-jiffies/' "$TMP/runs/base/2/bench/console.log"
check "a round timed with jiffies fails" nonzero "base round 2: its kernel kept time with clocksource refined-jiffies, not tsc" \
	"$TOP/bench/summary.py" "$TMP/runs"
sed -i '/clocksource/d' "$TMP/runs/base/2/bench/console.log"
check "a round whose kernel named no clocksource fails" nonzero "base round 2: .* clocksource none, not tsc" \
	"$TOP/bench/summary.py" "$TMP/runs"
round base 2 21000 1.10
check "a round that switched to the TSC last is timed by it" 0 "^order 9 cycle " \
	sh -c "sed -i '1a clocksource: Switched to clocksource refined-jiffies' $TMP/runs/base/2/bench/console.log && $TOP/bench/summary.py $TMP/runs"
echo '[    5.0] WARNING: CPU: 0 PID: 1 at mm/memremap.c:1 x' >>"$TMP/runs/base/1/bench/console.log"
check "trouble in a kernel log fails" nonzero "base round 1: kernel log \\[warning\\]" \
	"$TOP/bench/summary.py" "$TMP/runs"
# Its value is the host's, not the code's: only its form is checked.
check "tsc-khz compiles without a warning" 0 "" \
	gcc -O2 -Wall -Werror -o "$TMP/tsc-khz" "$TOP/bench/tsc-khz.c"
check "... and prints one whole number of kHz, as tsc_early_khz= takes it" 0 "" \
	sh -c "'$TMP/tsc-khz' >'$TMP/khz' && grep -qxE '[1-9][0-9]*' '$TMP/khz' && test \$(wc -l <'$TMP/khz') = 1"
done_testing
