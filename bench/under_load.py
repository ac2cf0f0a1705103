#!/usr/bin/python3
"""How the engine's latency degrades when other processes keep cores busy (the GUI thread, a
browser, a build), against ONNX Runtime in the same conditions: each model's median and p90 with
0, 1 and 4 busy-looping processes beside it (--busy), interleaved rounds, 2 threads. The
engine's OpenMP threads spin while waiting (libgomp's default); OMP_WAIT_POLICY=PASSIVE and
shorter spins (GOMP_SPINCOUNT) are shown too, since they trade quiet-machine speed for calm
under load.

usage: under_load.py BUILD_DIR CACHE_DIR [--threads N] [--rounds N] [--iterations N]
                     [--models A,B] [--busy 0,1,4] [--spincounts 10000,100000]
"""
import multiprocessing
import os
import sys

from peers import Peers, argument_parser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "models"))
import zoo  # noqa: E402


def spin():
    while True:
        pass


def main():
    parser = argument_parser()
    parser.add_argument("--models", default="mobilenet_v3_small,squeezenet1_1,resnet18")
    parser.add_argument("--busy", default="0,1,4")
    parser.add_argument("--spincounts", default="10000")
    args = parser.parse_args()
    busy_counts = [int(n) for n in args.busy.split(",")]
    peers = Peers(args)
    manifest = zoo.load_manifest(args.cache)
    work = os.path.join(args.cache, "bench", "zoo-forms")
    os.makedirs(work, exist_ok=True)
    photos = os.path.join(args.cache, "photos")
    passive = dict(peers.env, OMP_WAIT_POLICY="PASSIVE")
    runs = {
        "engine": lambda m, f: peers.engine(m, f),
        "engine PASSIVE": lambda m, f: peers.engine(m, f, passive),
    }
    for count in [c for c in args.spincounts.split(",") if c]:
        spin_env = dict(peers.env, GOMP_SPINCOUNT=count)
        runs[f"engine spin {count}"] = lambda m, f, env=spin_env: peers.engine(m, f, env)
    runs["ORT"] = lambda m, f: peers.ort(m, f)
    print(f"median / p90 ms, {args.threads} threads, best median of {args.rounds} rounds; "
          f"columns: busy-looping processes beside the run")
    print(f"{'model':22}{'peer':22}" + "".join(f"{f'{n} busy':>18}" for n in busy_counts)
          + f"{'worst/quiet':>12}")
    for name in args.models.split(","):
        entry = next(e for e in manifest["models"] if e["name"] == name)
        feeds = zoo.feeds(entry, manifest, photos, work)
        results = {}
        for busy in busy_counts:
            spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(busy)]
            for spinner in spinners:
                spinner.start()
            try:
                for _ in range(args.rounds):
                    for peer, run in runs.items():
                        latency = run(entry["model"], feeds)["latency_ms"]
                        old = results.get((peer, busy))
                        if not old or latency["median"] < old["median"]:
                            results[(peer, busy)] = latency
            finally:
                for spinner in spinners:
                    spinner.terminate()
                    spinner.join()
        for peer in runs:
            cells = "".join(f"{results[(peer, n)]['median']:9.2f}/{results[(peer, n)]['p90']:8.2f}"
                            for n in busy_counts)
            worst = max(results[(peer, n)]["median"] for n in busy_counts)
            print(f"{name:22}{peer:22}{cells}{worst / results[(peer, busy_counts[0])]['median']:11.2f}x")


if __name__ == "__main__":
    main()
