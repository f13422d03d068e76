"""NLU benchmark: training time, load time, latency, resident memory and dev-set accuracy.

Run ``.venv/bin/python bench/nlu.py [DEV.jsonl] [--repeat N]``. Training runs in this
process; loading, latency, memory and accuracy are measured in a fresh process that only loads
the cached model, as the bot does at start-up. Prints the figures and writes
bench/results/nlu.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV = (REPO / "../shared/eval/dev.jsonl").resolve()
RESULTS = REPO / "bench" / "results" / "nlu.json"
sys.path.insert(0, str(REPO))


def resident_mb() -> float:
    """This process's resident memory (VmRSS) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_training(data_dir: Path, cache_dir: Path) -> dict[str, object]:
    from nlu import train

    started = time.perf_counter()
    nlu = train(data_dir, cache_dir)
    seconds = time.perf_counter() - started
    report = nlu.report
    return {"seconds": round(seconds, 2), "examples": report.examples, "urgent": report.urgent}


def measure_serving(data_dir: Path, cache_dir: Path, dev: Path, repeat: int) -> dict[str, object]:
    """In a process that has only loaded the cached model."""
    baseline = resident_mb()
    started = time.perf_counter()
    from nlu import Nlu

    nlu = Nlu.load(data_dir, cache_dir)
    load_seconds = time.perf_counter() - started
    after_load = resident_mb()
    result: dict[str, object] = {
        "load_seconds": round(load_seconds, 3),
        "rss_mb_before_import": round(baseline, 1),
        "rss_mb_after_load": round(after_load, 1),
        "sklearn_imported": "sklearn" in sys.modules,
    }
    if dev.is_file():
        from nlu.evaluation import evaluate, read_labelled

        report = evaluate(nlu, read_labelled(dev), repeat=repeat)
        result["dev"] = report.summary()
        result["latency_messages"] = report.count * repeat
    result["rss_mb_after_predictions"] = round(resident_mb(), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=REPO / "nlu" / "data")
    parser.add_argument("--serve-only", type=Path, help=argparse.SUPPRESS)  # cache dir; internal
    args = parser.parse_args()
    if args.serve_only:
        print(json.dumps(measure_serving(args.data, args.serve_only, args.dev, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as cache:
        training = measure_training(args.data, Path(cache))
        command = [sys.executable, __file__, str(args.dev), "--repeat", str(args.repeat)]
        command += ["--data", str(args.data), "--serve-only", cache]
        serving = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    results = {"training": training, "serving": serving}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
