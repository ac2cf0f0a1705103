#pragma once
// ComparePage's widgets and its last report, shared by compare_page.cpp (layout, jobs, the
// per-node chart) and compare_page_report.cpp (showing a report, its warnings, and wording
// them again when the language changes).

#include "compare_page.h"
#include "compare_settings.h"
#include "report_table_model.h"

#include "workbench/job_controller.h"
#include "workbench/workbench.h"

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>

#include <optional>

namespace qs::ui {

struct ComparePage::Private
{
    Workbench *workbench = nullptr;
    JobController *job = nullptr;
    CompareSettingsWidget *settings = nullptr;
    QPushButton *compareButton = nullptr;
    QPushButton *cancelButton = nullptr;
    QLabel *blockedReason = nullptr; // why Compare is disabled, beside it
    QProgressBar *progressBar = nullptr;
    QLabel *stepLabel = nullptr;
    QLabel *etaLabel = nullptr;

    QCustomPlot *sizeChart = nullptr;
    QCustomPlot *latencyChart = nullptr;
    QCustomPlot *accuracyChart = nullptr;
    QCustomPlot *perNodeChart = nullptr;
    QComboBox *accuracyMetric = nullptr;
    QComboBox *perNodeVariant = nullptr;
    QSpinBox *worstCount = nullptr;
    QPushButton *excludeButton = nullptr;

    QLabel *warnings = nullptr;            // the report's warnings, above the table
    QScrollArea *warningsScroll = nullptr; // at most a few lines high: the table keeps its rows
    ReportTableModel *resultsModel = nullptr;
    QTableView *resultsView = nullptr;
    QPushButton *exportCsvButton = nullptr;
    QPushButton *clearButton = nullptr;

    std::optional<quantscope::Report> report;
    bool reportHasPerNode = false; // the report's comparison asked for per-node error
    QList<PerNodePoint> perNodePoints;
    QString clickedNode;
};

} // namespace qs::ui
