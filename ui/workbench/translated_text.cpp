#include "translated_text.h"

#include <QAbstractButton>
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

void setTranslatedText(QLabel *label, std::function<QString()> text)
{
    keepTranslated(label, [label, text = std::move(text)] { label->setText(text()); });
}

void setTranslatedText(QAbstractButton *button, std::function<QString()> text)
{
    keepTranslated(button, [button, text = std::move(text)] { button->setText(text()); });
}

void setTranslatedTitle(QGroupBox *group, std::function<QString()> title)
{
    keepTranslated(group, [group, title = std::move(title)] { group->setTitle(title()); });
}

void setTranslatedToolTip(QWidget *widget, std::function<QString()> toolTip)
{
    keepTranslated(widget,
                   [widget, toolTip = std::move(toolTip)] { widget->setToolTip(toolTip()); });
}

void setTranslatedPlaceholder(QLineEdit *edit, std::function<QString()> text)
{
    keepTranslated(edit, [edit, text = std::move(text)] { edit->setPlaceholderText(text()); });
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
