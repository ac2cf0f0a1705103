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
// Phases are named by step ids (util/messages.h); which ones does not matter here.
constexpr MessageId kCalibrating = MessageId::StepCalibrating;
constexpr MessageId kWriting = MessageId::StepWritingQuantizedGraph;
constexpr MessageId kA = MessageId::StepPreparingModel;
constexpr MessageId kB = MessageId::StepLoadingVariants;
constexpr MessageId kC = MessageId::StepTiming;

// Keeps the coded steps as they come, as the GUI's JobProgress does.
class StepRecorder : public Progress
{
public:
    void reportStep(int64_t done, int64_t, const Message &step) override
    {
        counts.push_back(done);
        steps.push_back(step);
    }
    std::vector<int64_t> counts;
    std::vector<Message> steps;
};

} // namespace

TEST(PhasedProgress, MapsEachPhaseOntoItsShareOfOneCount)
{
    Recorder overall;
    PhasedProgress phased(overall, {{kCalibrating, 3}, {kWriting, 1}});
    phased.beginPhase(kCalibrating);
    phased.report(50, 100, "calibrating on 100 images");
    phased.beginPhase(kWriting);
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
    EXPECT_EQ(overall.reports[3].what, englishTemplate(kWriting))
        << "an unnamed step takes the phase's name";
    EXPECT_EQ(overall.reports[4].done, kTotal);
}

TEST(PhasedProgress, SkipsPhasesNeverAnnouncedAndIgnoresUnknownNames)
{
    Recorder overall;
    PhasedProgress phased(overall, {{kA, 1}, {kB, 1}, {kC, 2}});
    phased.beginPhase(kC); // a and b did not happen (a dynamic quantization calibrates nothing)
    EXPECT_EQ(overall.reports.back().done, kTotal / 2);
    phased.beginPhase(MessageId::StepDone); // not a phase of this job
    phased.report(1, 2, "c's work");
    EXPECT_EQ(overall.reports.back().done, kTotal * 3 / 4);
}

TEST(PhasedProgress, TheCountNeverGoesBack)
{
    Recorder overall;
    PhasedProgress phased(overall, {{kA, 1}});
    phased.report(3, 4, "first count");
    phased.report(1, 10, "a second count within the phase");
    EXPECT_EQ(overall.reports.back().done, kTotal * 3 / 4);
    EXPECT_EQ(overall.reports.back().what, "a second count within the phase");
}

TEST(PhasedProgress, AZeroWeightPhaseTakesNoShare)
{
    Recorder overall;
    PhasedProgress phased(overall, {{kA, 1}, {kCalibrating, 0}, {kB, 1}});
    phased.beginPhase(kCalibrating);
    phased.report(5, 10, "x");
    EXPECT_EQ(overall.reports.back().done, kTotal / 2);
    phased.beginPhase(kB);
    EXPECT_EQ(overall.reports.back().done, kTotal / 2);
}

TEST(PhasedProgress, PassesCancellationThrough)
{
    Recorder overall;
    PhasedProgress phased(overall, {{kA, 1}});
    EXPECT_FALSE(phased.cancelled());
    overall.cancel();
    EXPECT_TRUE(phased.cancelled()) << "the front end cancels the object it owns";
    Progress &asBase = phased;
    EXPECT_TRUE(asBase.cancelled()) << "core polls through a Progress&";

    Recorder other;
    PhasedProgress own(other, {{kA, 1}});
    own.cancel();
    EXPECT_TRUE(own.cancelled());
    EXPECT_FALSE(other.cancelled());
}

// Issue 16: a front end words a step in its own language, so the phases and the coded steps of
// the job reach it with their ids, not only as English.
TEST(PhasedProgress, PassesCodedStepsOnWithTheirIds)
{
    StepRecorder overall;
    PhasedProgress phased(overall, {{kCalibrating, 3}, {kWriting, 1}});
    phased.beginPhase(kCalibrating);
    phased.reportStep(1, 2, makeMessage(MessageId::StepCalibratingOn, {"4 images in /data"}));
    phased.beginPhase(kWriting);
    phased.report(1, 2, ""); // an unnamed step: the phase's id
    ASSERT_EQ(overall.steps.size(), 4u);
    EXPECT_EQ(overall.steps[0].id, kCalibrating);
    EXPECT_EQ(overall.steps[1].id, MessageId::StepCalibratingOn);
    EXPECT_EQ(overall.steps[1].args, std::vector<std::string>{"4 images in /data"});
    EXPECT_EQ(overall.counts[1], kTotal * 3 / 8);
    EXPECT_EQ(overall.steps[2].id, kWriting);
    EXPECT_EQ(overall.steps[3].id, kWriting);
    EXPECT_EQ(overall.counts[3], kTotal * 7 / 8);
}

TEST(PhasedProgress, ACodedStepReachesAPlainProgressInEnglish)
{
    Recorder overall; // overrides report() only, as the CLI's progress does
    PhasedProgress phased(overall, {{kCalibrating, 1}});
    phased.reportStep(1, 2, makeMessage(MessageId::StepCalibratingOn, {"4 images in /data"}));
    ASSERT_EQ(overall.reports.size(), 1u);
    EXPECT_EQ(overall.reports[0].what, "calibrating on 4 images in /data");
}
