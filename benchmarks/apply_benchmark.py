#!/usr/bin/env python3
"""Initial apply of 1,000 models against the local gateway simulator: `litellm-synapse apply` versus the seed-style
`apply.sh` from `plan` (one curl process per call), then a no-op reconcile. Prints measured numbers.

Usage: benchmarks/apply_benchmark.py [--binary PATH] [--models N]
"""
import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))


def config(models):
    lines = ["model_list:"]
    for i in range(models):
        credential = i % 10
        lines += [
            f"  - model_name: bench-model-{i:04d}",
            "    litellm_params:",
            f"      model: openai/bench-model-{i:04d}",
            f"      api_key: os.environ/BENCH_KEY_{credential}",
            f"      api_base: https://bench-{credential}.example.com/v1",
            "      rpm: 10",
        ]
    return "\n".join(lines) + "\n"


def stats(url, key):
    request = urllib.request.Request(url + "/_sim/stats", headers={"Authorization": f"Bearer {key}"})
    return json.load(urllib.request.urlopen(request))


def reset(url, key):
    request = urllib.request.Request(url + "/_sim/reset", method="POST", headers={"Authorization": f"Bearer {key}"})
    urllib.request.urlopen(request).read()


def timed(argv, env):
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{argv[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(here, "..", ".build", "release", "litellm-synapse"))
    parser.add_argument("--models", type=int, default=1000)
    args = parser.parse_args()
    key = "bench-" + secrets.token_hex(8)
    env = dict(os.environ, SYNAPSE_API_KEY=key, **{f"BENCH_KEY_{i}": f"sk-bench-{i}" for i in range(10)})

    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "config.yaml")
        with open(path, "w") as f:
            f.write(config(args.models))
        sim = subprocess.Popen([args.binary, "gateway-sim", "--port", "0"], env=env, stdout=subprocess.PIPE, text=True)
        try:
            url = sim.stdout.readline().strip().split("listening on ")[-1]
            env["SYNAPSE_GATEWAY_URL"] = url

            apply_seconds, _ = timed([args.binary, "apply", "--config", path], env)
            after_apply = stats(url, key)

            start_noop = stats(url, key)
            noop_seconds, _ = timed([args.binary, "apply", "--config", path], env)
            after_noop = stats(url, key)

            reset(url, key)
            timed([args.binary, "plan", "--config", path, "--output", os.path.join(work, "plan")], env)
            script_seconds, _ = timed(["bash", os.path.join(work, "plan", "apply.sh")], env)
            after_script = stats(url, key)
        finally:
            sim.kill()
            sim.wait()

    def requests(before, after):
        return {k: after["requests"].get(k, 0) - before["requests"].get(k, 0) for k in after["requests"]} if "requests" in after else after

    objects = args.models + 10 + 10 + 2
    print(f"config: {args.models} models over 10 credentials → {objects} gateway objects (integrations, providers, models, routing, tier)")
    print(f"litellm-synapse apply (initial): {apply_seconds:.2f} s, {after_apply.get('writes')} writes")
    print(f"apply.sh from plan (one curl per call): {script_seconds:.2f} s, {after_script.get('writes')} writes")
    print(f"speed-up: {script_seconds / apply_seconds:.1f}x")
    noop_total = after_noop.get("total", 0) - start_noop.get("total", 0)
    noop_writes = after_noop.get("writes", 0) - start_noop.get("writes", 0)
    print(f"no-op reconcile: {noop_seconds:.2f} s, {noop_total} requests, {noop_writes} writes "
          f"(pagination needs ceil({args.models}/100) = {-(-args.models // 100)} model pages + 1 page each for integrations, providers, teams, keys + routing + tier)")


main()
