#pragma once
// Texts that follow a language switched while the program runs. Qt sends every widget a
// LanguageChange when Preferences installs another translator; a widget given its text here
// sets it again then (a small event filter, the widget's child, calls the same tr() once more),
// so pages need no retranslateUi() listing every label, and a text stays written once, where
// the widget is made. Views re-ask their models on the repaint that follows, so models that call
// tr() in data()/headerData() need nothing.

#include <QAbstractButton>
#include <QGroupBox>
#include <QLabel>
#include <QString>
#include <QVariant>

#include <functional>
#include <type_traits>

class QComboBox;
class QFormLayout;
class QLayout;
class QLineEdit;
class QWidget;

namespace qs::ui {

// Calls `apply` now and after every language change `widget` receives.
void keepTranslated(QWidget *widget, std::function<void()> apply);
// The same for one property of the widget: a later call for the same `property` replaces the
// earlier `apply` instead of adding one, so texts set late and often (a status line, a
// placeholder that depends on the model) follow the language too, without piling up.
void keepTranslated(QWidget *widget, const QString &property, std::function<void()> apply);

// The common cases: `text` is a tr() call, evaluated now and after each language change. They
// may be called again on the same widget: the newest text is the one that follows the language
// (and a text set later with plain setText() is overwritten at the next switch, so a widget whose
// text follows the language is always given it through these).
void setTranslatedText(QLabel *label, std::function<QString()> text);
void setTranslatedText(QAbstractButton *button, std::function<QString()> text);
void setTranslatedTitle(QGroupBox *group, std::function<QString()> title);
void setTranslatedToolTip(QWidget *widget, std::function<QString()> toolTip);
void setTranslatedPlaceholder(QLineEdit *edit, std::function<QString()> text);
// A combo box item whose text follows the language; found again by `data` (unique in `combo`).
void addTranslatedItem(QComboBox *combo, std::function<QString()> text, const QVariant &data);
// A form row whose label follows the language: QFormLayout::addRow(label, field).
void addTranslatedRow(QFormLayout *form, std::function<QString()> label, QWidget *field);
void addTranslatedRow(QFormLayout *form, std::function<QString()> label, QLayout *field);

// A new label, button or group box whose text (title) follows the language.
template<typename W>
W *translated(std::function<QString()> text, QWidget *parent = nullptr)
{
    auto *widget = new W(parent);
    if constexpr (std::is_base_of_v<QGroupBox, W>)
        setTranslatedTitle(widget, std::move(text));
    else
        setTranslatedText(widget, std::move(text));
    return widget;
}

} // namespace qs::ui
