#pragma once
// The recipe's exclusion lists (nodes_to_exclude, op_types_to_exclude) as two lists that mirror
// the Workbench: ticks in the inspector show up here, and Add / Remove here change the Workbench,
// so every page agrees on what Quantize will leave in float.

#include <QWidget>

#include <functional>

class QCompleter;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStringListModel;

namespace qs::ui {

class Workbench;

class ExclusionPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ExclusionPanel(Workbench *workbench, QWidget *parent = nullptr);

    QListWidget *nodeList() const { return m_nodes.list; }
    QListWidget *opTypeList() const { return m_opTypes.list; }

    // The Add fields' actions, also for tests: false (and problem()) for an unknown node.
    bool addNode(const QString &displayName);
    bool addOpType(const QString &opType);

signals:
    // A rejected entry, as a sentence naming it.
    void problem(const QString &message);

private:
    struct ListEditor
    {
        QListWidget *list = nullptr;
        QLineEdit *input = nullptr;
        QPushButton *remove = nullptr;
        QStringListModel *completions = nullptr;
    };
    QWidget *createEditor(ListEditor &editor, std::function<QString()> title, const QString &name,
                          std::function<QString()> placeholder);
    void syncFromWorkbench();
    void updateCompletions();
    void removeSelected(const ListEditor &editor);

    Workbench *m_workbench;
    ListEditor m_nodes;
    ListEditor m_opTypes;
};

} // namespace qs::ui
