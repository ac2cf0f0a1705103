#pragma once
// The workbench window: Inspector, Graph, Quantize, Compare and Tune pages over one Workbench, the
// Diagnostics dock, the status bar (model facts, the running job with progress, ETA and
// Cancel), menus with shortcuts, recent files, drag and drop. Opening a model runs off the GUI
// thread; opening one while a job runs first asks (without blocking) whether to cancel the job;
// closing the window cancels running jobs and waits for them.

#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QString>

class QLabel;
class QMenu;
class QMessageBox;
class QTabWidget;

namespace qs::ui {

class ComparePage;
class DiagnosticsDock;
class GraphPage;
class InspectorPage;
class JobController;
class JobStatusWidget;
class QuantizePage;
class TunePage;
class Workbench;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads `path` in the background; the pages switch to it when it has loaded. While a job
    // runs (loading, quantizing, comparing), a question (object name "cancelJobsQuestion") asks
    // first: Yes cancels the jobs and opens `path`, No keeps them and the open model.
    void openModel(const QString &path);

    Workbench *workbench() const { return m_workbench; }
    InspectorPage *inspectorPage() const { return m_inspector; }
    GraphPage *graphPage() const { return m_graph; }
    QuantizePage *quantizePage() const { return m_quantize; }
    ComparePage *comparePage() const { return m_compare; }
    TunePage *tunePage() const { return m_tune; }
    DiagnosticsDock *diagnosticsDock() const { return m_diagnostics; }
    QTabWidget *pages() const { return m_pages; }
    QString modelFactsText() const;

    // Loads a recipe (textproto) into the Quantize page and gives the Compare page its
    // preprocessing, so evaluation images become tensors as the calibration images do; false
    // after showing the error.
    bool applyRecipeFile(const QString &path);

signals:
    void modelOpened(const QString &path);
    void openFailed(const QString &path, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    // LanguageChange (Preferences switched the language): menus, tabs, title and status bar
    // again in the new language; the pages and the dock retranslate themselves.
    void changeEvent(QEvent *event) override;

private:
    // The jobs the user started: loading, quantizing, comparing, tuning.
    QList<JobController *> jobs() const;
    void loadModel(const QString &path);
    void cancelJobsAndWait();
    void createMenus();
    void retranslate();
    void connectGraphOverlays();
    void rebuildRecentMenu();
    void showModelFacts();
    void showError(const QString &title, const QString &message);
    void chooseModel();
    void openVariant();

    Workbench *m_workbench;
    JobController *m_loadJob;
    QTabWidget *m_pages;
    InspectorPage *m_inspector;
    GraphPage *m_graph;
    QuantizePage *m_quantize;
    ComparePage *m_compare;
    TunePage *m_tune;
    DiagnosticsDock *m_diagnostics;
    JobStatusWidget *m_jobStatus;
    QLabel *m_modelFacts;
    QMenu *m_recentMenu = nullptr;
    QPointer<QMessageBox> m_cancelJobsQuestion; // while one is open
};

} // namespace qs::ui
