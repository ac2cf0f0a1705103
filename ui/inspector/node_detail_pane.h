#pragma once
// The detail pane of the Workbench's selected node: its attributes, its inputs and outputs with
// element type and shape, and for every constant input (initializer or Constant node) the
// tensor's statistics and a histogram of its values.

#include "tensor_stats.h"

#include <QList>
#include <QString>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QTreeWidget;
class QVBoxLayout;

namespace qs::ui {

class Workbench;

class NodeDetailPane : public QWidget
{
    Q_OBJECT

public:
    // One constant tensor the node reads (or, for a Constant node, produces).
    struct Constant
    {
        QString name;
        QString dtype;  // "float32"
        QString shape;  // "[16,3,3,3]"
        QString error;  // why it could not be decoded; empty when `stats` holds its numbers
        TensorStats stats;
    };

    explicit NodeDetailPane(Workbench *workbench, QWidget *parent = nullptr);
    ~NodeDetailPane() override;

    int nodeId() const { return m_nodeId; }
    void showNode(int nodeId); // -1 clears the pane

    // What the pane shows, for tests.
    const QList<Constant> &constants() const { return m_constants; }
    QList<QCustomPlot *> histograms() const { return m_histograms; }
    QTreeWidget *attributeView() const { return m_attributes; }
    QTreeWidget *valueView() const { return m_values; }

private:
    void clearConstants();
    void addConstantView(const Constant &constant);

    Workbench *m_workbench;
    int m_nodeId = -1;
    QLabel *m_title = nullptr;
    QTreeWidget *m_attributes = nullptr;
    QTreeWidget *m_values = nullptr;
    QWidget *m_constantBox = nullptr;
    QVBoxLayout *m_constantLayout = nullptr;
    QList<Constant> m_constants;
    QList<QCustomPlot *> m_histograms;
};

} // namespace qs::ui
