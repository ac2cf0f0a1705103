#pragma once
// The variants of the open model: the FP32 reference (row 0), the files the Quantize page
// produced and any file opened as a variant. A table (file, kind, size, ratio to the reference)
// whose first column is checkable: the checked rows are what the Compare page benchmarks.

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace qs::ui {

struct Variant
{
    QString path;
    QString kind; // "FP32 reference", "INT8 static QDQ", "FP16", "opened file", ...
    qint64 sizeBytes = 0;
    bool isReference = false;
    bool checked = true; // included in the next comparison
};

class VariantListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FileColumn, KindColumn, SizeColumn, RatioColumn, ColumnCount };

    explicit VariantListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

    const QList<Variant> &variants() const { return m_variants; }
    const Variant &at(int row) const { return m_variants.at(row); }
    // Adds `variant`, or replaces the row with the same path (a re-run that overwrote the file).
    // Returns its row.
    int add(const Variant &variant);
    void remove(int row); // the reference (row 0) stays
    void clear();
    // Paths of the checked variants other than the reference, in row order.
    QStringList checkedVariantPaths() const;

private:
    QList<Variant> m_variants;
};

QString formatBytes(qint64 bytes);

} // namespace qs::ui
