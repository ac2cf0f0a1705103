#!/usr/bin/env node
// Quantscope's ONNX Runtime runner for onnxruntime-node: times a model in ONNX Runtime and writes
// its outputs, so Compare and `bench` can show ORT's latency and agreement beside our engine's.
// The C++ side is core/compare/external_runtime.h; the protocol (version 1) is:
//
//   quantscope-ort-runner.js [REQUEST.json]   request from the file, else from stdin
//   quantscope-ort-runner.js --probe          {"protocol":1,"runtime":...,"version":...}
//
//   request:  {"protocol": 1, "model": "m.onnx", "inputs": {"x": "x.npy"}, "threads": 2,
//              "warmup": 1, "iterations": 10, "optimization": "all", "output_dir": "out"}
//             (optimization: disabled|basic|extended|all; output_dir optional)
//   response: {"protocol": 1, "runtime": "onnxruntime-node", "version": "1.x",
//              "latency_ms": {"median", "p90", "min", "max", "runs": [...]},
//              "outputs": {"y": "out/y.npy"}}
//          or {"protocol": 1, "error": "message"} with exit code 2.
//
// One JSON line on stdout; anything else goes to stderr. scripts/ort-peer.js (the tests' and
// bench/'s command-line peer) shares the code below, so both measure ORT the same way.
'use strict';
const fs = require('fs');
const path = require('path');

const PROTOCOL = 1;

const NPY_TYPES = {
    '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
    '<f2': ['float16', Uint16Array], // raw bits: an FP16 model's inputs and outputs
    '|i1': ['int8', Int8Array], '|u1': ['uint8', Uint8Array],
    '<i4': ['int32', Int32Array], '<i8': ['int64', BigInt64Array],
    '|b1': ['bool', Uint8Array],
};

// Loaded on first use, so that a missing module becomes a protocol error, not a crash.
let ortModule = null;
function ort() {
    if (!ortModule) {
        try {
            ortModule = require('onnxruntime-node');
        } catch (error) {
            throw new Error('onnxruntime-node is not installed (npm install onnxruntime-node, '
                + 'and set NODE_PATH to its node_modules): ' + error.message.split('\n')[0]);
        }
    }
    return ortModule;
}

function ortVersion() {
    ort();
    try {
        return require('onnxruntime-node/package.json').version;
    } catch (error) {
        return 'unknown';
    }
}

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
    return new (ort().Tensor)(type, data, shape);
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

function summarize(samples) {
    const sorted = [...samples].sort((a, b) => a - b);
    const n = sorted.length;
    const rank = f => sorted[Math.min(n, Math.max(1, Math.ceil(f * n))) - 1];
    const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { median, min: sorted[0], max: sorted[n - 1], p90: rank(0.9) };
}

function outputFileName(name) {
    return name.replace(/[^A-Za-z0-9_.-]/g, '_') + '.npy';
}

// Runs options.model (inputs: {name: npy path}) warmup + iterations times; returns the
// per-run times, the last run's output tensors and the files they were written to.
async function runModel(options) {
    const session = await ort().InferenceSession.create(options.model, {
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
    const files = {};
    if (options.outputDir) {
        fs.mkdirSync(options.outputDir, { recursive: true });
        for (const [name, tensor] of Object.entries(results)) {
            files[name] = path.join(options.outputDir, outputFileName(name));
            writeNpy(files[name], tensor);
        }
    }
    return { samples, results, files };
}

function checkedCount(request, key, fallback, minimum) {
    const value = request[key] === undefined ? fallback : request[key];
    if (!Number.isInteger(value) || value < minimum)
        throw new Error(`"${key}" must be an integer >= ${minimum}, not ${JSON.stringify(value)}`);
    return value;
}

function parseRequest(text) {
    let request;
    try {
        request = JSON.parse(text);
    } catch (error) {
        throw new Error(`the request is not JSON: ${error.message}`);
    }
    if (request === null || typeof request !== 'object') throw new Error('the request is not an object');
    if (request.protocol !== PROTOCOL)
        throw new Error(`protocol ${JSON.stringify(request.protocol)} is not supported (this runner speaks ${PROTOCOL})`);
    if (request.probe) return { probe: true };
    if (typeof request.model !== 'string' || !request.model) throw new Error('"model" is required');
    const inputs = request.inputs || {};
    for (const [name, file] of Object.entries(inputs))
        if (typeof file !== 'string') throw new Error(`input "${name}" must be a .npy path`);
    return {
        model: request.model, inputs,
        threads: checkedCount(request, 'threads', 0, 0),
        warmup: checkedCount(request, 'warmup', 1, 0),
        iterations: checkedCount(request, 'iterations', 10, 1),
        optimization: request.optimization || 'all',
        outputDir: request.output_dir || null,
    };
}

async function serve(requestText) {
    const request = parseRequest(requestText);
    const header = { protocol: PROTOCOL, runtime: 'onnxruntime-node', version: ortVersion() };
    if (request.probe) return header;
    const { samples, files } = await runModel(request);
    return { ...header, latency_ms: { ...summarize(samples), runs: samples }, outputs: files };
}

function readStdin() {
    return fs.readFileSync(0, 'utf8');
}

async function main(argv) {
    let response;
    try {
        if (argv.length > 1) throw new Error('usage: quantscope-ort-runner.js [REQUEST.json | --probe]');
        const text = argv[0] === '--probe' ? JSON.stringify({ protocol: PROTOCOL, probe: true })
            : argv.length === 1 ? fs.readFileSync(argv[0], 'utf8') : readStdin();
        response = await serve(text);
    } catch (error) {
        process.stdout.write(JSON.stringify({ protocol: PROTOCOL, error: error.message }) + '\n');
        process.exitCode = 2;
        return;
    }
    process.stdout.write(JSON.stringify(response) + '\n');
}

module.exports = { readNpy, writeNpy, summarize, runModel, outputFileName };

if (require.main === module) main(process.argv.slice(2));
