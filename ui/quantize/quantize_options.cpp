#include "quantize_options.h"

#include "quant/dynamic_quantizer.h"
#include "quant/fp16_converter.h"
#include "quant/static_plan.h"
#include "workbench/recipe_fields.h"
#include "workbench/translated_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QVBoxLayout>

namespace qs::ui {

using namespace recipe_fields;

namespace {

QString defaultsText(const std::vector<std::string> &names)
{
    QStringList list;
    for (const std::string &name : names)
        list.append(QString::fromStdString(name));
    return list.join(QStringLiteral(", "));
}

QLineEdit *lineEdit(QWidget *parent, const char *objectName,
                    std::function<QString()> placeholder = {})
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QString::fromLatin1(objectName));
    if (placeholder)
        setTranslatedPlaceholder(edit, std::move(placeholder));
    return edit;
}

QComboBox *comboBox(QWidget *parent, const char *objectName)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QString::fromLatin1(objectName));
    return combo;
}

} // namespace

QuantizeOptions::QuantizeOptions(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *modeForm = new QFormLayout;
    m_mode = comboBox(this, "mode");
    addChoice(
        m_mode, [] { return QuantizeOptions::tr("INT8 dynamic"); }, quantscope::QUANT_MODE_DYNAMIC);
    addChoice(
        m_mode, [] { return QuantizeOptions::tr("INT8 static (calibrated)"); },
        quantscope::QUANT_MODE_STATIC);
    addChoice(
        m_mode, [] { return QuantizeOptions::tr("FP16"); }, quantscope::QUANT_MODE_FP16);
    addTranslatedRow(
        modeForm, [] { return tr("Mode:"); }, m_mode);
    layout->addLayout(modeForm);
    layout->addWidget(createInt8Group());
    layout->addWidget(createFp16Group());

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateForMode();
        emit modeChanged(mode());
        emit changed();
    });
    updateForMode();
}

QWidget *QuantizeOptions::createInt8Group()
{
    m_int8Group = translated<QGroupBox>([] { return tr("INT8 options"); }, this);
    auto *form = new QFormLayout(m_int8Group);
    m_format = comboBox(m_int8Group, "format");
    addChoice(
        m_format, [] { return QuantizeOptions::tr("Default (QDQ)"); },
        quantscope::QUANT_FORMAT_UNSPECIFIED);
    addChoice(
        m_format, [] { return QuantizeOptions::tr("QDQ (QuantizeLinear/DequantizeLinear pairs)"); },
        quantscope::QUANT_FORMAT_QDQ);
    addChoice(
        m_format, [] { return QuantizeOptions::tr("QOperator (QLinearConv, QLinearMatMul, ...)"); },
        quantscope::QUANT_FORMAT_QOPERATOR);
    addTranslatedRow(
        form, [] { return tr("Format:"); }, m_format);

    m_weightType = comboBox(m_int8Group, "weightType");
    m_activationType = comboBox(m_int8Group, "activationType");
    addChoice(
        m_weightType, [] { return QuantizeOptions::tr("Default (int8)"); },
        quantscope::QUANT_TYPE_UNSPECIFIED);
    addChoice(
        m_activationType, [] { return QuantizeOptions::tr("Default (uint8)"); },
        quantscope::QUANT_TYPE_UNSPECIFIED);
    for (QComboBox *combo : {m_weightType, m_activationType}) {
        addChoice(
            combo, [] { return QuantizeOptions::tr("int8"); }, quantscope::QUANT_TYPE_INT8);
        addChoice(
            combo, [] { return QuantizeOptions::tr("uint8"); }, quantscope::QUANT_TYPE_UINT8);
    }
    addTranslatedRow(
        form, [] { return tr("Weight type:"); }, m_weightType);
    addTranslatedRow(
        form, [] { return tr("Activation type:"); }, m_activationType);

    m_perChannel = translated<QCheckBox>([] { return tr("Per-channel weight scales"); },
                                         m_int8Group);
    m_perChannel->setObjectName(QStringLiteral("perChannel"));
    form->addRow(QString(), m_perChannel);
    m_reduceRange = comboBox(m_int8Group, "reduceRange");
    addTriStateChoices(m_reduceRange, [] {
        return QuantizeOptions::tr("Default (on for int8 weights with uint8 activations)");
    });
    addTranslatedRow(
        form, [] { return tr("Reduce range (7-bit weights):"); }, m_reduceRange);
    m_symmetricActivations = translated<QCheckBox>([] { return tr("Symmetric activations"); },
                                                   m_int8Group);
    m_symmetricActivations->setObjectName(QStringLiteral("symmetricActivations"));
    form->addRow(QString(), m_symmetricActivations);
    m_symmetricWeights = comboBox(m_int8Group, "symmetricWeights");
    addTriStateChoices(m_symmetricWeights,
                       [] { return QuantizeOptions::tr("Default (symmetric for int8 weights)"); });
    addTranslatedRow(
        form, [] { return tr("Symmetric weights:"); }, m_symmetricWeights);

    m_opTypes = lineEdit(m_int8Group, "opTypesToQuantize");
    addTranslatedRow(
        form, [] { return tr("Op types to quantize:"); }, m_opTypes);
    m_nodes = lineEdit(m_int8Group, "nodesToQuantize",
                       [] { return QuantizeOptions::tr("All nodes of those op types"); });
    addTranslatedRow(
        form, [] { return tr("Only these nodes:"); }, m_nodes);

    for (QComboBox *combo :
         {m_format, m_weightType, m_activationType, m_reduceRange, m_symmetricWeights})
        connect(combo, &QComboBox::currentIndexChanged, this, &QuantizeOptions::changed);
    for (QCheckBox *box : {m_perChannel, m_symmetricActivations})
        connect(box, &QCheckBox::toggled, this, &QuantizeOptions::changed);
    for (QLineEdit *edit : {m_opTypes, m_nodes})
        connect(edit, &QLineEdit::textChanged, this, &QuantizeOptions::changed);
    return m_int8Group;
}

