#pragma once
// The workbench's shared state, owned by the main window and handed to every page: the open
// model, the exclusion lists the user builds by clicking (nodes by display name, op types), the
// selected node, the variants produced or opened, the messages of the Diagnostics dock, and the
// tickets that decide whether a job's result is still wanted.
// Pages never talk to each other; they change this object and react to its signals.

#include "model/model_summary.h"
#include "quantscope.pb.h"
#include "settings.h"
#include "util/diagnostic.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace qs {
class Model;
}

namespace qs::ui {

class VariantListModel;

struct WorkbenchMessage
{
    Severity severity = Severity::Info;
    QString message; // as worded when it was added
    QString node;    // display name, empty when about the model or a job
    // Words the message again in the interface's language (a tr() call, core's coded message),
    // so that the Diagnostics dock follows a language switch; null for text that has no other
    // wording (a path, a library's error).
    std::function<QString()> words;

    QString text() const { return words ? words() : message; }
};

class Workbench : public QObject
{
    Q_OBJECT

public:
    explicit Workbench(QObject *parent = nullptr);
    ~Workbench() override;

    // The model every page shows; null before the first successful open.
    const std::shared_ptr<const Model> &model() const { return m_model; }
    QString modelPath() const { return m_modelPath; }
    // summarize(model()), computed once per model for every page that shows totals.
    const ModelSummary &summary() const { return m_summary; }
    // Replaces the model: clears exclusions, selection, messages and variants, lists the model's
    // diagnostics as messages and adds the model itself as the reference variant.
    void setModel(std::shared_ptr<const Model> model, const QString &path);

    // Exclusions, in the recipe's vocabulary: nodes_to_exclude (display names) and
    // op_types_to_exclude.
    bool isNodeExcluded(const QString &node) const { return m_excludedNodes.contains(node); }
    bool isOpTypeExcluded(const QString &opType) const
    {
        return m_excludedOpTypes.contains(opType);
    }
    void setNodeExcluded(const QString &node, bool excluded);
    void setOpTypeExcluded(const QString &opType, bool excluded);
    void setExclusions(const QStringList &nodes, const QStringList &opTypes);
    QStringList excludedNodes() const;   // sorted
    QStringList excludedOpTypes() const; // sorted

    // The node shown in the detail pane and highlighted in the table; -1 for none.
    int selectedNode() const { return m_selectedNode; }
    void selectNode(int nodeId);
    // The node id of a display name, or -1.
    int nodeIdByName(const QString &displayName) const;

    VariantListModel *variants() const { return m_variants; }

    // How this model's images become tensors: one value shared by the Quantize page's
    // calibration, the Compare page's evaluation data and the Tune page, so that it is set once
    // per model (every PreprocessingEditor::shareWith() this Workbench shows and edits it).
    // Empty again when a model opens.
    const quantscope::ImagePreprocessing &preprocessing() const { return m_preprocessing; }
    void setPreprocessing(const quantscope::ImagePreprocessing &prep);

    // Where a file dialog of `kind` opens: the folder last used for that kind since the open
    // model was opened, else the open model's folder, else the folder remembered from an earlier
    // session (settings::lastFolder), else home. Never the process's working directory.
    QString dialogFolder(settings::Folder kind) const;
    // A dialog of `kind` chose `pathInside` (a file or a folder): the next one starts there, in
    // this session and (settings::setLastFolder) the next.
    void rememberDialogFolder(settings::Folder kind, const QString &pathInside);

    const QList<WorkbenchMessage> &messages() const { return m_messages; }
    void addMessage(Severity severity, const QString &message, const QString &node = QString());
    // A message worded by `words` now and again whenever the language changes.
    void addMessage(Severity severity, std::function<QString()> words,
                    const QString &node = QString());
    // Core's diagnostic, worded by its code (CoreMessages) when it has one.
    void addDiagnostic(const Diagnostic &diagnostic);

    // Latest request wins (Hotspot's job ids), one rule for every job of every page: a job takes
    // a ticket from its requester (its JobController) when it starts, and its result is used
    // only while that ticket is current. Opening another model makes every earlier ticket stale
    // (a result computed for a model that is no longer open is dropped); so do a newer ticket of
    // the same requester (the job started again for a newer request) and revokeTickets() (the
    // results it would replace were cleared).
    struct Ticket
    {
        const QObject *requester = nullptr;
        quint64 id = 0;
    };
    Ticket takeTicket(const QObject *requester);
    bool isCurrent(const Ticket &ticket) const;
    void revokeTickets(const QObject *requester);

signals:
    void modelChanged();
    void exclusionsChanged();
    void preprocessingChanged();
    void nodeSelected(int nodeId);
    void messageAdded(const qs::ui::WorkbenchMessage &message);
    void messagesCleared();

private:
    std::shared_ptr<const Model> m_model;
    QString m_modelPath;
    ModelSummary m_summary;
    QSet<QString> m_excludedNodes;
    QSet<QString> m_excludedOpTypes;
    quantscope::ImagePreprocessing m_preprocessing;
    int m_selectedNode = -1;
    VariantListModel *m_variants = nullptr;
    QList<WorkbenchMessage> m_messages;
    quint64 m_lastTicket = 0;
    quint64 m_modelTicket = 0; // the last ticket taken before the open model was set
    QHash<const QObject *, quint64> m_currentTickets;
    QMap<settings::Folder, QString> m_dialogFolders; // used since the model opened
};

} // namespace qs::ui
