#include "verify_panel.h"

#include "compare/verify.h"
#include "workbench/core_messages.h"
#include "workbench/error_dialog.h"
#include "workbench/job_controller.h"
#include "workbench/translated_text.h"
#include "workbench/workbench.h"

#include <QDoubleValidator>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace qs::ui {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 4);
}

// "max abs 1e-06, max rel 0.004, 0 of 1000 mismatched; worst [0,6]: 0.46 vs 0.46", or the
// shape/dtype problem.
QString describe(const TensorCheck &check)
{
    if (!check.problem.empty())
        return QString::fromStdString(check.problem);
    QString text = VerifyPanel::tr("max abs %1, max rel %2, %3 of %4 mismatched")
                       .arg(number(check.maxAbsError), number(check.maxRelError))
                       .arg(check.mismatches)
                       .arg(check.elements);
    if (!check.passed)
        text += VerifyPanel::tr("; worst %1: %2, expected %3")
                    .arg(QString::fromStdString(shapeToString(check.worstIndex)),
                         number(check.worstActual), number(check.worstExpected));
    return text;
}

} // namespace

VerifyPanel::VerifyPanel(Workbench *workbench, QWidget *parent)
    : QGroupBox(tr("Against saved outputs"), parent)
    , m_workbench(workbench)
    , m_job(new JobController(workbench, this))
{
    setObjectName(QStringLiteral("verifyPanel"));
    m_folder = new QLineEdit;
    setTranslatedPlaceholder(m_folder,
                             [] { return tr("folder with <input>.npy and <output>.npy"); });
    auto *browse = translated<QPushButton>([] { return tr("Browse..."); });
    m_rtol = new QLineEdit(QStringLiteral("0.001"));
    m_atol = new QLineEdit(QStringLiteral("1e-05"));
    for (QLineEdit *edit : {m_rtol, m_atol}) {
        auto *validator = new QDoubleValidator(0, 1e9, 12, edit);
        validator->setNotation(QDoubleValidator::ScientificNotation);
        edit->setValidator(validator);
    }
    m_batches = new QLineEdit;
    setTranslatedPlaceholder(m_batches, [] { return tr("e.g. 1,3,8 (empty: no batch check)"); });
    m_verifyButton = translated<QPushButton>([] { return tr("Verify"); });
    m_verdict = new QLabel;
    m_verdict->setWordWrap(true);
    m_results = new QTableWidget(0, 3);
    m_results->setHorizontalHeaderLabels({tr("Output"), tr("Verdict"), tr("Detail")});
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->verticalHeader()->hide();
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    auto *form = new QFormLayout;
    addTranslatedRow(
        form, [] { return tr("Saved values"); }, folderRow);
    addTranslatedRow(
        form, [] { return tr("rtol"); }, m_rtol);
    addTranslatedRow(
        form, [] { return tr("atol"); }, m_atol);
    addTranslatedRow(
        form, [] { return tr("Batch sizes"); }, m_batches);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_verifyButton);
    layout->addWidget(m_verdict);
    layout->addWidget(m_results, 1);

    connect(browse, &QPushButton::clicked, this, &VerifyPanel::chooseFolder);
    connect(m_folder, &QLineEdit::textChanged, this, &VerifyPanel::updateButton);
    connect(m_verifyButton, &QPushButton::clicked, this, &VerifyPanel::startVerify);
    connect(m_job, &JobController::finished, this, &VerifyPanel::updateButton);
    // A verdict is about the model it ran on.
    connect(workbench, &Workbench::modelChanged, this, &VerifyPanel::clearResults);
    connect(workbench, &Workbench::modelChanged, this, &VerifyPanel::updateButton);
    updateButton();
}

VerifyPanel::~VerifyPanel()
{
    m_job->cancel();
    m_job->waitForFinished();
}

void VerifyPanel::setFolder(const QString &folder)
{
    m_folder->setText(folder);
}

void VerifyPanel::setTolerances(double rtol, double atol)
{
    m_rtol->setText(QString::number(rtol, 'g', 12));
    m_atol->setText(QString::number(atol, 'g', 12));
}

void VerifyPanel::setBatches(const QString &batches)
{
    m_batches->setText(batches);
}

QString VerifyPanel::verdict() const
{
    return m_verdict->text();
}

