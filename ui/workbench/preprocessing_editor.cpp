#include "preprocessing_editor.h"

#include "data/image_decoder.h"
#include "recipe_fields.h"
#include "translated_text.h"
#include "workbench.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>

namespace qs::ui {

using namespace recipe_fields;

namespace {

constexpr int kMaxSide = 16384;

// 0 is "the model's". A negative size (only a hand-written recipe has one) is shown as the
// number, so that core's message about it makes sense and the recipe comes back unchanged; once
// the user moves it to 0 or more, the field is an ordinary one again.
void showSize(QSpinBox *spin, int value)
{
    spin->setMinimum(std::min(0, value));
    keepTranslated(spin, QStringLiteral("specialValueText"), [spin, value] {
        spin->setSpecialValueText(value < 0 ? QString() : PreprocessingEditor::tr("model's"));
    });
    spin->setValue(value);
}

QSpinBox *sizeSpin(const QString &objectName, std::function<QString()> toolTip, QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(objectName);
    spin->setMaximum(kMaxSide);
    setTranslatedToolTip(spin, std::move(toolTip));
    showSize(spin, 0);
    return spin;
}

} // namespace

PreprocessingEditor::PreprocessingEditor(QWidget *parent)
    : QWidget(parent)
    , m_form(new QFormLayout(this))
    , m_height(sizeSpin(
          QStringLiteral("prepHeight"),
          [] {
              return PreprocessingEditor::tr(
                  "Image height; also the height of random inputs when the "
                  "model's height is dynamic");
          },
          this))
    , m_width(sizeSpin(
          QStringLiteral("prepWidth"),
          [] {
              return PreprocessingEditor::tr(
                  "Image width; also the width of random inputs when the model's "
                  "width is dynamic");
          },
          this))
    , m_pixelRange(new QComboBox(this))
    , m_mean(new QLineEdit(this))
    , m_std(new QLineEdit(this))
    , m_channelOrder(new QComboBox(this))
    , m_layout(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_problem(new QLabel(this))
{
    m_form->setContentsMargins(0, 0, 0, 0);
    auto *size = new QHBoxLayout;
    size->addWidget(m_height);
    size->addWidget(translated<QLabel>([] { return tr("x"); }, this));
    size->addWidget(m_width);
    size->addStretch();
    addTranslatedRow(
        m_form, [] { return tr("Height x width:"); }, size);

    m_pixelRange->setObjectName(QStringLiteral("prepPixelRange"));
    addChoice(
        m_pixelRange, [] { return PreprocessingEditor::tr("Default ([0,1])"); },
        quantscope::PIXEL_RANGE_UNSPECIFIED);
    addChoice(
        m_pixelRange, [] { return PreprocessingEditor::tr("[0,1]"); }, quantscope::PIXEL_RANGE_0_1);
    addChoice(
        m_pixelRange, [] { return PreprocessingEditor::tr("[0,255]"); },
        quantscope::PIXEL_RANGE_0_255);
    addTranslatedRow(
        m_form, [] { return tr("Pixel range:"); }, m_pixelRange);

    m_mean->setObjectName(QStringLiteral("prepMean"));
    setTranslatedPlaceholder(m_mean,
                             [] { return tr("none, or 1 or 3 values: 0.485, 0.456, 0.406"); });
    addTranslatedRow(
        m_form, [] { return tr("Mean:"); }, m_mean);
    m_std->setObjectName(QStringLiteral("prepStd"));
    setTranslatedPlaceholder(m_std,
                             [] { return tr("none, or 1 or 3 values: 0.229, 0.224, 0.225"); });
    addTranslatedRow(
        m_form, [] { return tr("Std:"); }, m_std);

    m_channelOrder->setObjectName(QStringLiteral("prepChannelOrder"));
    addChoice(
        m_channelOrder, [] { return PreprocessingEditor::tr("RGB"); }, 0);
    addChoice(
        m_channelOrder, [] { return PreprocessingEditor::tr("BGR"); }, 1);
    addTranslatedRow(
        m_form, [] { return tr("Channel order:"); }, m_channelOrder);

    m_layout->setObjectName(QStringLiteral("prepLayout"));
    addChoice(
        m_layout, [] { return PreprocessingEditor::tr("Default (NCHW)"); },
        quantscope::TENSOR_LAYOUT_UNSPECIFIED);
    addChoice(
        m_layout, [] { return PreprocessingEditor::tr("NCHW"); }, quantscope::TENSOR_LAYOUT_NCHW);
    addChoice(
        m_layout, [] { return PreprocessingEditor::tr("NHWC"); }, quantscope::TENSOR_LAYOUT_NHWC);
    addTranslatedRow(
        m_form, [] { return tr("Layout:"); }, m_layout);

    m_summary->setObjectName(QStringLiteral("prepSummary"));
    m_summary->setWordWrap(true);
    addTranslatedRow(
        m_form, [] { return tr("Each image:"); }, m_summary);

    m_problem->setObjectName(QStringLiteral("prepProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette palette = m_problem->palette();
    palette.setColor(QPalette::WindowText, QColor(192, 40, 40));
    m_problem->setPalette(palette);
    m_form->addRow(m_problem);

    for (QSpinBox *spin : {m_height, m_width})
        connect(spin, &QSpinBox::valueChanged, this, &PreprocessingEditor::onEdited);
    for (QComboBox *combo : {m_pixelRange, m_channelOrder, m_layout})
        connect(combo, &QComboBox::currentIndexChanged, this, &PreprocessingEditor::onEdited);
    for (QLineEdit *edit : {m_mean, m_std})
        connect(edit, &QLineEdit::textChanged, this, &PreprocessingEditor::onEdited);
    updateEnabled();
    onEdited();
}

quantscope::ImagePreprocessing PreprocessingEditor::fields() const
{
    quantscope::ImagePreprocessing prep;
    prep.set_height(m_height->value());
    prep.set_width(m_width->value());
    prep.set_pixel_range(quantscope::PixelRange(choice(m_pixelRange)));
    if (const auto mean = parseFloats(m_mean->text()))
        for (const float value : *mean)
            prep.add_mean(value);
    if (const auto stddev = parseFloats(m_std->text()))
        for (const float value : *stddev)
            prep.add_std(value);
    prep.set_bgr(choice(m_channelOrder) == 1);
    prep.set_layout(quantscope::TensorLayout(choice(m_layout)));
    return prep;
}

quantscope::ImagePreprocessing PreprocessingEditor::value() const
{
    quantscope::ImagePreprocessing prep = fields();
    if (m_shapeOnly) {
        prep.clear_pixel_range();
        prep.clear_mean();
        prep.clear_std();
        prep.clear_bgr();
    }
    return prep;
}

void PreprocessingEditor::setValue(const quantscope::ImagePreprocessing &prep)
{
    showSize(m_height, prep.height());
    showSize(m_width, prep.width());
    setChoice(m_pixelRange, prep.pixel_range());
    m_mean->setText(joinFloats(prep.mean()));
    m_std->setText(joinFloats(prep.std()));
    setChoice(m_channelOrder, prep.bgr() ? 1 : 0);
    setChoice(m_layout, prep.layout());
}

void PreprocessingEditor::setShapeOnly(bool shapeOnly)
{
    if (shapeOnly == m_shapeOnly)
        return;
    m_shapeOnly = shapeOnly;
    updateEnabled();
    onEdited();
}

QString PreprocessingEditor::problem() const
{
    if (!m_shapeOnly) {
        for (const QLineEdit *edit : {m_mean, m_std}) {
            if (!parseFloats(edit->text()))
                return tr("%1: '%2' is not a list of numbers.")
                    .arg(edit == m_mean ? tr("Mean") : tr("Std"), edit->text());
        }
    }
    const Status status = checkImagePreprocessing(value());
    return status ? QString() : QString::fromStdString(status.message());
}

QString PreprocessingEditor::summary() const
{
    return describe(fields());
}

QString PreprocessingEditor::describe(const quantscope::ImagePreprocessing &prep)
{
    QStringList steps;
    if (prep.height() > 0 && prep.width() > 0)
        steps.append(tr("resize to %1x%2").arg(prep.height()).arg(prep.width()));
    else if (prep.height() > 0 || prep.width() > 0)
        steps.append(tr("resize to %1x%2 (0: the model's)").arg(prep.height()).arg(prep.width()));
    else
        steps.append(tr("resize to the model's input size"));
    steps.append(prep.pixel_range() == quantscope::PIXEL_RANGE_0_255 ? tr("keep [0,255]")
                                                                     : tr("scale to [0,1]"));
    if (!prep.mean().empty())
        steps.append(tr("subtract mean (%1)").arg(joinFloats(prep.mean())));
    if (!prep.std().empty())
        steps.append(tr("divide by std (%1)").arg(joinFloats(prep.std())));
    steps.append(prep.bgr() ? tr("BGR") : tr("RGB"));
    steps.append(prep.layout() == quantscope::TENSOR_LAYOUT_NHWC ? tr("NHWC") : tr("NCHW"));
    return steps.join(tr(", "));
}

void PreprocessingEditor::shareWith(Workbench *workbench)
{
    m_shared = workbench;
    m_showingShared = true;
    setValue(workbench->preprocessing());
    m_showingShared = false;
    connect(this, &PreprocessingEditor::changed, workbench, [this] {
        if (m_showingShared)
            return;
        m_publishing = true;
        m_shared->setPreprocessing(fields());
        m_publishing = false;
    });
    connect(workbench, &Workbench::preprocessingChanged, this, [this] {
        if (m_publishing)
            return; // the user is typing here: the field keeps its text as typed
        m_showingShared = true;
        setValue(m_shared->preprocessing());
        m_showingShared = false;
    });
}

void PreprocessingEditor::onEdited()
{
    for (QSpinBox *spin : {m_height, m_width}) {
        if (spin->minimum() < 0 && spin->value() >= 0)
            showSize(spin, spin->value());
    }
    // Worded again, from the fields of that moment, when the language changes.
    setTranslatedText(m_summary, [this] { return summary(); });
    const QString text = problem();
    setTranslatedText(m_problem, [this] { return problem(); });
    m_form->setRowVisible(m_problem, !text.isEmpty());
    emit changed();
}

void PreprocessingEditor::updateEnabled()
{
    for (QWidget *field :
         std::initializer_list<QWidget *>{m_pixelRange, m_mean, m_std, m_channelOrder})
        field->setEnabled(!m_shapeOnly);
    // What each image goes through means nothing for random inputs.
    m_form->setRowVisible(m_summary, !m_shapeOnly);
}

} // namespace qs::ui
