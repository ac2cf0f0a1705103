#include "cli/cli_progress.h"

#include <ostream>
#include <unistd.h>

namespace qs::cli {

TerminalProgress::TerminalProgress(std::ostream &err)
    : m_err(err)
    , m_interactive(::isatty(STDERR_FILENO) != 0)
{}

TerminalProgress::~TerminalProgress()
{
    if (m_wroteLine)
        m_err << "\r\033[K" << std::flush;
}

void TerminalProgress::report(int64_t done, int64_t total, std::string_view what)
{
    if (!m_interactive)
        return;
    m_err << "\r\033[K[" << done << "/" << total << "] " << what << std::flush;
    m_wroteLine = true;
}

} // namespace qs::cli
