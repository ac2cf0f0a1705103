#pragma once
// "Against saved outputs" on the Compare page: the export check (core's compare/verify.h) on the
// open model, with a folder of saved values (<input>.npy and the expected <output>.npy, as
// `quantscope-cli run --output-dir` or a PyTorch script writes them), numpy's allclose
// tolerances and optional batch sizes. It runs as a job of its own, and the verdict per output
// (and per batch size, with the node that loses the batch) fills a table.

#include <QGroupBox>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace qs {
struct VerifyReport;
}

namespace qs::ui {

class Workbench;
class JobController;

class VerifyPanel : public QGroupBox
{
    Q_OBJECT

public:
    explicit VerifyPanel(Workbench *workbench, QWidget *parent = nullptr);
    ~VerifyPanel() override;

    JobController *job() const { return m_job; }
    void setFolder(const QString &folder);
    void setTolerances(double rtol, double atol);
    void setBatches(const QString &batches); // "1,3,8"; empty: no batch check

    // One row per output and per output of each batch size: what, verdict, detail.
    QTableWidget *resultsTable() const { return m_results; }
    // "PASS" / "FAIL" line above the table, or the error; empty before a run.
    QString verdict() const;

public slots:
    void startVerify();
    void clearResults();

signals:
    void verified(bool passed);
    void failed(const QString &message);

private:
    void chooseFolder();
    void updateButton();
    void showReport(const VerifyReport &report);

    Workbench *m_workbench;
    JobController *m_job;
    QLineEdit *m_folder;
    QLineEdit *m_rtol;
    QLineEdit *m_atol;
    QLineEdit *m_batches;
    QPushButton *m_verifyButton;
    QLabel *m_verdict;
    QTableWidget *m_results;
};

} // namespace qs::ui
