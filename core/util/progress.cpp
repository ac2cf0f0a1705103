#include "util/progress.h"

#include <algorithm>

namespace qs {

PhasedProgress::PhasedProgress(Progress &overall, std::vector<Phase> phases)
    : m_overall(overall)
    , m_phases(std::move(phases))
{
    if (m_phases.empty())
        m_phases.push_back({}); // one unnamed phase: the counts pass through, scaled
    double weights = 0;
    for (const Phase &phase : m_phases)
        weights += std::max(0.0, phase.weight);
    double sum = 0;
    for (const Phase &phase : m_phases) {
        m_starts.push_back(weights > 0 ? int64_t(sum / weights * double(kTotal)) : 0);
        sum += std::max(0.0, phase.weight);
    }
    m_starts.push_back(kTotal);
}

void PhasedProgress::beginPhase(MessageId phase)
{
    const auto found = std::find_if(m_phases.begin(), m_phases.end(),
                                    [phase](const Phase &p) { return p.step == phase; });
    if (found == m_phases.end())
        return;
    const auto index = size_t(found - m_phases.begin());
    m_current.store(index, std::memory_order_relaxed);
    m_overall.reportStep(reach(m_starts[index]), kTotal, makeMessage(phase));
}

void PhasedProgress::report(int64_t done, int64_t total, std::string_view what)
{
    if (what.empty()) { // an unnamed step takes the phase's name
        const size_t index = m_current.load(std::memory_order_relaxed);
        reportStep(done, total, makeMessage(m_phases[index].step));
        return;
    }
    m_overall.report(reach(mapped(done, total)), kTotal, what);
}

void PhasedProgress::reportStep(int64_t done, int64_t total, const Message &step)
{
    m_overall.reportStep(reach(mapped(done, total)), kTotal, step);
}

int64_t PhasedProgress::mapped(int64_t done, int64_t total) const
{
    const size_t index = m_current.load(std::memory_order_relaxed);
    const int64_t start = m_starts[index], span = m_starts[index + 1] - start;
    const double fraction = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
    return start + int64_t(fraction * double(span));
}

int64_t PhasedProgress::reach(int64_t value)
{
    int64_t reached = m_reached.load(std::memory_order_relaxed);
    while (value > reached
           && !m_reached.compare_exchange_weak(reached, value, std::memory_order_relaxed)) {
    }
    return std::max(value, reached);
}

} // namespace qs
