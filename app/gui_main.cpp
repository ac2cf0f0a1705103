// quantscope: the Qt workbench. All behaviour lives in ui/ (quantscope_ui).
//   quantscope [MODEL.onnx] [--recipe FILE] [--calibration-folder DIR] [--screenshot PNG]
// --screenshot saves the window once the model has loaded and quits (the Xvfb smoke test).
#include "main_window.h"
#include "quantize/quantize_page.h"
#include "translations.h"
#include "workbench/settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Quantscope"));
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));
    QApplication::setApplicationVersion(QStringLiteral(QUANTSCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("quantscope"));
    qs::ui::installTranslations(app, qs::ui::settings::language());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Inspect and quantize ONNX models."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QApplication::translate("main", "The ONNX model to open."));
    const QCommandLineOption
        recipe(QStringLiteral("recipe"),
               QApplication::translate("main",
                                       "Preset the Quantize page from a recipe (.textproto)."),
               QStringLiteral("file"));
    const QCommandLineOption calibration(QStringLiteral("calibration-folder"),
                                         QApplication::translate("main",
                                                                 "Preset the calibration folder."),
                                         QStringLiteral("dir"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a screenshot once the model has loaded, then quit."),
        QStringLiteral("png"));
    parser.addOption(recipe);
    parser.addOption(calibration);
    parser.addOption(screenshot);
    parser.process(app);

    qs::ui::MainWindow window;
    window.show();
    if (parser.isSet(recipe))
        window.applyRecipeFile(parser.value(recipe));
    if (parser.isSet(calibration))
        window.quantizePage()->setCalibrationFolder(parser.value(calibration));
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        auto grab = [&window, file] {
            // One more turn of the event loop so the pages have laid out the new model.
            QTimer::singleShot(500, &window, [&window, file] {
                const bool saved = window.grab().save(file);
                QApplication::exit(saved ? 0 : 1);
            });
        };
        QObject::connect(&window, &qs::ui::MainWindow::modelOpened, &window, grab);
        QObject::connect(&window, &qs::ui::MainWindow::openFailed, &window,
                         [] { QApplication::exit(2); });
        if (parser.positionalArguments().isEmpty())
            grab();
    }
    if (!parser.positionalArguments().isEmpty())
        window.openModel(parser.positionalArguments().front());
    return QApplication::exec();
}
