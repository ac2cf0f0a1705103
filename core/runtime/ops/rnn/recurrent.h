#pragma once
// What LSTM, GRU and RNN share: attributes (direction, hidden_size, activations with their
// alpha/beta, clip, layout), the layout and sequence_lens handling, and one driver that runs a
// cell over the time steps of each direction. The input projection X·W^T (+ Wb) of all time steps
// is one Eigen GEMM; each step then adds H·R^T and applies the op's gates (the Cell).

#include "runtime/kernel.h"

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

namespace qs::ops {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// One gate activation as named in the `activations` attribute.
struct Activation
{
    std::string name;
    float alpha = 0.0f;
    float beta = 0.0f;
    void apply(float *data, int64_t count) const;
};

struct RecurrentSettings
{
    int directions = 1; // 2 when bidirectional
    bool reverseOnly = false;
    int64_t hidden = 0;
    std::vector<Activation> activations; // per direction, `perDirection` each
    float clip = 0.0f;                   // 0: no clipping
    int64_t layout = 0;
    // R transposed per direction ([H, G*H]) when R is a constant (a weight, as exporters write
    // it): made once with the kernel instead of on every run, where it cost the zoo's LSTM
    // classifier 14% of its time. `recurrenceData` is where that R's values were (compared
    // with each run's R, never read).
    std::shared_ptr<const std::vector<RowMatrix>> recurrenceT;
    const float *recurrenceData = nullptr;
};

// Parses the shared attributes; `defaults` are the op's activations for one direction, `gates`
// its gate count (LSTM 4, GRU 3, RNN 1).
Result<RecurrentSettings> parseRecurrent(const KernelInfo &info,
                                         const std::vector<std::string> &defaults, int64_t gates);

// The op-specific part. `gates` is [batch, G*H]: X·W^T + Wb of this step, to which the cell adds
// its recurrence. h (and c for LSTM) hold the previous state and receive the new one for every
// row; the driver restores the rows whose sequence has ended (`rows` lists the running ones).
struct CellContext
{
    int direction;
    const std::vector<int64_t> &rows;
    // This direction's R transposed once per run, [H, G*H]: the steps' products read it.
    const RowMatrix &recurrenceT;
    // Steps too small to share between threads (see SmallStepsOnOneThread in recurrent.cpp).
    bool smallSteps;
};

// out[:, 0:count] += h · R[first : first+count]^T, the recurrence of gate columns
// [first, first + count); out has h.rows() rows, `ldo` floats apart.
void addRecurrence(const CellContext &context, const RowMatrix &h, int64_t first, int64_t count,
                   float *out, int64_t ldo);

class RecurrentCell
{
public:
    virtual ~RecurrentCell() = default;
    virtual int gateCount() const = 0;
    virtual bool hasCellState() const { return false; }
    virtual void step(const CellContext &context, RowMatrix &gates, RowMatrix &h,
                      RowMatrix &c) const = 0;
};

// Runs the cell: inputs X, W, R, B, sequence_lens, initial_h (initial_c, P for LSTM are read by
// the cell itself), writes Y, Y_h and (LSTM) Y_c.
Status runRecurrent(KernelContext &ctx, const RecurrentSettings &settings,
                    const RecurrentCell &cell, int64_t initialCIndex);

} // namespace qs::ops
