// Showing a report: the table, the four charts, the warnings above the table and in the
// Diagnostics dock; and the same again in another language after Preferences switched it.
#include "compare_page.h"
#include "compare_page_private.h"

#include "bench_warnings.h"
#include "compare_charts.h"
#include "workbench/translated_text.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QSignalBlocker>

namespace qs::ui {

void ComparePage::showReport(quantscope::Report report, bool perNodeRequested)
{
    d->report = std::move(report);
    d->reportHasPerNode = perNodeRequested;
    d->resultsModel->setReport(d->report);
    CompareCharts::fillSize(d->sizeChart, *d->report);
    CompareCharts::fillLatency(d->latencyChart, *d->report);
    refreshAccuracy();

    // The per-node chart shows one variant at a time; the reference against itself is all
    // "identical", so it is offered only when there is nothing else.
    {
        const QSignalBlocker blocker(d->perNodeVariant);
        d->perNodeVariant->clear();
        const int first = d->report->variants_size() > 1 ? 1 : 0;
        for (int i = first; i < d->report->variants_size(); ++i)
            d->perNodeVariant->addItem(CompareCharts::variantLabel(d->report->variants(i)), i);
    }
    refreshPerNode();
    showWarnings();
    for (const auto &variant : d->report->variants())
        if (variant.has_nan())
            d->workbench->addMessage(Severity::Warning,
                                     [path = QString::fromStdString(variant.path())] {
                                         return tr("%1 produces NaN or Inf values.").arg(path);
                                     });
    d->exportCsvButton->setEnabled(true);
    emit compared();
}

QStringList ComparePage::warningTexts() const
{
    QStringList texts;
    for (const auto &diagnostic : d->report->diagnostics())
        texts << BenchWarnings::text(diagnostic, *d->report);
    return texts;
}

void ComparePage::showWarnings()
{
    const QStringList texts = warningTexts();
    for (const auto &diagnostic : d->report->diagnostics()) {
        const Severity severity = diagnostic.severity() == "warning" ? Severity::Warning
                                                                     : Severity::Info;
        // The dock rewords it after a language switch; the variants' names are all it needs
        // of the report.
        d->workbench->addMessage(
            severity,
            [diagnostic, names = BenchWarnings::namesOnly(*d->report)] {
                return BenchWarnings::text(diagnostic, names);
            },
            QString::fromStdString(diagnostic.node()));
    }
    d->warnings->setText(texts.join(QLatin1Char('\n')));
    d->warnings->setVisible(!texts.isEmpty());
    d->warningsScroll->setVisible(!texts.isEmpty());
}

void ComparePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateCharts();
        updateCompareButton(); // the reason nothing can be compared, in the new language
    }
    QWidget::changeEvent(event);
}

void ComparePage::retranslateCharts()
{
    CompareCharts::setTitle(d->sizeChart, tr("Size"), tr("MB"));
    CompareCharts::setTitle(d->latencyChart, tr("Latency (median, p90 whisker)"), tr("ms"));
    CompareCharts::setTitle(d->accuracyChart, tr("Accuracy"), tr("worst cosine"));
    CompareCharts::setTitle(d->perNodeChart, tr("Per-node error"), tr("SQNR (dB)"));
    if (!d->report)
        return;
    // The bars' figures, legends and tooltips are worded as they are drawn: draw them again.
    CompareCharts::fillSize(d->sizeChart, *d->report);
    CompareCharts::fillLatency(d->latencyChart, *d->report);
    refreshAccuracy();
    refreshPerNode();
    d->warnings->setText(warningTexts().join(QLatin1Char('\n')));
}

QString ComparePage::warningsText() const
{
    return d->warnings->isHidden() ? QString() : d->warnings->text();
}

void ComparePage::clearResults()
{
    d->job->discard();
    d->report.reset();
    d->resultsModel->setReport(std::nullopt);
    d->warnings->clear();
    d->warnings->hide();
    d->warningsScroll->hide();
    d->perNodePoints.clear();
    d->clickedNode.clear();
    {
        const QSignalBlocker blocker(d->perNodeVariant);
        d->perNodeVariant->clear();
    }
    for (QCustomPlot *plot : {d->sizeChart, d->latencyChart, d->accuracyChart, d->perNodeChart})
        CompareCharts::clear(plot);
    d->excludeButton->setEnabled(false);
    setTranslatedText(d->excludeButton, [] { return tr("Keep in float"); });
    d->exportCsvButton->setEnabled(false);
    d->cancelButton->setEnabled(d->job->isRunning());
}

void ComparePage::refreshAccuracy()
{
    if (!d->report)
        return;
    const auto metric = AccuracyMetric(d->accuracyMetric->currentData().toInt());
    CompareCharts::fillAccuracy(d->accuracyChart, *d->report, metric);
}

} // namespace qs::ui
