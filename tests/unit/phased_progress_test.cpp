// PhasedProgress (util/progress.h): one count over a job's phases, for one ETA (issue 16).
#include "util/progress.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace qs;

namespace {

class Recorder : public Progress
{
public:
    void report(int64_t done, int64_t total, std::string_view what) override
    {
        reports.push_back({done, total, std::string(what)});
    }
    struct Report
    {
        int64_t done, total;
        std::string what;
    };
    std::vector<Report> reports;
};

constexpr int64_t kTotal = PhasedProgress::kTotal;

} // namespace

TEST(PhasedProgress, MapsEachPhaseOntoItsShareOfOneCount)
{
    Recorder overall;
    PhasedProgress phased(overall, {{"calibrating", 3}, {"writing", 1}});
    phased.beginPhase("calibrating");
    phased.report(50, 100, "calibrating on 100 images");
    phased.beginPhase("writing");
    phased.report(1, 2, "");
    phased.report(2, 2, "writing");
    ASSERT_EQ(overall.reports.size(), 5u);
    for (const auto &report : overall.reports)
        EXPECT_EQ(report.total, kTotal);
    EXPECT_EQ(overall.reports[0].done, 0);
    EXPECT_EQ(overall.reports[1].done, kTotal * 3 / 8);
    EXPECT_EQ(overall.reports[1].what, "calibrating on 100 images");
    EXPECT_EQ(overall.reports[2].done, kTotal * 3 / 4);
    EXPECT_EQ(overall.reports[3].done, kTotal * 7 / 8);
    EXPECT_EQ(overall.reports[3].what, "writing") << "an unnamed step takes the phase's name";
    EXPECT_EQ(overall.reports[4].done, kTotal);
}

TEST(PhasedProgress, SkipsPhasesNeverAnnouncedAndIgnoresUnknownNames)
{
    Recorder overall;
    PhasedProgress phased(overall, {{"a", 1}, {"b", 1}, {"c", 2}});
    phased.beginPhase("c"); // a and b did not happen (a dynamic quantization calibrates nothing)
    EXPECT_EQ(overall.reports.back().done, kTotal / 2);
    phased.beginPhase("no such phase");
    phased.report(1, 2, "c's work");
    EXPECT_EQ(overall.reports.back().done, kTotal * 3 / 4);
}

TEST(PhasedProgress, TheCountNeverGoesBack)
{
    Recorder overall;
    PhasedProgress phased(overall, {{"only", 1}});
    phased.report(3, 4, "first count");
    phased.report(1, 10, "a second count within the phase");
    EXPECT_EQ(overall.reports.back().done, kTotal * 3 / 4);
    EXPECT_EQ(overall.reports.back().what, "a second count within the phase");
}

TEST(PhasedProgress, AZeroWeightPhaseTakesNoShare)
{
    Recorder overall;
    PhasedProgress phased(overall, {{"a", 1}, {"calibrating", 0}, {"b", 1}});
    phased.beginPhase("calibrating");
    phased.report(5, 10, "x");
    EXPECT_EQ(overall.reports.back().done, kTotal / 2);
    phased.beginPhase("b");
    EXPECT_EQ(overall.reports.back().done, kTotal / 2);
}

TEST(PhasedProgress, PassesCancellationThrough)
{
    Recorder overall;
    PhasedProgress phased(overall, {{"a", 1}});
    EXPECT_FALSE(phased.cancelled());
    overall.cancel();
    EXPECT_TRUE(phased.cancelled()) << "the front end cancels the object it owns";
    Progress &asBase = phased;
    EXPECT_TRUE(asBase.cancelled()) << "core polls through a Progress&";

    Recorder other;
    PhasedProgress own(other, {{"a", 1}});
    own.cancel();
    EXPECT_TRUE(own.cancelled());
    EXPECT_FALSE(other.cancelled());
}
