#include "tune/fp16_block_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <set>

namespace qs {

bool exceedsFloat16(const Fp16Candidate &candidate)
{
    return candidate.maxAbs > kFloat16Max || candidate.underflow;
}

namespace {

// A contiguous range [begin, end) of the bisection pool (indexes into it, graph order).
struct Segment
{
    size_t begin = 0;
    size_t end = 0;
    enum class State { Undecided, Good, Bad } state = State::Undecided;
    double maxAbs = 0.0;

    size_t size() const { return end - begin; }
};

class BlockSearch
{
public:
    BlockSearch(const std::vector<Fp16Candidate> &candidates, const Fp16Oracle &oracle,
                const Fp16BlockSearchOptions &options, Progress &progress)
        : m_candidates(candidates)
        , m_oracle(oracle)
        , m_options(options)
        , m_progress(progress)
        , m_start(std::chrono::steady_clock::now())
    {}

    Result<Fp16BlockSearchResult> run();

private:
    // The oracle's answer for `blocked` (candidate indexes), asked at most once per list.
    // Empty optional: the trial budget is spent.
    Result<std::optional<bool>> ask(const std::set<size_t> &blocked, const char *stage);
    std::vector<std::string> names(const std::set<size_t> &blocked) const;
    std::vector<Segment> initialSegments() const;
    Segment makeSegment(size_t begin, size_t end) const;
    std::set<size_t> blockedWithout(const std::vector<Segment> &segments,
                                    const Segment *trying) const;
    Status bisect();
    Status minimize();
    void reportProgress(size_t pending);

    const std::vector<Fp16Candidate> &m_candidates;
    const Fp16Oracle &m_oracle;
    const Fp16BlockSearchOptions &m_options;
    Progress &m_progress;
    std::chrono::steady_clock::time_point m_start;