QWidget *QuantizeOptions::createFp16Group()
{
    m_fp16Group = translated<QGroupBox>([] { return tr("FP16 options"); }, this);
    auto *form = new QFormLayout(m_fp16Group);
    m_keepIoTypes = translated<QCheckBox>([] { return tr("Keep float32 inputs and outputs"); },
                                          m_fp16Group);
    m_keepIoTypes->setObjectName(QStringLiteral("keepIoTypes"));
    form->addRow(QString(), m_keepIoTypes);
    // The converter's own list, not the user's exclusions: those are the page's "kept in float"
    // lists, which every mode reads.
    m_opBlockList = lineEdit(m_fp16Group, "fp16OpBlockList", [] {
        return QuantizeOptions::tr("Default: %1").arg(defaultsText(defaultFp16OpBlockList()));
    });
    setTranslatedToolTip(m_opBlockList, [] {
        return QuantizeOptions::tr(
            "Op types the FP16 conversion never converts, because their float16 kernels are "
            "missing or lose too much (onnxconverter-common's list by default). To keep other "
            "nodes or op types in float, add them to the lists kept in float, which apply to "
            "every mode.");
    });
    addTranslatedRow(
        form, [] { return tr("Op types without float16 kernels:"); }, m_opBlockList);
    m_minPositive = lineEdit(m_fp16Group, "fp16MinPositive",
                             [] { return QuantizeOptions::tr("Default (1e-07)"); });
    addTranslatedRow(
        form, [] { return tr("Smallest positive value:"); }, m_minPositive);
    m_maxFinite = lineEdit(m_fp16Group, "fp16MaxFinite",
                           [] { return QuantizeOptions::tr("Default (10000)"); });
    addTranslatedRow(
        form, [] { return tr("Largest finite value:"); }, m_maxFinite);
    connect(m_keepIoTypes, &QCheckBox::toggled, this, &QuantizeOptions::changed);
    for (QLineEdit *edit : {m_opBlockList, m_minPositive, m_maxFinite})
        connect(edit, &QLineEdit::textChanged, this, &QuantizeOptions::changed);
    return m_fp16Group;
}

quantscope::QuantMode QuantizeOptions::mode() const
{
    return quantscope::QuantMode(choice(m_mode));
}

void QuantizeOptions::setMode(quantscope::QuantMode mode)
{
    setChoice(m_mode, mode);
}

