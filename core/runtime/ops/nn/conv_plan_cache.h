#pragma once
// Small thread-safe caches for the oneDNN-backed kernels: compute() is const and may run
// concurrently, while input shapes may change between runs, so each kernel keeps its
// primitives keyed by the input dims, and its constant weights reordered once per layout the
// primitives ask for (usually one).

#include "runtime/dnnl_context.h"
#include "util/status.h"

#include <dnnl.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace qs::ops {

template<typename Plan>
class PlanCache
{
public:
    // The plan for `key`, made by `create()` (returning Result<shared_ptr<const Plan>>) on the
    // first request. Errors are not cached. The lock is held while creating, so two runs
    // meeting a new shape build its primitive once.
    template<typename Create>
    Result<std::shared_ptr<const Plan>> getOrCreate(const std::vector<int64_t> &key, Create &&create)
    {
        std::lock_guard lock(m_mutex);
        auto found = m_plans.find(key);
        if (found != m_plans.end())
            return found->second;
        Result<std::shared_ptr<const Plan>> made = create();
        if (!made)
            return made;
        // Shapes that change every run (e.g. a growing sequence) must not grow memory forever.
        if (m_plans.size() >= kMaxPlans)
            m_plans.clear();
        m_plans.emplace(key, *made);
        return made;
    }

    size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_plans.size();
    }

private:
    static constexpr size_t kMaxPlans = 32;
    mutable std::mutex m_mutex;
    std::map<std::vector<int64_t>, std::shared_ptr<const Plan>> m_plans;
};

// Constant weights reordered into the layouts primitives request. Callers hold the plan
// cache's lock (get() is only called while creating a plan), so no lock of its own.
class PackedWeights
{
public:
    // Weights in layout `wanted`, reordered from `user` layout data on first use. Throws
    // dnnl::error like the primitive creation around it.
    dnnl::memory get(const dnnl::memory::desc &user, const dnnl::memory::desc &wanted,
                     const void *data)
    {
        for (const auto &[desc, memory] : m_packed) {
            if (desc == wanted)
                return memory;
        }
        const dnnl::engine &engine = dnnl_support::cpuEngine();
        dnnl::memory source(user, engine, const_cast<void *>(data));
        dnnl::memory packed(wanted, engine);
        dnnl::stream stream = dnnl_support::makeStream();
        dnnl::reorder(source, packed).execute(stream, source, packed);
        stream.wait();
        m_packed.emplace_back(wanted, packed);
        return packed;
    }

private:
    std::vector<std::pair<dnnl::memory::desc, dnnl::memory>> m_packed;
};

} // namespace qs::ops
