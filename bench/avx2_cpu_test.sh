#!/bin/sh
# ctest avx2_cpu.preload: libqs_avx2_cpu.so hides AVX-512 and VNNI where the kernel can trap CPUID,
# says so on stderr where it cannot, and leaves other segmentation faults fatal.
#   avx2_cpu_test.sh PROBE LIBRARY
set -u
probe=$1 library=$2
out=$(LD_PRELOAD=$library "$probe" 2>/tmp/avx2_cpu_test.$$) || { echo "probe failed: $out"; exit 1; }
err=$(cat /tmp/avx2_cpu_test.$$); rm -f /tmp/avx2_cpu_test.$$
if grep -qw cpuid_fault /proc/cpuinfo; then
    [ "$out" = "avx512f=0 avx512_vnni=0" ] || { echo "expected AVX-512 and VNNI hidden, got: $out"; exit 1; }
else
    case $err in *"no CPUID faulting"*) ;; *) echo "expected the no-faulting message, got: $err"; exit 1;; esac
fi
LD_PRELOAD=$library "$probe" --segv >/dev/null 2>&1
status=$?
[ "$status" -eq 139 ] || { echo "a null dereference under the library ended with $status, not SIGSEGV (139)"; exit 1; }
echo "ok: $out"
