#pragma once
// Errors as values: core never lets an exception cross its boundary. A Status says what went
// wrong in one sentence that names the file / node / value; Result<T> carries a value or a Status.
// A Status made from a coded message (util/messages.h) keeps its id and arguments, and the
// context added since apart, so that the GUI can word it in its own language.

#include "util/messages.h"

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace qs {

enum class StatusCode {
    Ok,
    InvalidArgument, // bad input from the user: a file, a flag, a value
    NotFound,        // a file, node or value that does not exist
    Unsupported,     // valid input that this version cannot handle
    Cancelled,       // the user asked to stop
    Internal,        // a bug or an unexpected failure of a library
};

class [[nodiscard]] Status
{
public:
    Status() = default;
    Status(StatusCode code, std::string message)
        : m_code(code)
        , m_message(std::move(message))
    {}
    Status(StatusCode code, Message coded)
        : m_code(code)
        , m_message(englishText(coded))
        , m_coded(std::move(coded))
    {}

    static Status ok() { return {}; }

    bool isOk() const { return m_code == StatusCode::Ok; }
    explicit operator bool() const { return isOk(); }
    StatusCode code() const { return m_code; }
    const std::string &message() const { return m_message; }
    // The coded message (id None for free text) and the context added in front of it since
    // ("model.onnx: "), which message() holds worded together.
    const Message &coded() const { return m_coded; }
    const std::string &context() const { return m_context; }
    // The error as one message to nest as a cause: the coded one when no context was added,
    // else the English text (a path or node in front reads wrong inside another sentence).
    Message asMessage() const
    {
        if (m_coded.id != MessageId::None && m_context.empty())
            return m_coded;
        return plainText(m_message);
    }

    // Adds context in front of the message: "model.onnx: " + "initializer 'w': ...".
    Status withContext(const std::string &context) const
    {
        if (isOk())
            return *this;
        Status status = *this;
        status.m_message = context + ": " + m_message;
        status.m_context = context + ": " + m_context;
        return status;
    }

private:
    StatusCode m_code = StatusCode::Ok;
    std::string m_message;
    Message m_coded;
    std::string m_context;
};

inline Status invalidArgument(std::string message)
{
    return {StatusCode::InvalidArgument, std::move(message)};
}
inline Status notFound(std::string message)
{
    return {StatusCode::NotFound, std::move(message)};
}
inline Status unsupported(std::string message)
{
    return {StatusCode::Unsupported, std::move(message)};
}
inline Status cancelled(std::string message = "cancelled")
{
    return {StatusCode::Cancelled, std::move(message)};
}
inline Status internalError(std::string message)
{
    return {StatusCode::Internal, std::move(message)};
}

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}
    Result(Status status)
        : m_status(std::move(status))
    {
        assert(!m_status.isOk() && "a Result made from a Status must carry an error");
    }

    bool isOk() const { return m_value.has_value(); }
    explicit operator bool() const { return isOk(); }
    const Status &status() const { return m_status; }

    T &value() &
    {
        assert(isOk());
        return *m_value;
    }
    const T &value() const &
    {
        assert(isOk());
        return *m_value;
    }
    T &&value() &&
    {
        assert(isOk());
        return std::move(*m_value);
    }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }

private:
    std::optional<T> m_value;
    Status m_status;
};

} // namespace qs

// Returns early with the error of an expression that yields a Status.
#define QS_RETURN_IF_ERROR(expr)                                                                   \
    do {                                                                                           \
        ::qs::Status qsStatus_ = (expr);                                                           \
        if (!qsStatus_.isOk())                                                                     \
            return qsStatus_;                                                                      \
    } while (false)
