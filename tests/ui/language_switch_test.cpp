// Issue 16: switching the language in Preferences applies at once, without a restart: the menus,
// the pages' labels, the Diagnostics dock's title and headers, and core's coded messages in it
// are worded in Chinese, and in English again after switching back.
#include "diagnostics_dock.h"
#include "main_window.h"
#include "preferences_dialog.h"
#include "quantize/quantize_page.h"
#include "translations.h"
#include "ui_test_support.h"
#include "util/diagnostic.h"
#include "workbench/core_messages.h"
#include "workbench/settings.h"
#include "workbench/workbench.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QMenuBar>
#include <QPushButton>
#include <QtTest>

using namespace qs;
using namespace qs::ui;

namespace {

QString fileMenuTitle(MainWindow &window)
{
    const QList<QAction *> menus = window.menuBar()->actions();
    return menus.isEmpty() ? QString() : menus.first()->text();
}

QString perChannelText(MainWindow &window)
{
    auto *box = window.quantizePage()->findChild<QCheckBox *>(QStringLiteral("perChannel"));
    return box ? box->text() : QString();
}

QString dockCell(MainWindow &window, int row, int column)
{
    const DiagnosticsModel *model = window.diagnosticsDock()->model();
    return model->data(model->index(row, column)).toString();
}

QString dockHeader(MainWindow &window, int column)
{
    return window.diagnosticsDock()
        ->model()
        ->headerData(column, Qt::Horizontal, Qt::DisplayRole)
        .toString();
}

// Picks `language` in Edit > Preferences and presses OK, as a user does.
void choosePreferredLanguage(MainWindow &window, const QString &language)
{
    PreferencesDialog dialog(&window);
    auto *combo = dialog.findChildren<QComboBox *>().value(0);
    QVERIFY(combo);
    const int index = combo->findData(language);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    dialog.accept();
}

Diagnostic leftInFloatDiagnostic()
{
    return diagnosticOf(Severity::Warning,
                        makeMessage(MessageId::LeftInFloat, {"Conv", "float"},
                                    makeMessage(MessageId::ValueComputedFromInputs,
                                                {"bias", "b_add", "Add"})),
                        "conv2");
}

} // namespace

class LanguageSwitchTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::isolateSettings();
        settings::setLanguage(QStringLiteral("en"));
        installTranslations(*qApp, QStringLiteral("en"));
    }

    void cleanupTestCase() { installTranslations(*qApp, QStringLiteral("en")); }

    void everyCoreMessageIdHasAWording()
    {
        for (const MessageId id : allMessageIds())
            QVERIFY2(!CoreMessages::pattern(id).isEmpty(), messageCode(id).data());
    }

    void aCodedMessageReadsAsCoreInEnglish()
    {
        const Diagnostic diagnostic = leftInFloatDiagnostic();
        QCOMPARE(CoreMessages::text(diagnostic), QString::fromStdString(diagnostic.message));
        const Status status = Status(StatusCode::InvalidArgument,
                                     makeMessage(MessageId::EmptyModelFile))
                                  .withContext("m.onnx");
        QCOMPARE(CoreMessages::text(status), QString::fromStdString(status.message()));
    }

    void switchingLanguageAppliesWithoutRestart()
    {
        MainWindow window;
        window.workbench()->addDiagnostic(leftInFloatDiagnostic());
        window.workbench()->addMessage(Severity::Info, [] {
            return QuantizePage::tr("Quantization cancelled; %1 was not written.")
                .arg(QStringLiteral("out.onnx"));
        });
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const QString english = dockCell(window, 0, DiagnosticsModel::MessageColumn);
        QCOMPARE(english, QStringLiteral("Conv left in float: bias comes from node 'b_add' (Add), "
                                         "computed from the model's inputs, not a constant"));
        QCOMPARE(fileMenuTitle(window), QStringLiteral("&File"));
        QCOMPARE(window.pages()->tabText(2), QStringLiteral("Quantize"));
        QCOMPARE(perChannelText(window), QStringLiteral("Per-channel weight scales"));
        QCOMPARE(window.diagnosticsDock()->windowTitle(), QStringLiteral("Diagnostics"));

        choosePreferredLanguage(window, QStringLiteral("zh_CN"));
        QCOMPARE(settings::language(), QStringLiteral("zh_CN"));
        // The LanguageChange events are posted: the window is Chinese once they are delivered.
        QTRY_COMPARE(window.pages()->tabText(2), QStringLiteral("量化"));
        QCOMPARE(fileMenuTitle(window), QCoreApplication::translate("qs::ui::MainWindow", "&File"));
        QVERIFY(fileMenuTitle(window) != QStringLiteral("&File"));
        QCOMPARE(perChannelText(window), QCoreApplication::translate("qs::ui::QuantizeOptions",
                                                                     "Per-channel weight scales"));
        QVERIFY(perChannelText(window) != QStringLiteral("Per-channel weight scales"));
        QCOMPARE(window.diagnosticsDock()->windowTitle(), QStringLiteral("诊断"));
        QCOMPARE(dockHeader(window, DiagnosticsModel::MessageColumn), QStringLiteral("消息"));
        QCOMPARE(dockCell(window, 0, DiagnosticsModel::MessageColumn),
                 QStringLiteral("Conv 保留为浮点：bias 来自节点“b_add”（Add），由模型输入计算得出，"
                                "不是常量"));
        QCOMPARE(dockCell(window, 0, DiagnosticsModel::NodeColumn), QStringLiteral("conv2"));
        QVERIFY(dockCell(window, 1, DiagnosticsModel::MessageColumn)
                    .contains(QStringLiteral("out.onnx")));
        QVERIFY(!dockCell(window, 1, DiagnosticsModel::MessageColumn)
                     .contains(QStringLiteral("cancelled")));

        choosePreferredLanguage(window, QStringLiteral("en"));
        QTRY_COMPARE(window.pages()->tabText(2), QStringLiteral("Quantize"));
        QCOMPARE(fileMenuTitle(window), QStringLiteral("&File"));
        QCOMPARE(perChannelText(window), QStringLiteral("Per-channel weight scales"));
        QCOMPARE(window.diagnosticsDock()->windowTitle(), QStringLiteral("Diagnostics"));
        QCOMPARE(dockCell(window, 0, DiagnosticsModel::MessageColumn), english);
        // The menus were built again: still one of each, and their shortcuts still work.
        QCOMPARE(window.menuBar()->actions().size(), qsizetype(5));
    }
};

QTEST_MAIN(LanguageSwitchTest)
#include "language_switch_test.moc"
