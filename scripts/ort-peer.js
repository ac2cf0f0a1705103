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
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const NPY_TYPES = {
    '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
    '|i1': ['int8', Int8Array], '|u1': ['uint8', Uint8Array],
    '<i4': ['int32', Int32Array], '<i8': ['int64', BigInt64Array],
    '|b1': ['bool', Uint8Array],
};

function readNpy(file) {
    const bytes = fs.readFileSync(file);
    if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
    const major = bytes[6];
    const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
    const headerStart = major === 1 ? 10 : 12;
    const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
    const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
    if (/'fortran_order':\s*True/.test(header)) throw new Error(`${file}: Fortran order`);
    const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',')
        .map(s => s.trim()).filter(s => s.length).map(Number);
    const entry = NPY_TYPES[descr];
    if (!entry) throw new Error(`${file}: unsupported dtype ${descr}`);
    const [type, ArrayType] = entry;
    const start = headerStart + headerLength;
    const copy = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length);
    let data = new ArrayType(copy);
    if (type === 'bool') data = Uint8Array.from(data, v => v !== 0);
    return new ort.Tensor(type, data, shape);
}

function writeNpy(file, tensor) {
    const descr = Object.keys(NPY_TYPES).find(k => NPY_TYPES[k][0] === tensor.type);
    if (!descr) throw new Error(`output type ${tensor.type} cannot be written`);
    const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
    let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
    const unpadded = 10 + header.length + 1;
    header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
    const prefix = Buffer.alloc(10);
    prefix.write('\x93NUMPY', 0, 'latin1');
    prefix[6] = 1; prefix[7] = 0;
    prefix.writeUInt16LE(header.length, 8);
    const data = tensor.data;
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const temporary = file + '.partial';
    fs.writeFileSync(temporary, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
    fs.renameSync(temporary, file);
}

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

function summarize(samples) {
    const sorted = [...samples].sort((a, b) => a - b);
    const n = sorted.length;
    const rank = f => sorted[Math.min(n, Math.max(1, Math.ceil(f * n))) - 1];
    const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { median, min: sorted[0], max: sorted[n - 1], p90: rank(0.9) };
}

async function main() {
    const options = parseArguments(process.argv.slice(2));
    const session = await ort.InferenceSession.create(options.model, {
        intraOpNumThreads: options.threads, interOpNumThreads: 1,
        executionMode: 'sequential', graphOptimizationLevel: options.optimization,
    });
    const feeds = {};
    for (const [name, file] of Object.entries(options.inputs)) feeds[name] = readNpy(file);
    const samples = [];
    let results = null;
    for (let run = 0; run < options.warmup + options.iterations; ++run) {
        const start = process.hrtime.bigint();
        results = await session.run(feeds);
        const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
        if (run >= options.warmup) samples.push(elapsedMs);
    }
    const outputs = {};
    for (const [name, tensor] of Object.entries(results)) {
        outputs[name] = tensor.dims;
        if (options.outputDir) {
            fs.mkdirSync(options.outputDir, { recursive: true });
            writeNpy(path.join(options.outputDir, name.replace(/[^A-Za-z0-9_.-]/g, '_') + '.npy'), tensor);
        }
    }
    process.stdout.write(JSON.stringify({ outputs, latency_ms: summarize(samples),
        peak_rss_mb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

main().catch(error => { process.stderr.write(`ort-peer: ${error.message}\n`); process.exit(2); });
