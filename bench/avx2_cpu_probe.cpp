// What CPUID tells this process about AVX-512 and VNNI, for the test of libqs_avx2_cpu.so
// (avx2_cpu_test.sh): prints "avx512f=B avx512_vnni=B". With --segv it then dereferences a null
// pointer, to show that a fault which is not a CPUID still ends the process with SIGSEGV.
#include <cpuid.h>

#include <cstdio>
#include <cstring>

int main(int argc, char **argv)
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    std::printf("avx512f=%u avx512_vnni=%u\n", (ebx >> 16) & 1u, (ecx >> 11) & 1u);
    std::fflush(stdout);
    if (argc > 1 && std::strcmp(argv[1], "--segv") == 0) {
        volatile int *nowhere = nullptr;
        return *nowhere;
    }
    return 0;
}
