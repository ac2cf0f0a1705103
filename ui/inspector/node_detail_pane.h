#pragma once
// The detail pane of the Workbench's selected node: its attributes, its inputs and outputs with
// element type and shape, and for every constant input (initializer or Constant node) the
// tensor's statistics and a histogram of its values. Decoding the constants (external data,
// millions of values) is a job off the GUI thread; selecting another node meanwhile drops its
// result (the Workbench's latest-request-wins rule).

#include "tensor_stats.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <memory>

class QCustomPlot;
class QLabel;
class QTreeWidget;
class QVBoxLayout;

namespace qs {
class Model;
}

namespace qs::ui {

class JobController;
class Workbench;

class NodeDetailPane : public QWidget
{
    Q_OBJECT

public:
    // One constant tensor the node reads (or, for a Constant node, produces).
    struct Constant
    {
        QString name;
        QString dtype; // "float32"
        QString shape; // "[16,3,3,3]"
        QString error; // why it could not be decoded; empty when `stats` holds its numbers
        TensorStats stats;
    };

    explicit NodeDetailPane(Workbench *workbench, QWidget *parent = nullptr);
    ~NodeDetailPane() override;

    int nodeId() const { return m_nodeId; }
    // Tall: splitters share their first layout by size hints, and the pane needs the height of
    // its lists plus a histogram (issue 16: at 1024x700 the histogram needed dragging).
    QSize sizeHint() const override;
    // Shows the node at once and its constants when decodeJob() has read them; -1 clears.
    void showNode(int nodeId);

    // What the pane shows, for tests. constants() is empty until constantsShown().
    JobController *decodeJob() const { return m_decodeJob; }
    const QList<Constant> &constants() const { return m_constants; }
    QList<QCustomPlot *> histograms() const { return m_histograms; }
    QTreeWidget *attributeView() const { return m_attributes; }
    QTreeWidget *valueView() const { return m_values; }

signals:
    // The constants of `nodeId` are decoded and shown.
    void constantsShown(int nodeId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void clearConstants();
    void decodeConstants(const std::shared_ptr<const Model> &model, int nodeId);
    void showConstants(QList<Constant> constants);
    void addConstantView(const Constant &constant);

    Workbench *m_workbench;
    JobController *m_decodeJob;
    int m_nodeId = -1;
    QLabel *m_title = nullptr;
    QTreeWidget *m_attributes = nullptr;
    QTreeWidget *m_values = nullptr;
    QWidget *m_constantBox = nullptr;
    QVBoxLayout *m_constantLayout = nullptr;
    QLabel *m_constantStatus = nullptr; // "Reading..." while the job runs
    QList<Constant> m_constants;
    QList<QCustomPlot *> m_histograms;
};

} // namespace qs::ui
