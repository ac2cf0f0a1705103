#include "diagnostics_dock.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QHeaderView>
#include <QStyle>
#include <QTableView>

namespace qs::ui {

QString severityText(Severity severity)
{
    switch (severity) {
    case Severity::Info: return DiagnosticsModel::tr("Info");
    case Severity::Warning: return DiagnosticsModel::tr("Warning");
    case Severity::Error: return DiagnosticsModel::tr("Error");
    }
    return QString();
}

DiagnosticsModel::DiagnosticsModel(Workbench *workbench, QObject *parent)
    : QAbstractTableModel(parent)
    , m_messages(workbench->messages())
{
    connect(workbench, &Workbench::messageAdded, this, [this](const WorkbenchMessage &message) {
        const int row = int(m_messages.size());
        beginInsertRows(QModelIndex(), row, row);
        m_messages.append(message);
        endInsertRows();
    });
    connect(workbench, &Workbench::messagesCleared, this, [this] {
        beginResetModel();
        m_messages.clear();
        endResetModel();
    });
}

int DiagnosticsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int DiagnosticsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiagnosticsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WorkbenchMessage &message = m_messages.at(index.row());
    if (role == Qt::DecorationRole && index.column() == SeverityColumn) {
        const QStyle::StandardPixmap icon = message.severity == Severity::Error
                                                ? QStyle::SP_MessageBoxCritical
                                            : message.severity == Severity::Warning
                                                ? QStyle::SP_MessageBoxWarning
                                                : QStyle::SP_MessageBoxInformation;
        return QApplication::style()->standardIcon(icon);
    }
    if (role == Qt::ToolTipRole && index.column() == MessageColumn)
        return message.text();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case SeverityColumn: return severityText(message.severity);
    case MessageColumn: return message.text();
    case NodeColumn: return message.node;
    }
    return {};
}

QVariant DiagnosticsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn: return tr("Severity");
    case MessageColumn: return tr("Message");
    case NodeColumn: return tr("Node");
    }
    return {};
}

void DiagnosticsModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_messages.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

DiagnosticsDock::DiagnosticsDock(Workbench *workbench, QWidget *parent)
    : QDockWidget(parent)
    , m_workbench(workbench)
    , m_model(new DiagnosticsModel(workbench, this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("DiagnosticsDock"));
    retranslate();
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(DiagnosticsModel::MessageColumn,
                                                     QHeaderView::Stretch);
    m_view->setWordWrap(false);
    setWidget(m_view);
    // New messages scroll into view: a failed job's reason is the newest row.
    connect(m_model, &QAbstractItemModel::rowsInserted, m_view,
            [this] { m_view->scrollToBottom(); });
    auto activate = [this](const QModelIndex &index) {
        if (!index.isValid())
            return;
        const int nodeId = m_workbench->nodeIdByName(m_model->at(index.row()).node);
        if (nodeId < 0)
            return;
        m_workbench->selectNode(nodeId);
        emit nodeActivated(nodeId);
    };
    connect(m_view, &QTableView::clicked, this, activate);
    connect(m_view, &QTableView::activated, this, activate);
}

void DiagnosticsDock::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        m_model->retranslate();
    }
    QDockWidget::changeEvent(event);
}

void DiagnosticsDock::retranslate()
{
    setWindowTitle(tr("Diagnostics"));
    // After the title, which QDockWidget copies into its toggle action without the mnemonic.
    toggleViewAction()->setText(tr("&Diagnostics"));
}

} // namespace qs::ui
