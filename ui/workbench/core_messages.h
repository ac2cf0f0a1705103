#pragma once
// Core's coded messages (util/messages.h) in the interface's language: one tr() template per
// MessageId, filled with the message's arguments and its cause, so lupdate lists every one and
// translations/quantscope_zh_CN.ts words them. A message with no code (a library's error, a
// checker finding) shows core's English. Called at display time, so a language switched while
// the program runs rewords what is already shown.

#include "util/diagnostic.h"
#include "util/status.h"

#include <QCoreApplication>
#include <QString>

namespace qs::ui {

class CoreMessages
{
    Q_DECLARE_TR_FUNCTIONS(CoreMessages)

public:
    // The template for `id` in the current language (%1.. for the arguments, then the cause);
    // empty for None.
    static QString pattern(MessageId id);
    // A message read back from strings (util/messages.h's messageToStrings, as a Report keeps
    // it) from `first` on, in the current language; empty when they do not read as one.
    static QString text(const std::vector<std::string> &strings, size_t first);
    static QString text(const Message &message);
    // The context a Status gathered ("model.onnx: ") stays as it is: paths and names.
    static QString text(const Status &status);
    static QString text(const Diagnostic &diagnostic);

private:
    // Progress steps (util/progress.h's reportStep): short, said while a job runs.
    static QString stepPattern(MessageId id);
    // What a sample source holds ("12 images in /data"), said in progress steps and reports.
    static QString dataPattern(MessageId id);
    // Notes of loading, quantizing and tuning (graph findings, preparation, recovery steps).
    static QString notePattern(MessageId id);
};

} // namespace qs::ui
