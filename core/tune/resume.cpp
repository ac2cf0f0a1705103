#include "tune/resume.h"

#include "model/model.h"
#include "quant/recipe_io.h"
#include "tune/evaluation_set.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cstdio>

namespace qs {

namespace {

// FNV-1a: small, and the same on every platform and build (std::hash is neither), so that a run
// saved by one build resumes in another.
class Digest
{
public:
    void add(const void *data, size_t size)
    {
        const auto *bytes = static_cast<const unsigned char *>(data);
        for (size_t i = 0; i < size; ++i) {
            m_state ^= bytes[i];
            m_state *= 0x100000001b3ull;
        }
    }
    void add(const std::string &text)
    {
        add(text.data(), text.size());
        add("\0", 1); // "ab" + "c" differs from "a" + "bc"
    }
    void add(const google::protobuf::MessageLite &message)
    {
        // Deterministic: the recipe's dim_values map must not change the digest by its order.
        std::string bytes;
        {
            google::protobuf::io::StringOutputStream stream(&bytes);
            google::protobuf::io::CodedOutputStream coded(&stream);
            coded.SetSerializationDeterministic(true);
            message.SerializeToCodedStream(&coded);
        }
        add(bytes);
    }
    std::string hex() const
    {
        char text[17];
        std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(m_state));
        return text;
    }

private:
    uint64_t m_state = 0xcbf29ce484222325ull;
};

template<typename Field>
std::string joined(const Field &values)
{
    std::string text;
    for (const auto &value : values)
        text += (text.empty() ? "" : ", ") + value;
    return "{" + text + "}";
}

std::string recipeDifference(const quantscope::Recipe &saved, const quantscope::Recipe &now)
{
    std::string report;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&report);
    if (differencer.Compare(saved, now))
        return {};
    for (char &c : report)
        if (c == '\n')
            c = ';';
    while (!report.empty() && (report.back() == ';' || report.back() == ' '))
        report.pop_back();
    return report;
}

Status mismatch(const std::string &what, const std::string &saved, const std::string &now)
{
    return invalidArgument("cannot resume: the saved run's " + what + " (" + saved
                           + ") is not this run's (" + now
                           + "); its trials were measured on something else. Start a new run "
                             "without --resume, or give the saved run's settings");
}

} // namespace

Result<quantscope::TuneRun> loadTuneRun(const std::string &path)
{
    quantscope::TuneRun run;
    QS_RETURN_IF_ERROR(loadTextMessage(path, "tuning run", run));
    return run;
}

std::string modelDigest(const Model &model)
{
    Digest digest;
    digest.add(model.proto());
    return digest.hex();
}

std::string evaluationDigest(const EvaluationSet &evaluation)
{
    Digest digest;
    for (const Sample &sample : evaluation.samples())
        for (const auto &[name, tensor] : sample.inputs) {
            digest.add(name);
            digest.add(dtypeName(tensor.dtype()));
            for (const int64_t dim : tensor.shape())
                digest.add(&dim, sizeof dim);
            digest.add(tensor.rawData(), size_t(tensor.byteSize()));
        }
    return digest.hex();
}

std::string requestDigest(const TrialRequest &request)
{
    Digest digest;
    digest.add(quantscope::TrialKind_Name(request.kind));
    digest.add(request.node);
    for (const std::string &node : request.keptFloat)
        digest.add(node);
    if (!request.sixteenBit.empty()) {
        digest.add("16-bit activations");
        for (const std::string &node : request.sixteenBit)
            digest.add(node);
    }
    digest.add(request.timed ? "timed" : "untimed");
    digest.add(request.recipe);
    return digest.hex();
}

Status checkResumable(const quantscope::TuneRun &saved, const quantscope::TuneRun &header)
{
    if (saved.mode() != header.mode())
        return mismatch("mode", quantscope::QuantMode_Name(saved.mode()),
                        quantscope::QuantMode_Name(header.mode()));
    if (saved.mode() == quantscope::QUANT_MODE_FP16)
        return unsupported("cannot resume an FP16 block-list search: --resume replays static and "
                           "dynamic searches; run the FP16 search again without it");
    if (saved.model_digest().empty())
        return invalidArgument("cannot resume: the saved run records no model digest (it was "
                               "saved by an earlier Quantscope); start a new run");
    if (saved.model_digest() != header.model_digest())
        return mismatch("model", saved.input_model() + ", digest " + saved.model_digest(),
                        header.input_model() + ", digest " + header.model_digest());
    if (const std::string difference = recipeDifference(saved.start_recipe(), header.start_recipe());
        !difference.empty())
        return invalidArgument("cannot resume: the starting recipe differs from the saved run's: "
                               + difference
                               + ". Give the saved run's recipe flags, or start a "
                                 "new run without --resume");
    if (saved.eval_data() != header.eval_data() || saved.eval_samples() != header.eval_samples()
        || saved.eval_digest() != header.eval_digest())
        return mismatch("evaluation set",
                        saved.eval_data() + ", " + std::to_string(saved.eval_samples())
                            + " samples, digest " + saved.eval_digest(),
                        header.eval_data() + ", " + std::to_string(header.eval_samples())
                            + " samples, digest " + header.eval_digest());
    if (!std::equal(saved.targets().begin(), saved.targets().end(), header.targets().begin(),
                    header.targets().end()))
        return mismatch("targets", joined(saved.targets()), joined(header.targets()));
    if (saved.threads() != header.threads())
        return mismatch("thread count", std::to_string(saved.threads()),
                        std::to_string(header.threads()));
    return Status::ok();
}

SavedTrials::SavedTrials(const quantscope::TuneRun &saved)
    : m_seconds(saved.seconds())
{
    for (const quantscope::TuneTrial &trial : saved.trials())
        if (!trial.request().empty())
            m_byRequest[trial.request()] = trial;
}

const quantscope::TuneTrial *SavedTrials::find(const std::string &request) const
{
    auto it = m_byRequest.find(request);
    return it == m_byRequest.end() ? nullptr : &it->second;
}

} // namespace qs
