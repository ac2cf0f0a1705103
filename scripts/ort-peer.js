#!/usr/bin/env node
// ONNX Runtime (npm onnxruntime-node) as the reference peer for Quantscope's engine: runs a
// model on .npy inputs, writes the outputs as .npy and prints latency as JSON. Used by the
// cross-check tests (tests/models) and by the bench harness (bench/), so both measure ORT the
// same way.
//
//   node scripts/ort-peer.js --model M.onnx --input x=x.npy [--output-dir DIR]
//        [--threads N] [--warmup N] [--iterations N] [--optimization disabled|basic|extended|all]
//
// NODE_PATH must reach the cached node_modules (scripts/fetch-test-assets.sh ort).
'use strict';
// The runner shipped with Quantscope (runners/quantscope-ort-runner.js) holds the .npy and
// timing code, so this peer and the runner measure ORT the same way.
const { runModel, summarize } = require('../runners/quantscope-ort-runner.js');

function parseArguments(argv) {
    const options = { inputs: {}, threads: 2, warmup: 0, iterations: 1, outputDir: null, model: null,
        optimization: 'all' };
    for (let i = 0; i < argv.length; ++i) {
        const next = () => { if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`); return argv[++i]; };
        switch (argv[i]) {
        case '--model': options.model = next(); break;
        case '--input': { const [name, file] = next().split(/=(.*)/s); options.inputs[name] = file; break; }
        case '--output-dir': options.outputDir = next(); break;
        case '--threads': options.threads = Number(next()); break;
        case '--warmup': options.warmup = Number(next()); break;
        case '--iterations': options.iterations = Number(next()); break;
        case '--optimization': options.optimization = next(); break;
        default: throw new Error(`unknown argument ${argv[i]}`);
        }
    }
    if (!options.model) throw new Error('--model is required');
    return options;
}

async function main() {
    const options = parseArguments(process.argv.slice(2));
    const { samples, results } = await runModel(options);
    const outputs = {};
    for (const [name, tensor] of Object.entries(results)) outputs[name] = tensor.dims;
    process.stdout.write(JSON.stringify({ outputs, latency_ms: summarize(samples),
        peak_rss_mb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

main().catch(error => { process.stderr.write(`ort-peer: ${error.message}\n`); process.exit(2); });
