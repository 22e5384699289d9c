"""How long ``newsbrief`` commands take to start and finish, beside ``python -c pass``.

    python -m bench.cli_startup [--runs 15] [--compare OTHER_CHECKOUT]

Each command runs in a fresh interpreter, as a user starts it, against a scratch SQLite
database whose schema a warm-up run created. The runs are interleaved with the baseline
(an interpreter that does nothing), so drift on a shared machine hits all alike. The
targets are medians: ``--help`` and ``sources list`` ≤ 0.3 s, the console's ``/topics list``
≤ 1 s. ``--compare`` also times the same commands from another checkout of the project
(e.g. an older commit unpacked with ``git archive``), in the same interleaved rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import percentile, table

ROOT = Path(__file__).resolve().parents[1]

COMMANDS: dict[str, list[str]] = {
    "python -c pass (baseline)": ["-c", "pass"],
    "newsbrief --help": ["-m", "newsbrief.cli", "--help"],
    "newsbrief sources list": ["-m", "newsbrief.cli", "sources", "list"],
    "newsbrief topics list": ["-m", "newsbrief.cli", "topics", "list"],
    'newsbrief console -c "/topics list"': [
        "-m",
        "newsbrief.cli",
        "console",
        "-c",
        "/topics list",
    ],
}
TARGETS = {
    "newsbrief --help": 0.3,
    "newsbrief sources list": 0.3,
    'newsbrief console -c "/topics list"': 1.0,
}


def _environment(data_dir: Path, root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env["NEWSBRIEF_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(root)
    return env


def _once(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *argv],
        env=env,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="another checkout to time")
    args = parser.parse_args(argv)
    roots = {"": ROOT}
    if args.compare:
        roots[f" [{args.compare.name}]"] = args.compare.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        cwd = Path(scratch)
        runs_of: dict[str, tuple[list[str], dict[str, str]]] = {}
        for suffix, root in roots.items():
            # Each checkout gets its own database, migrated by its own code.
            env = _environment(cwd / f"data{len(runs_of)}", root)
            for name, command in COMMANDS.items():
                if suffix and name.startswith("python -c pass"):
                    continue
                runs_of[name + suffix] = (command, env)
        for command, env in runs_of.values():  # warm-up: create the schema, fill OS caches
            _once(command, env, cwd)
        times: dict[str, list[float]] = {name: [] for name in runs_of}
        for _ in range(args.runs):
            for name, (command, env) in runs_of.items():
                times[name].append(_once(command, env, cwd))
    base = statistics.median(times["python -c pass (baseline)"])
    rows = []
    for name, runs in times.items():
        median = statistics.median(runs)
        target = TARGETS.get(name)
        rows.append(
            [
                name,
                median,
                percentile(runs, 95),
                median - base,
                median / base,
                f"≤ {target:.1f}" if target else "",
                ("met" if median <= target else "missed") if target else "",
            ]
        )
    print(f"{args.runs} runs of each command, interleaved; seconds")
    print(
        table(
            ["command", "median s", "p95 s", "− baseline s", "× baseline", "target", ""],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
