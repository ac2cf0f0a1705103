// libqs_avx2_cpu.so: makes a process on an AVX-512 CPU see an AVX2 CPU without VNNI, so the zoo
// bench can set ONNX Runtime's AVX2 code against ours (ORT has no switch like oneDNN's
// ONEDNN_MAX_CPU_ISA; its MLAS picks kernels from CPUID alone).
//
//   LD_PRELOAD=build/bench/libqs_avx2_cpu.so node scripts/ort-peer.js ...
//
// How: Linux's CPUID faulting (arch_prctl(ARCH_SET_CPUID, 0), the "cpuid_fault" flag in
// /proc/cpuinfo; the setting is per thread and inherited by threads created later) makes every
// CPUID instruction raise SIGSEGV. Our handler runs the real CPUID with faulting briefly off,
// clears the AVX-512, VNNI and AMX feature bits and steps over the instruction. A program may
// install its own SIGSEGV handler later (V8 does, for WebAssembly); sigaction() is wrapped so ours
// stays first and theirs receives every fault that is not a CPUID.
//
// What ran before the library's constructor saw the real CPU: ld.so's choice of memcpy, and the
// static initializers of libraries linked at start, such as oneDNN's CPU detection in our own
// binaries (ONEDNN_MAX_CPU_ISA=AVX2 limits those). ORT's library is loaded by node's require(),
// after the constructor, so MLAS sees AVX2 only: ResNet-18 static QDQ in ORT went from 7.2 ms to
// 14.0 ms on an AVX-512 VNNI EPYC with it, FP32 from 20.3 to 23.8 ms.
//
// Without CPUID faulting (an older kernel or CPU) the library says so on stderr and changes
// nothing; zoo_figures.py checks for the flag before it relies on the library.
#include <asm/prctl.h>
#include <cpuid.h>
#include <dlfcn.h>
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

using SigactionFunction = int (*)(int, const struct sigaction *, struct sigaction *);

// The handler the program asked for (or SIG_DFL); read by our handler, so kept lock-free.
struct sigaction g_programHandler
{};
std::atomic<bool> g_active{false};

SigactionFunction realSigaction()
{
    static SigactionFunction function
        = reinterpret_cast<SigactionFunction>(dlsym(RTLD_NEXT, "sigaction"));
    return function;
}

bool setCpuidFaulting(bool faulting)
{
    return syscall(SYS_arch_prctl, ARCH_SET_CPUID, faulting ? 0 : 1) == 0;
}

// The feature bits an AVX2 CPU without VNNI lacks (Intel SDM vol. 2, CPUID leaf 7).
void maskFeatures(uint32_t leaf, uint32_t subleaf, uint32_t registers[4])
{
    uint32_t &eax = registers[0], &ebx = registers[1], &ecx = registers[2], &edx = registers[3];
    if (leaf == 7 && subleaf == 0) {
        // AVX512F, DQ, IFMA, PF, ER, CD, BW, VL.
        ebx &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28)
                 | (1u << 30) | (1u << 31));
        // AVX512_VBMI, VBMI2, VNNI, BITALG, VPOPCNTDQ.
        ecx &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
        // AVX512_4VNNIW, 4FMAPS, VP2INTERSECT, AVX512_FP16, AMX-BF16, AMX-TILE, AMX-INT8.
        edx &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 23) | (1u << 22) | (1u << 24)
                 | (1u << 25));
    } else if (leaf == 7 && subleaf == 1) {
        // AVX-VNNI (the VEX form: an AVX2 CPU "with VNNI" is a different target), AVX512_BF16,
        // AMX-FP16, AVX-IFMA.
        eax &= ~((1u << 4) | (1u << 5) | (1u << 21) | (1u << 23));
    }
}

void onSegv(int signal, siginfo_t *info, void *context)
{
    auto *uc = static_cast<ucontext_t *>(context);
    auto *instruction = reinterpret_cast<const unsigned char *>(uc->uc_mcontext.gregs[REG_RIP]);
    if (g_active.load(std::memory_order_relaxed) && info->si_code == SI_KERNEL
        && instruction[0] == 0x0F && instruction[1] == 0xA2) {
        const auto leaf = static_cast<uint32_t>(uc->uc_mcontext.gregs[REG_RAX]);
        const auto subleaf = static_cast<uint32_t>(uc->uc_mcontext.gregs[REG_RCX]);
        uint32_t registers[4];
        setCpuidFaulting(false);
        __cpuid_count(leaf, subleaf, registers[0], registers[1], registers[2], registers[3]);
        setCpuidFaulting(true);
        maskFeatures(leaf, subleaf, registers);
        uc->uc_mcontext.gregs[REG_RAX] = registers[0];
        uc->uc_mcontext.gregs[REG_RBX] = registers[1];
        uc->uc_mcontext.gregs[REG_RCX] = registers[2];
        uc->uc_mcontext.gregs[REG_RDX] = registers[3];
        uc->uc_mcontext.gregs[REG_RIP] += 2;
        return;
    }
    // Not ours: what the program would have had without us.
    const struct sigaction program = g_programHandler;
    if (program.sa_flags & SA_SIGINFO) {
        program.sa_sigaction(signal, info, context);
    } else if (program.sa_handler != SIG_IGN && program.sa_handler != SIG_DFL) {
        program.sa_handler(signal);
    } else {
        // Default action: returning re-executes the faulting instruction, which now kills.
        struct sigaction fallback
        {};
        fallback.sa_handler = SIG_DFL;
        realSigaction()(SIGSEGV, &fallback, nullptr);
    }
}

__attribute__((constructor)) void limitToAvx2()
{
    struct sigaction ours
    {};
    ours.sa_sigaction = onSegv;
    ours.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&ours.sa_mask);
    g_programHandler.sa_handler = SIG_DFL;
    if (realSigaction()(SIGSEGV, &ours, nullptr) != 0 || !setCpuidFaulting(true)) {
        std::fprintf(stderr, "libqs_avx2_cpu: this kernel or CPU has no CPUID faulting; the "
                             "process sees the real CPU\n");
        return;
    }
    g_active = true;
}

} // namespace

// Keeps our SIGSEGV handler installed; the program's becomes the one we pass other faults to.
extern "C" int sigaction(int signal, const struct sigaction *action, struct sigaction *old)
{
    if (signal != SIGSEGV || !g_active.load())
        return realSigaction()(signal, action, old);
    if (old)
        *old = g_programHandler;
    if (action)
        g_programHandler = *action;
    return 0;
}
