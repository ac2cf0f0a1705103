#pragma once
// The warnings of a Report (core's BenchDiagnostic: a saturated or constant output, an output
// that hides its inside's error, latency too noisy to rank) in the interface's language, built
// from their stable codes and arguments; and which of a variant's figures they put in doubt, for
// the result table's colours.

#include "quantscope.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace qs::ui {

class BenchWarnings
{
    Q_DECLARE_TR_FUNCTIONS(BenchWarnings)

public:
    // The diagnostic in words (core's English message for a code this version does not know).
    static QString text(const quantscope::BenchDiagnostic &diagnostic,
                        const quantscope::Report &report);
    // The part of `report` text() reads (its variants' paths), to keep with a message.
    static quantscope::Report namesOnly(const quantscope::Report &report);
    // The texts of the diagnostics that concern one variant: latency ones (an unrankable pair it
    // is part of) or accuracy ones (an output whose metric cannot see its error).
    static QStringList latencyWarnings(const quantscope::Report &report, int variant);
    static QStringList accuracyWarnings(const quantscope::Report &report, int variant);
};

} // namespace qs::ui
