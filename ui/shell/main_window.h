#pragma once
// The workbench window. For now: open a model (File > Open or the command line) off the GUI
// thread and show its summary; the inspector, quantize and compare pages come next.

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QPlainTextEdit;

namespace qs {
class Model;
}

namespace qs::ui {

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void openModel(const QString &path);

private:
    struct LoadOutcome
    {
        std::shared_ptr<const Model> model;
        QString error;
        QString summaryText;
    };
    void showLoaded();

    QPlainTextEdit *m_summaryView = nullptr;
    QFutureWatcher<LoadOutcome> m_loadWatcher;
    QString m_loadingPath;
};

} // namespace qs::ui
