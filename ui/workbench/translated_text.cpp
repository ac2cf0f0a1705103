#include "translated_text.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>

namespace qs::ui {

namespace {

class LanguageChangeFilter : public QObject
{
public:
    LanguageChangeFilter(QWidget *widget, std::function<void()> apply)
        : QObject(widget)
        , m_apply(std::move(apply))
    {}

    void setApply(std::function<void()> apply) { m_apply = std::move(apply); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::LanguageChange)
            m_apply();
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_apply;
};

} // namespace

void keepTranslated(QWidget *widget, std::function<void()> apply)
{
    apply();
    widget->installEventFilter(new LanguageChangeFilter(widget, std::move(apply)));
}

void keepTranslated(QWidget *widget, const QString &property, std::function<void()> apply)
{
    apply();
    // The filter for `property` is the widget's child of that name: found again, not stacked.
    const QString name = QStringLiteral("qs_translated_") + property;
    for (QObject *child : widget->children())
        if (auto *filter = dynamic_cast<LanguageChangeFilter *>(child);
            filter && filter->objectName() == name) {
            filter->setApply(std::move(apply));
            return;
        }
    auto *filter = new LanguageChangeFilter(widget, std::move(apply));
    filter->setObjectName(name);
    widget->installEventFilter(filter);
}

void setTranslatedText(QLabel *label, std::function<QString()> text)
{
    keepTranslated(label, QStringLiteral("text"),
                   [label, text = std::move(text)] { label->setText(text()); });
}

void setTranslatedText(QAbstractButton *button, std::function<QString()> text)
{
    keepTranslated(button, QStringLiteral("text"),
                   [button, text = std::move(text)] { button->setText(text()); });
}

void setTranslatedTitle(QGroupBox *group, std::function<QString()> title)
{
    keepTranslated(group, QStringLiteral("title"),
                   [group, title = std::move(title)] { group->setTitle(title()); });
}

void setTranslatedToolTip(QWidget *widget, std::function<QString()> toolTip)
{
    keepTranslated(widget, QStringLiteral("toolTip"),
                   [widget, toolTip = std::move(toolTip)] { widget->setToolTip(toolTip()); });
}

void setTranslatedPlaceholder(QLineEdit *edit, std::function<QString()> text)
{
    keepTranslated(edit, QStringLiteral("placeholder"),
                   [edit, text = std::move(text)] { edit->setPlaceholderText(text()); });
}

void addTranslatedItem(QComboBox *combo, std::function<QString()> text, const QVariant &data)
{
    combo->addItem(text(), data);
    // Found by its data when the language changes: items may have been removed or sorted.
    keepTranslated(combo, QStringLiteral("item_") + data.toString(),
                   [combo, data, text = std::move(text)] {
                       const int index = combo->findData(data);
                       if (index >= 0)
                           combo->setItemText(index, text());
                   });
}

void addTranslatedRow(QFormLayout *form, std::function<QString()> label, QWidget *field)
{
    auto *text = new QLabel(form->parentWidget());
    setTranslatedText(text, std::move(label));
    form->addRow(text, field);
}

void addTranslatedRow(QFormLayout *form, std::function<QString()> label, QLayout *field)
{
    auto *text = new QLabel(form->parentWidget());
    setTranslatedText(text, std::move(label));
    form->addRow(text, field);
}

} // namespace qs::ui
