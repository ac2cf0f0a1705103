#include "table_height.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QStyle>
#include <QTableView>

namespace qs::ui {

int heightForRows(const QTableView *view, int rows)
{
    const QHeaderView *header = view->horizontalHeader();
    const int headerHeight = header->isHidden() ? 0 : header->sizeHint().height();
    const int scrollBar = view->horizontalScrollBarPolicy() == Qt::ScrollBarAlwaysOff
                              ? 0
                              : view->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr,
                                                           view->horizontalScrollBar());
    return headerHeight + rows * view->verticalHeader()->defaultSectionSize() + scrollBar
           + 2 * view->frameWidth();
}

void keepRowsVisible(QTableView *view, int rows)
{
    view->setMinimumHeight(heightForRows(view, rows));
}

} // namespace qs::ui