    std::set<size_t> m_overflow; // candidate indexes blocked in step 1
    std::vector<size_t> m_pool;  // the other candidates, graph order: what bisection splits
    std::set<size_t> m_best;     // the smallest list known to meet the target
    bool m_haveBest = false;
    bool m_budgetSpent = false;
    std::map<std::set<size_t>, bool> m_answers;
    Fp16BlockSearchResult m_result;
};

Result<std::optional<bool>> BlockSearch::ask(const std::set<size_t> &blocked, const char *stage)
{
    if (auto known = m_answers.find(blocked); known != m_answers.end())
        return std::optional<bool>(known->second);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - m_start;
    if ((m_options.maxTrials > 0 && m_result.oracleCalls >= m_options.maxTrials)
        || (m_options.maxSeconds > 0 && elapsed.count() >= m_options.maxSeconds)) {
        m_budgetSpent = true;
        return std::optional<bool>();
    }
    if (m_progress.cancelled())
        return cancelled("FP16 block list search cancelled after "
                         + std::to_string(m_result.oracleCalls) + " trials");
    Fp16Trial trial{names(blocked), false, stage, std::nullopt};
    Result<bool> met = m_oracle(trial.blockList);
    if (!met)
        return met.status();
    ++m_result.oracleCalls;
    trial.met = *met;
    m_answers[blocked] = *met;
    if (*met && (!m_haveBest || blocked.size() < m_best.size())) {
        m_best = blocked;
        m_haveBest = true;
    }
    m_result.trials.push_back(trial);
    if (m_options.onTrial)
        m_options.onTrial(trial);
    return std::optional<bool>(*met);
}

std::vector<std::string> BlockSearch::names(const std::set<size_t> &blocked) const
{
    std::vector<std::string> out;
    out.reserve(blocked.size());
    for (const size_t index : blocked) // std::set: ascending indexes are graph order
        out.push_back(m_candidates[index].node);
    return out;
}

Segment BlockSearch::makeSegment(size_t begin, size_t end) const
{
    Segment segment{begin, end};
    for (size_t i = begin; i < end; ++i)
        segment.maxAbs = std::max(segment.maxAbs, m_candidates[m_pool[i]].maxAbs);
    return segment;
}

// Runs of ordinary nodes, and each node near float16's limits alone: such a node fails most
// segments it is part of, so isolating it saves the splits that would find it.
std::vector<Segment> BlockSearch::initialSegments() const
{
    const double risky = kFloat16Max * m_options.riskyFraction;
    std::vector<Segment> segments;
    size_t runBegin = 0;
    for (size_t i = 0; i < m_pool.size(); ++i) {
        if (m_candidates[m_pool[i]].maxAbs <= risky)
            continue;
        if (runBegin < i)
            segments.push_back(makeSegment(runBegin, i));
        segments.push_back(makeSegment(i, i + 1));
        runBegin = i + 1;
    }
    if (runBegin < m_pool.size())
        segments.push_back(makeSegment(runBegin, m_pool.size()));
    return segments;
}

// Step 1's nodes and every node of a segment that is not known good, except `trying`'s.
std::set<size_t> BlockSearch::blockedWithout(const std::vector<Segment> &segments,
                                             const Segment *trying) const
{
    std::set<size_t> blocked = m_overflow;
    for (const Segment &segment : segments) {
        if (segment.state == Segment::State::Good || &segment == trying)
            continue;
        for (size_t i = segment.begin; i < segment.end; ++i)
            blocked.insert(m_pool[i]);
    }
    return blocked;
}

void BlockSearch::reportProgress(size_t pending)
{
    const int64_t done = m_result.oracleCalls;
    m_progress.reportStep(done, done + static_cast<int64_t>(pending) + 1,
                          makeMessage(MessageId::StepFp16BlockSearch));
}

Status BlockSearch::bisect()
{
    std::vector<Segment> segments = initialSegments();
    while (true) {
        // The largest undecided segment; of equal ones the one with smaller activations, which
        // is likelier to pass and so to shrink the list early.
        Segment *next = nullptr;
        size_t undecided = 0;
        for (Segment &segment : segments) {
            if (segment.state != Segment::State::Undecided)
                continue;
            ++undecided;
            if (!next || segment.size() > next->size()
                || (segment.size() == next->size() && segment.maxAbs < next->maxAbs)) {
                next = &segment;
            }
        }
        if (!next)
            return Status::ok();
        reportProgress(undecided + m_overflow.size());
        auto met = ask(blockedWithout(segments, next), "bisection");
        if (!met)
            return met.status();
        if (!met->has_value())
            return Status::ok(); // budget spent
        if (**met) {
            next->state = Segment::State::Good;
        } else if (next->size() == 1) {
            next->state = Segment::State::Bad;
        } else {
            const size_t begin = next->begin, end = next->end, middle = begin + next->size() / 2;
            const auto at = segments.begin() + (next - segments.data());
            *at = makeSegment(begin, middle);
            segments.insert(at + 1, makeSegment(middle, end));
        }
    }
}

// Tries to drop each entry of the best list; repeated until a pass drops nothing, since a
// removal can make an entry kept earlier unnecessary.
Status BlockSearch::minimize()
{
    bool removed = true;
    while (removed) {
        removed = false;
        const std::vector<size_t> entries(m_best.begin(), m_best.end());
        for (size_t done = 0; done < entries.size(); ++done) {
            std::set<size_t> without = m_best;
            without.erase(entries[done]);
            reportProgress(entries.size() - done);
            auto met = ask(without, "minimality");
            if (!met)
                return met.status();
            if (!met->has_value())
                return Status::ok();
            if (**met) {
                m_best = std::move(without);
                removed = true;
            }
        }
    }
    return Status::ok();
}

Result<Fp16BlockSearchResult> BlockSearch::run()
{
    for (size_t i = 0; i < m_candidates.size(); ++i) {
        if (exceedsFloat16(m_candidates[i])) {
            m_overflow.insert(i);
            m_result.overflowBlocked.push_back(m_candidates[i].node);
        } else {
            m_pool.push_back(i);
        }
    }
    reportProgress(m_pool.size());
    auto met = ask(m_overflow, "overflow");
    if (!met)
        return met.status();
    if (met->has_value() && !**met) {
        // Bisection assumes blocking everything meets the target; say so when it does not.
        std::set<size_t> all;
        for (size_t i = 0; i < m_candidates.size(); ++i)
            all.insert(i);
        auto allMet = ask(all, "all blocked");
        if (!allMet)
            return allMet.status();
        if (allMet->has_value() && **allMet)
            QS_RETURN_IF_ERROR(bisect());
    }
    if (m_haveBest && !m_budgetSpent)
        QS_RETURN_IF_ERROR(minimize());
    m_result.met = m_haveBest;
    m_result.complete = !m_budgetSpent;
    if (m_haveBest) {
        m_result.blockList = names(m_best);
    } else {
        for (const Fp16Candidate &candidate : m_candidates)
            m_result.blockList.push_back(candidate.node);
    }
    m_progress.reportStep(m_result.oracleCalls, m_result.oracleCalls,
                          makeMessage(MessageId::StepFp16BlockSearch));
    return std::move(m_result);
}

} // namespace

Result<Fp16BlockSearchResult> searchFp16BlockList(const std::vector<Fp16Candidate> &candidates,
                                                  const Fp16Oracle &meetsTarget,
                                                  const Fp16BlockSearchOptions &options,
                                                  Progress &progress)
{
    if (!meetsTarget)
        return invalidArgument("FP16 block list search: no oracle");
    BlockSearch search(candidates, meetsTarget, options, progress);
    return search.run();
}

} // namespace qs