void QuantizeOptions::updateForMode()
{
    const auto current = mode();
    const bool isStatic = current == quantscope::QUANT_MODE_STATIC;
    const bool fp16 = current == quantscope::QUANT_MODE_FP16;
    m_int8Group->setVisible(!fp16);
    m_fp16Group->setVisible(fp16);
    // Dynamic quantization has no format (it writes *Integer ops) and only uint8 activations.
    m_format->setEnabled(isStatic);
    m_activationType->setEnabled(isStatic);
    m_symmetricActivations->setEnabled(isStatic);
    setTranslatedPlaceholder(m_opTypes, [isStatic] {
        return QuantizeOptions::tr("Default: %1")
            .arg(defaultsText(isStatic ? defaultStaticOpTypes() : defaultDynamicOpTypes()));
    });
}

void QuantizeOptions::read(quantscope::Recipe &recipe) const
{
    recipe.set_mode(mode());
    if (mode() == quantscope::QUANT_MODE_FP16) {
        auto &fp16 = *recipe.mutable_fp16();
        fp16.set_keep_io_types(m_keepIoTypes->isChecked());
        setList(*fp16.mutable_op_block_list(), splitList(m_opBlockList->text()));
        fp16.set_min_positive_val(parseFloat(m_minPositive->text()).value_or(0.0f));
        fp16.set_max_finite_val(parseFloat(m_maxFinite->text()).value_or(0.0f));
        return;
    }
    // The widgets disabled in dynamic mode keep what static mode had; the recipe does not.
    if (mode() == quantscope::QUANT_MODE_STATIC) {
        recipe.set_format(quantscope::QuantFormat(choice(m_format)));
        recipe.set_activation_type(quantscope::QuantType(choice(m_activationType)));
        recipe.set_symmetric_activations(m_symmetricActivations->isChecked());
    }
    recipe.set_weight_type(quantscope::QuantType(choice(m_weightType)));
    recipe.set_per_channel(m_perChannel->isChecked());
    if (const auto reduce = triState(m_reduceRange))
        recipe.set_reduce_range(*reduce);
    else
        recipe.clear_reduce_range();
    if (const auto symmetric = triState(m_symmetricWeights))
        recipe.set_symmetric_weights(*symmetric);
    else
        recipe.clear_symmetric_weights();
    setList(*recipe.mutable_op_types_to_quantize(), splitList(m_opTypes->text()));
    setList(*recipe.mutable_nodes_to_quantize(), splitList(m_nodes->text()));
}

void QuantizeOptions::apply(const quantscope::Recipe &recipe)
{
    setMode(recipe.mode() == quantscope::QUANT_MODE_UNSPECIFIED ? quantscope::QUANT_MODE_DYNAMIC
                                                                : recipe.mode());
    setChoice(m_format, recipe.format());
    setChoice(m_weightType, recipe.weight_type());
    setChoice(m_activationType, recipe.activation_type());
    m_perChannel->setChecked(recipe.per_channel());
    setTriState(m_reduceRange,
                recipe.has_reduce_range() ? std::optional(recipe.reduce_range()) : std::nullopt);
    m_symmetricActivations->setChecked(recipe.symmetric_activations());
    setTriState(m_symmetricWeights, recipe.has_symmetric_weights()
                                        ? std::optional(recipe.symmetric_weights())
                                        : std::nullopt);
    m_opTypes->setText(joinList(recipe.op_types_to_quantize()));
    m_nodes->setText(joinList(recipe.nodes_to_quantize()));
    const auto &fp16 = recipe.fp16();
    m_keepIoTypes->setChecked(fp16.keep_io_types());
    m_opBlockList->setText(joinList(fp16.op_block_list()));
    m_minPositive->setText(fp16.min_positive_val() != 0.0f ? formatFloat(fp16.min_positive_val())
                                                           : QString());
    m_maxFinite->setText(fp16.max_finite_val() != 0.0f ? formatFloat(fp16.max_finite_val())
                                                       : QString());
}

void QuantizeOptions::resetModelSettings()
{
    m_nodes->clear();
}

QString QuantizeOptions::validate() const
{
    if (mode() != quantscope::QUANT_MODE_FP16)
        return QString();
    for (QLineEdit *edit : {m_minPositive, m_maxFinite}) {
        if (edit->text().trimmed().isEmpty())
            continue;
        const auto value = parseFloat(edit->text());
        if (!value || !(*value > 0))
            return tr("%1: '%2' is not a positive number.")
                .arg(edit == m_minPositive ? tr("Smallest positive value")
                                           : tr("Largest finite value"),
                     edit->text());
    }
    return QString();
}

} // namespace qs::ui
