#!/usr/bin/env python3
"""Times `litellm-synapse plan` on a generated 10,000-deployment config and prints measured numbers.

Usage: benchmarks/plan_benchmark.py [--binary PATH] [--baseline PATH] [--runs N] [--deployments N]
Wall time is measured around each process; CPU time (user + system, all threads) and peak memory (maximum resident
set size) come from the child's wait4 rusage. CPU time is the steadier number on a busy machine; wall time can be
less than it when the plan's output is written on two cores.
With --baseline, another build of litellm-synapse is timed on the same config, its runs interleaved with the
binary's (one of each in turn), so that both see the same machine: timings here drift from minute to minute.
For comparison it also times Python's libyaml-backed loader (yaml.load with CSafeLoader) parsing the same file,
in a fresh interpreter each run.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))


def measure(argv, runs):
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        wall, cpu, peak = run_once(argv)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return walls, cpus, peaks


def run_once(argv):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv[0]} failed: {proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB → MiB


def measure_interleaved(argvs, runs):
    """measure() of each argv, one run of each in turn."""
    results = [([], [], []) for _ in argvs]
    for _ in range(runs):
        for argv, (walls, cpus, peaks) in zip(argvs, results):
            wall, cpu, peak = run_once(argv)
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(peak)
    return results


def plan_line(label, runs, walls, cpus, peaks):
    return (f"{label} ({runs} runs): median {statistics.median(walls):.3f} s, "
            f"min {min(walls):.3f} s, max {max(walls):.3f} s; CPU median {statistics.median(cpus):.3f} s; "
            f"peak memory median {statistics.median(peaks):.1f} MiB, max {max(peaks):.1f} MiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(here, "..", ".build", "release", "litellm-synapse"))
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--deployments", type=int, default=10_000)
    parser.add_argument("--baseline", help="another litellm-synapse build to time the same way, interleaved")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "config.yaml")
        with open(config, "w") as f:
            subprocess.run([sys.executable, os.path.join(here, "gen_config.py"), str(args.deployments)], stdout=f, check=True)
        size = os.path.getsize(config)
        out = os.path.join(work, "plan")
        plan = ["plan", "--config", config, "--output", out]
        if args.baseline:
            (walls, cpus, peaks), baseline = measure_interleaved([[args.binary] + plan, [args.baseline] + plan], args.runs)
        else:
            walls, cpus, peaks = measure([args.binary] + plan, args.runs)
        # Before this script loads anything large: Linux reports a child's peak as at least this process's resident
        # size when it forked.
        _, _, start_peaks = measure([args.binary, "--help"], 3)
        loader = "import sys, yaml; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)"
        py_walls, _, py_peaks = measure([sys.executable, "-c", loader, config], max(3, args.runs // 3))
        objects = sum(len(__import__("json").load(open(os.path.join(out, "payloads", f)))) for f in os.listdir(os.path.join(out, "payloads")))
        written = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(out) for f in files)

    print(f"config: {args.deployments} deployments, {size / 1e6:.1f} MB; plan wrote {objects} payload entries, {written / 1e6:.1f} MB of files")
    print(plan_line("litellm-synapse plan", args.runs, walls, cpus, peaks))
    if args.baseline:
        print(plan_line(f"baseline {args.baseline} plan, interleaved", args.runs, *baseline))
    print(f"litellm-synapse --help (the process at start, 3 runs): peak memory median {statistics.median(start_peaks):.1f} MiB")
    print(f"python yaml CSafeLoader parse only ({len(py_walls)} runs): median {statistics.median(py_walls):.3f} s; "
          f"peak memory median {statistics.median(py_peaks):.1f} MiB")


main()
