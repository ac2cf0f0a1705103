#include "cli/cli_progress.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <ostream>
#include <unistd.h>

namespace qs::cli {

namespace {

// The progress object of the running command: Ctrl-C cancels it, and the long job stops at its
// next check with a Cancelled status instead of dying half-way through writing a file. A second
// Ctrl-C gets the default action back (the handler is one-shot).
std::atomic<TerminalProgress *> g_interruptible{nullptr};

extern "C" void cancelOnInterrupt(int)
{
    if (TerminalProgress *progress = g_interruptible.load())
        progress->cancel();
}

} // namespace

TerminalProgress::TerminalProgress(std::ostream &err)
    : m_err(err)
    , m_interactive(::isatty(STDERR_FILENO) != 0)
    , m_lastLine(std::chrono::steady_clock::now())
{
    TerminalProgress *expected = nullptr;
    if (g_interruptible.compare_exchange_strong(expected, this)) {
        struct sigaction action
        {};
        action.sa_handler = cancelOnInterrupt;
        action.sa_flags = SA_RESETHAND;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, nullptr);
    }
}

TerminalProgress::~TerminalProgress()
{
    TerminalProgress *expected = this;
    if (g_interruptible.compare_exchange_strong(expected, nullptr))
        ::signal(SIGINT, SIG_DFL);
    if (m_wroteLine)
        m_err << "\r\033[K" << std::flush;
}

void TerminalProgress::report(int64_t done, int64_t total, std::string_view what)
{
    if (!m_interactive) {
        // Logs (CI, pipes) get a line every few seconds of a long job, nothing for quick ones,
        // so a bad-input run still prints just its one error line.
        const auto now = std::chrono::steady_clock::now();
        if (now - m_lastLine >= std::chrono::seconds(5)) {
            m_lastLine = now;
            m_err << "[" << done << "/" << total << "] " << what << "\n" << std::flush;
        }
        return;
    }
    m_err << "\r\033[K[" << done << "/" << total << "] " << what << std::flush;
    m_wroteLine = true;
}

} // namespace qs::cli
