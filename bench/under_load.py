#!/usr/bin/python3
"""How the engine's latency degrades when another process keeps one core busy (the GUI thread,
a browser), against ONNX Runtime in the same conditions: each model's median and p90 quiet and
with a busy-looping process beside it, interleaved rounds, 2 threads. The engine's OpenMP threads
spin while waiting (libgomp's default); OMP_WAIT_POLICY=PASSIVE is shown too, since it trades
quiet-machine speed for calm under load.

usage: under_load.py BUILD_DIR CACHE_DIR [--threads N] [--rounds N] [--iterations N]
                     [--models A,B]
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
    args = parser.parse_args()
    peers = Peers(args)
    manifest = zoo.load_manifest(args.cache)
    work = os.path.join(args.cache, "bench", "zoo-forms")
    os.makedirs(work, exist_ok=True)
    photos = os.path.join(args.cache, "photos")
    passive = dict(peers.env, OMP_WAIT_POLICY="PASSIVE")
    runs = {
        "engine": lambda m, f: peers.engine(m, f),
        "engine PASSIVE": lambda m, f: peers.engine(m, f, passive),
        "ORT": lambda m, f: peers.ort(m, f),
    }
    print(f"median / p90 ms, {args.threads} threads, best median of {args.rounds} rounds")
    print(f"{'model':22}{'peer':16}{'quiet':>16}{'one core busy':>18}{'slowdown':>10}")
    for name in args.models.split(","):
        entry = next(e for e in manifest["models"] if e["name"] == name)
        feeds = zoo.feeds(entry, manifest, photos, work)
        results = {}
        for busy in (False, True):
            spinner = multiprocessing.Process(target=spin, daemon=True) if busy else None
            if spinner:
                spinner.start()
            try:
                for _ in range(args.rounds):
                    for peer, run in runs.items():
                        latency = run(entry["model"], feeds)["latency_ms"]
                        old = results.get((peer, busy))
                        if not old or latency["median"] < old["median"]:
                            results[(peer, busy)] = latency
            finally:
                if spinner:
                    spinner.terminate()
                    spinner.join()
        for peer in runs:
            quiet, loaded = results[(peer, False)], results[(peer, True)]
            print(f"{name:22}{peer:16}{quiet['median']:8.2f}/{quiet['p90']:7.2f}"
                  f"{loaded['median']:10.2f}/{loaded['p90']:7.2f}"
                  f"{loaded['median'] / quiet['median']:9.2f}x")


if __name__ == "__main__":
    main()
