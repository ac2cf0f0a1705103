#include "workbench.h"

#include "core_messages.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "variant_list_model.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace qs::ui {

Workbench::Workbench(QObject *parent)
    : QObject(parent)
    , m_variants(new VariantListModel(this))
{}

Workbench::~Workbench() = default;

void Workbench::setModel(std::shared_ptr<const Model> model, const QString &path)
{
    m_model = std::move(model);
    m_modelPath = path;
    m_modelTicket = m_lastTicket;
    m_summary = m_model ? summarize(*m_model) : ModelSummary{};
    m_excludedNodes.clear();
    m_excludedOpTypes.clear();
    m_selectedNode = -1;
    m_dialogFolders.clear();
    const bool hadPreprocessing = m_preprocessing.ByteSizeLong() > 0;
    m_preprocessing.Clear();
    m_messages.clear();
    emit messagesCleared();
    m_variants->clear();
    if (m_model) {
        Variant reference;
        reference.path = path;
        reference.kind = tr("FP32 reference");
        reference.sizeBytes = qint64(m_model->fileBytes());
        reference.isReference = true;
        m_variants->add(reference);
        for (const Diagnostic &diagnostic : m_model->diagnostics())
            addDiagnostic(diagnostic);
    }
    if (hadPreprocessing)
        emit preprocessingChanged();
    emit modelChanged();
    emit exclusionsChanged();
    emit nodeSelected(-1);
}

void Workbench::setNodeExcluded(const QString &node, bool excluded)
{
    if (excluded == m_excludedNodes.contains(node))
        return;
    if (excluded)
        m_excludedNodes.insert(node);
    else
        m_excludedNodes.remove(node);
    emit exclusionsChanged();
}

void Workbench::setOpTypeExcluded(const QString &opType, bool excluded)
{
    if (excluded == m_excludedOpTypes.contains(opType))
        return;
    if (excluded)
        m_excludedOpTypes.insert(opType);
    else
        m_excludedOpTypes.remove(opType);
    emit exclusionsChanged();
}

void Workbench::setExclusions(const QStringList &nodes, const QStringList &opTypes)
{
    m_excludedNodes = QSet<QString>(nodes.begin(), nodes.end());
    m_excludedOpTypes = QSet<QString>(opTypes.begin(), opTypes.end());
    emit exclusionsChanged();
}

QStringList Workbench::excludedNodes() const
{
    QStringList list(m_excludedNodes.begin(), m_excludedNodes.end());
    list.sort();
    return list;
}

QStringList Workbench::excludedOpTypes() const
{
    QStringList list(m_excludedOpTypes.begin(), m_excludedOpTypes.end());
    list.sort();
    return list;
}

void Workbench::selectNode(int nodeId)
{
    if (m_model && (nodeId < -1 || nodeId >= int(m_model->index().nodes().size())))
        nodeId = -1;
    if (nodeId == m_selectedNode)
        return;
    m_selectedNode = nodeId;
    emit nodeSelected(nodeId);
}

int Workbench::nodeIdByName(const QString &displayName) const
{
    if (!m_model)
        return -1;
    const NodeInfo *node = m_model->index().findByDisplayName(displayName.toStdString());
    return node ? node->id : -1;
}

void Workbench::addMessage(Severity severity, const QString &message, const QString &node)
{
    WorkbenchMessage entry{severity, message, node, nullptr};
    m_messages.append(entry);
    emit messageAdded(entry);
}

void Workbench::addMessage(Severity severity, std::function<QString()> words, const QString &node)
{
    WorkbenchMessage entry{severity, words(), node, std::move(words)};
    m_messages.append(entry);
    emit messageAdded(entry);
}

void Workbench::addDiagnostic(const Diagnostic &diagnostic)
{
    const QString node = QString::fromStdString(diagnostic.node);
    if (diagnostic.coded.id == MessageId::None)
        addMessage(diagnostic.severity, QString::fromStdString(diagnostic.message), node);
    else
        addMessage(
            diagnostic.severity, [coded = diagnostic.coded] { return CoreMessages::text(coded); },
            node);
}

void Workbench::setPreprocessing(const quantscope::ImagePreprocessing &prep)
{
    if (prep.SerializeAsString() == m_preprocessing.SerializeAsString())
        return;
    m_preprocessing = prep;
    emit preprocessingChanged();
}

QString Workbench::dialogFolder(settings::Folder kind) const
{
    const QString used = m_dialogFolders.value(kind);
    if (!used.isEmpty() && QFileInfo(used).isDir())
        return used;
    if (!m_modelPath.isEmpty()) {
        const QFileInfo model(m_modelPath);
        if (model.absoluteDir().exists())
            return model.absolutePath();
    }
    return settings::lastFolder(kind);
}

void Workbench::rememberDialogFolder(settings::Folder kind, const QString &pathInside)
{
    if (pathInside.isEmpty())
        return;
    const QFileInfo info(pathInside);
    m_dialogFolders.insert(kind, info.isDir() ? info.absoluteFilePath() : info.absolutePath());
    settings::setLastFolder(kind, pathInside);
}

Workbench::Ticket Workbench::takeTicket(const QObject *requester)
{
    const Ticket ticket{requester, ++m_lastTicket};
    m_currentTickets.insert(requester, ticket.id);
    return ticket;
}

bool Workbench::isCurrent(const Ticket &ticket) const
{
    return ticket.id > m_modelTicket && m_currentTickets.value(ticket.requester) == ticket.id;
}

void Workbench::revokeTickets(const QObject *requester)
{
    m_currentTickets.remove(requester);
}

} // namespace qs::ui