void VerifyPanel::chooseFolder()
{
    const QString start = m_folder->text().isEmpty() || !QFileInfo(m_folder->text()).isDir()
                              ? m_workbench->dialogFolder(settings::Folder::Calibration)
                              : m_folder->text();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Saved values"), start);
    if (folder.isEmpty())
        return;
    m_workbench->rememberDialogFolder(settings::Folder::Calibration, folder);
    m_folder->setText(folder);
}

void VerifyPanel::updateButton()
{
    m_verifyButton->setEnabled(m_workbench->model() && !m_folder->text().isEmpty()
                               && !m_job->isRunning());
}

void VerifyPanel::clearResults()
{
    m_job->discard();
    setTranslatedText(m_verdict, [] { return QString(); });
    m_results->setRowCount(0);
}

void VerifyPanel::startVerify()
{
    const auto model = m_workbench->model();
    if (!model)
        return;
    bool rtolOk = false, atolOk = false;
    const double rtol = m_rtol->text().toDouble(&rtolOk);
    const double atol = m_atol->text().toDouble(&atolOk);
    std::vector<int64_t> batches;
    bool batchesOk = true;
    for (const QString &item : m_batches->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int64_t batch = item.trimmed().toLongLong(&ok);
        batchesOk = batchesOk && ok && batch >= 1;
        batches.push_back(batch);
    }
    if (!rtolOk || !atolOk || rtol < 0 || atol < 0 || !batchesOk) {
        const QString message = tr("rtol and atol must be numbers >= 0 and the batch sizes "
                                   "integers >= 1, separated by commas");
        showError(m_workbench, this, title(), message);
        emit failed(message);
        return;
    }
    const std::string folder = m_folder->text().toStdString();
    clearResults();
    m_job->run<Result<VerifyReport>>([] { return tr("Verify against saved outputs"); },
                                     [model, folder, rtol, atol,
                                      batches](Progress &progress) -> Result<VerifyReport> {
                                         auto request = requestFromFolder(model, folder);
                                         if (!request)
                                             return request.status();
                                         request->tolerance = Tolerance{rtol, atol};
                                         request->batches = batches;
                                         return verifyModel(*request, progress);
                                     },
                                     [this](Result<VerifyReport> report) {
                                         if (!report) {
                                             if (report.status().code() == StatusCode::Cancelled)
                                                 return;
                                             const QString message
                                                 = CoreMessages::text(report.status());
                                             setTranslatedText(m_verdict, [status = report.status()] {
                                                 return CoreMessages::text(status);
                                             });
                                             showError(m_workbench, this, title(), message);
                                             emit failed(message);
                                             return;
                                         }
                                         showReport(*report);
                                         emit verified(report->passed());
                                     });
    updateButton();
}

void VerifyPanel::showReport(const VerifyReport &report)
{
    auto addRow = [this](const QString &what, bool passed, const QString &detail) {
        const int row = m_results->rowCount();
        m_results->insertRow(row);
        m_results->setItem(row, 0, new QTableWidgetItem(what));
        auto *verdict = new QTableWidgetItem(passed ? tr("pass") : tr("FAIL"));
        if (!passed)
            verdict->setForeground(Qt::red);
        m_results->setItem(row, 1, verdict);
        m_results->setItem(row, 2, new QTableWidgetItem(detail));
    };
    for (const TensorCheck &check : report.outputs)
        addRow(QString::fromStdString(check.name), check.passed, describe(check));
    for (const std::string &name : report.unchecked)
        addRow(QString::fromStdString(name), true, tr("not checked: no saved output"));
    for (const BatchCheck &batch : report.batches) {
        const QString prefix = tr("batch %1: ").arg(batch.batch);
        if (!batch.engineError.empty())
            addRow(prefix, false, QString::fromStdString(batch.engineError));
        for (const TensorCheck &check : batch.outputs)
            addRow(prefix + QString::fromStdString(check.name), check.passed, describe(check));
        for (const std::string &culprit : batch.culprits)
            addRow(prefix, false, QString::fromStdString(culprit));
    }
    // Set when a check ends: worded again after a language switch.
    setTranslatedText(m_verdict, [passed = report.passed(), notApplicable = QString::fromStdString(
                                                                report.batchNotApplicable)] {
        QString verdict = passed ? tr("PASS") : tr("FAIL");
        if (!notApplicable.isEmpty())
            verdict += tr(" (batch check does not apply: %1)").arg(notApplicable);
        return verdict;
    });
    m_results->resizeColumnsToContents();
}

} // namespace qs::ui
