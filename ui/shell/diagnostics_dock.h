#pragma once
// The Diagnostics dock: checker warnings, shape-inference failures and job messages of the
// Workbench (severity, message, node). Activating a row that names a node selects that node.
// Rows are worded when shown (WorkbenchMessage::text), so a language switch rewords them.

#include "workbench/workbench.h"

#include <QAbstractTableModel>
#include <QDockWidget>

class QTableView;

namespace qs::ui {

class DiagnosticsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { SeverityColumn, MessageColumn, NodeColumn, ColumnCount };

    explicit DiagnosticsModel(Workbench *workbench, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const WorkbenchMessage &at(int row) const { return m_messages.at(row); }
    // Every row and header worded again (the language changed).
    void retranslate();

private:
    QList<WorkbenchMessage> m_messages;
};

class DiagnosticsDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit DiagnosticsDock(Workbench *workbench, QWidget *parent = nullptr);

    DiagnosticsModel *model() const { return m_model; }

signals:
    // A row naming a node was activated: the main window shows the inspector.
    void nodeActivated(int nodeId);

protected:
    void changeEvent(QEvent *event) override; // LanguageChange: title, headers, rows

private:
    void retranslate();

    Workbench *m_workbench;
    DiagnosticsModel *m_model;
    QTableView *m_view;
};

QString severityText(Severity severity);

} // namespace qs::ui
