#include "exclusion_panel.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "workbench/translated_text.h"
#include "workbench/workbench.h"

#include <QCompleter>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QStringListModel>
#include <QVBoxLayout>

namespace qs::ui {

ExclusionPanel::ExclusionPanel(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createEditor(
        m_nodes, [] { return tr("Nodes kept in float"); }, QStringLiteral("excludedNodes"),
        [] { return tr("Node name"); }));
    layout->addWidget(createEditor(
        m_opTypes, [] { return tr("Op types kept in float"); }, QStringLiteral("excludedOpTypes"),
        [] { return tr("Op type, e.g. Softmax"); }));
    connect(m_workbench, &Workbench::exclusionsChanged, this, &ExclusionPanel::syncFromWorkbench);
    connect(m_workbench, &Workbench::modelChanged, this, &ExclusionPanel::updateCompletions);
    updateCompletions();
    syncFromWorkbench();
}

QWidget *ExclusionPanel::createEditor(ListEditor &editor, std::function<QString()> title,
                                      const QString &name, std::function<QString()> placeholder)
{
    auto *group = translated<QGroupBox>(std::move(title), this);
    auto *layout = new QVBoxLayout(group);
    editor.list = new QListWidget(group);
    editor.list->setObjectName(name);
    editor.list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    editor.list->setMaximumHeight(180); // a long list scrolls; the page's other groups stay in view
    layout->addWidget(editor.list);

    auto *row = new QHBoxLayout;
    editor.input = new QLineEdit(group);
    editor.input->setObjectName(name + QStringLiteral("Input"));
    setTranslatedPlaceholder(editor.input, std::move(placeholder));
    editor.completions = new QStringListModel(this);
    auto *completer = new QCompleter(editor.completions, editor.input);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    editor.input->setCompleter(completer);
    auto *add = translated<QPushButton>([] { return tr("Add"); }, group);
    editor.remove = translated<QPushButton>([] { return tr("Remove"); }, group);
    editor.remove->setObjectName(name + QStringLiteral("Remove"));
    editor.remove->setEnabled(false);
    row->addWidget(editor.input, 1);
    row->addWidget(add);
    row->addWidget(editor.remove);
    layout->addLayout(row);

    const bool nodes = &editor == &m_nodes;
    auto addTyped = [this, nodes, input = editor.input] {
        const QString text = input->text().trimmed();
        if (text.isEmpty())
            return;
        if (nodes ? addNode(text) : addOpType(text))
            input->clear();
    };
    connect(add, &QPushButton::clicked, this, addTyped);
    connect(editor.input, &QLineEdit::returnPressed, this, addTyped);
    connect(editor.remove, &QPushButton::clicked, this,
            [this, nodes] { removeSelected(nodes ? m_nodes : m_opTypes); });
    connect(editor.list, &QListWidget::itemSelectionChanged, editor.remove,
            [list = editor.list, remove = editor.remove] {
                remove->setEnabled(!list->selectedItems().isEmpty());
            });
    return group;
}

bool ExclusionPanel::addNode(const QString &displayName)
{
    // Core would reject an unknown name when quantizing; saying so now names the typo.
    if (m_workbench->model() && m_workbench->nodeIdByName(displayName) < 0) {
        emit problem(tr("The model has no node named '%1'.").arg(displayName));
        return false;
    }
    m_workbench->setNodeExcluded(displayName, true);
    return true;
}

bool ExclusionPanel::addOpType(const QString &opType)
{
    m_workbench->setOpTypeExcluded(opType, true);
    return true;
}

void ExclusionPanel::removeSelected(const ListEditor &editor)
{
    QStringList names;
    for (const QListWidgetItem *item : editor.list->selectedItems())
        names.append(item->text());
    QStringList nodes = m_workbench->excludedNodes();
    QStringList opTypes = m_workbench->excludedOpTypes();
    QStringList &target = &editor == &m_nodes ? nodes : opTypes;
    for (const QString &name : names)
        target.removeAll(name);
    // One change, one exclusionsChanged() for the whole selection.
    m_workbench->setExclusions(nodes, opTypes);
}

void ExclusionPanel::syncFromWorkbench()
{
    const auto fill = [](QListWidget *list, const QStringList &names) {
        QStringList current;
        for (int row = 0; row < list->count(); ++row)
            current.append(list->item(row)->text());
        if (current == names)
            return; // keeps the selection when nothing changed
        list->clear();
        list->addItems(names);
    };
    fill(m_nodes.list, m_workbench->excludedNodes());
    fill(m_opTypes.list, m_workbench->excludedOpTypes());
}

void ExclusionPanel::updateCompletions()
{
    QStringList nodes;
    QSet<QString> opTypes;
    if (const auto &model = m_workbench->model()) {
        for (const NodeInfo &node : model->index().nodes()) {
            nodes.append(QString::fromStdString(node.displayName));
            opTypes.insert(QString::fromStdString(node.opType));
        }
    }
    QStringList opTypeList(opTypes.begin(), opTypes.end());
    opTypeList.sort();
    m_nodes.completions->setStringList(nodes);
    m_opTypes.completions->setStringList(opTypeList);
}

} // namespace qs::ui
