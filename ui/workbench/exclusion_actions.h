#pragma once
// The "kept in float" actions of a node's context menu, one wording for every page that shows
// nodes (the Inspector's table, the Graph page's boxes): checkable, checked as the Workbench's
// exclusions stand, and toggling one changes those exclusions, which every page follows.

class QMenu;
class QString;

namespace qs::ui {

class Workbench;

// Adds "Keep node in float" (`nodeName`, a display name) and "Keep all <opType> nodes in float".
void addExclusionActions(QMenu &menu, Workbench &workbench, const QString &nodeName,
                         const QString &opType);

} // namespace qs::ui
