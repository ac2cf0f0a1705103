#include "exclusion_actions.h"

#include "workbench.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>

namespace qs::ui {

namespace {

// The translation context of these strings (they are not inside a QObject).
struct ExclusionActions
{
    Q_DECLARE_TR_FUNCTIONS(ExclusionActions)
};

} // namespace

void addExclusionActions(QMenu &menu, Workbench &workbench, const QString &nodeName,
                         const QString &opType)
{
    Workbench *shared = &workbench;
    QAction *excludeNode = menu.addAction(ExclusionActions::tr("Keep node in float"));
    excludeNode->setCheckable(true);
    excludeNode->setChecked(workbench.isNodeExcluded(nodeName));
    QObject::connect(excludeNode, &QAction::toggled, shared,
                     [shared, nodeName](bool on) { shared->setNodeExcluded(nodeName, on); });

    QAction *excludeType
        = menu.addAction(ExclusionActions::tr("Keep all %1 nodes in float").arg(opType));
    excludeType->setCheckable(true);
    excludeType->setChecked(workbench.isOpTypeExcluded(opType));
    QObject::connect(excludeType, &QAction::toggled, shared,
                     [shared, opType](bool on) { shared->setOpTypeExcluded(opType, on); });
}

} // namespace qs::ui
