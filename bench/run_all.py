"""Run every benchmark and drill, one after another, printing each one's table or line.

    python -m bench.run_all            # full sizes (the README's figures); takes a while
    python -m bench.run_all --quick    # small sizes, a few minutes
    python -m bench.run_all --only brief_latency polling_scale

Each runs in its own process (``python -m bench.NAME``), so one's memory and threads do not
colour the next one's timings; a failing one is reported and the rest still run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (full-size arguments, quick arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "compose_brief": ([], ["--sizes", "1000", "10000", "--repeat", "10"]),
    "brief_latency": ([], ["--sizes", "1000", "10000", "--single", "10", "--rounds", "1"]),
    "analysis_vs_newspaper": ([], ["--rounds", "3"]),
    "cli_startup": ([], ["--runs", "3"]),
    "ingest_inprocess": ([], ["--articles", "10"]),
    "extraction": ([], []),
    "polling_scale": ([], ["--feeds", "20"]),
    "drills.sigkill": (["--runs", "50"], ["--runs", "5"]),
    "drills.triple_delivery": ([], ["--feeds", "3", "--items", "3"]),
    "drills.restarts": ([], ["--feeds", "3", "--items", "2"]),
    "drills.delivery_restarts": (["--restarts", "20"], ["--restarts", "5"]),
    "drills.hostile": ([], ["--quick"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these")
    parser.add_argument("--skip-drills", action="store_true")
    args = parser.parse_args(argv)
    names = args.only or [
        n for n in BENCHMARKS if not (args.skip_drills and n.startswith("drills."))
    ]
    failed = []
    for name in names:
        extra = BENCHMARKS[name][1 if args.quick else 0]
        command = [sys.executable, "-m", f"bench.{name}", *extra]
        print(f"\n=== {' '.join(['python', *command[1:]])}", flush=True)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, check=False)
        print(f"=== {name}: exit {result.returncode} in {time.perf_counter() - started:.0f} s")
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
