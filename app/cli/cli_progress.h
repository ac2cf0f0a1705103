#pragma once
// Progress for the terminal: one line on stderr that rewrites itself when stderr is a
// terminal; otherwise a line every few seconds, so logs show long jobs moving without being
// flooded.

#include "util/progress.h"

#include <chrono>
#include <iosfwd>

namespace qs::cli {

class TerminalProgress : public Progress
{
public:
    explicit TerminalProgress(std::ostream &err);
    ~TerminalProgress() override;
    void report(int64_t done, int64_t total, std::string_view what) override;

private:
    std::ostream &m_err;
    bool m_interactive;
    bool m_wroteLine = false;
    std::chrono::steady_clock::time_point m_lastLine;
};

} // namespace qs::cli
