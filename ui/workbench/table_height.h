#pragma once
// A table that a splitter or a small window may squeeze keeps room for a few rows: below that a
// user sees one row and a scroll bar (issue 16: at 1024x700 the Compare results showed one row,
// the Inspector's op-type table three).

class QTableView;

namespace qs::ui {

// The height of `view`'s header, `rows` rows at the default row height, a horizontal scroll bar
// and the frame: the least height at which `rows` rows stay in view.
int heightForRows(const QTableView *view, int rows);
// Makes that height `view`'s minimum. Call after the rows' height and the header are set up.
void keepRowsVisible(QTableView *view, int rows);

} // namespace qs::ui
