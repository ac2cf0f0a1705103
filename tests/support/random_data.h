#pragma once
// Seeded random values for kernel and fusion tests: the same seed gives the same data on every
// run and machine (std::mt19937 is fully specified; the distributions are libstdc++'s).
#include <random>
#include <vector>

namespace qs::test {

inline std::vector<float> randomNormal(size_t count, unsigned seed, float sigma = 1.0f)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> values(count);
    for (float &v : values)
        v = normal(random);
    return values;
}

inline std::vector<float> randomUniform(size_t count, unsigned seed, float low = -1.0f,
                                        float high = 1.0f)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> uniform(low, high);
    std::vector<float> values(count);
    for (float &v : values)
        v = uniform(random);
    return values;
}

} // namespace qs::test
