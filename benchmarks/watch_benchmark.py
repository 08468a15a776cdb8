#!/usr/bin/env python3
"""The controller daemon on loopback: push-to-applied latency through a signed webhook for a 10-model change,
idle memory, and memory across 500 no-op reconciles. Prints measured numbers.

Usage: benchmarks/watch_benchmark.py [--binary PATH] [--pushes N] [--noops N]
Everything runs on 127.0.0.1: a git repository on disk, `litellm-synapse gateway-sim`, and `litellm-synapse watch`.
"""
import argparse
import hashlib
import hmac
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))


def config(version):
    lines = ["model_list:"]
    for i in range(10):
        lines += [
            f"  - model_name: model-{i}",
            "    litellm_params:",
            f"      model: openai/model-{i}",
            "      api_key: os.environ/OPENAI_API_KEY",
            "    model_info:",
            f"      max_input_tokens: {8192 + version}",  # every push changes all 10 models
        ]
    return "\n".join(lines) + "\n"


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="b@example.com", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="b@example.com", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo, version):
    with open(os.path.join(repo, "config.yaml"), "w") as f:
        f.write(config(version))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"version {version}")
    return git(repo, "rev-parse", "HEAD")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url):
    return urllib.request.urlopen(url, timeout=10).read()


def post(url, body=b"", headers=None):
    request = urllib.request.Request(url, data=body, method="POST", headers=headers or {})
    return urllib.request.urlopen(request, timeout=10).status


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def wait_for(predicate, seconds=30, step=0.005):
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(here, "..", ".build", "release", "litellm-synapse"))
    parser.add_argument("--pushes", type=int, default=11)
    parser.add_argument("--noops", type=int, default=500)
    args = parser.parse_args()
    key, webhook_secret, token = (secrets.token_hex(16) for _ in range(3))
    env = dict(os.environ, SYNAPSE_API_KEY=key, OPENAI_API_KEY="sk-bench")

    with tempfile.TemporaryDirectory() as work:
        repo = os.path.join(work, "repo")
        os.makedirs(repo)
        git(repo, "init", "-q", "-b", "main")
        first = commit(repo, 0)
        for name, value in [("webhook", webhook_secret), ("token", token)]:
            with open(os.path.join(work, name), "w") as f:
                f.write(value)
        sim = subprocess.Popen([args.binary, "gateway-sim", "--port", "0"], env=env, stdout=subprocess.PIPE, text=True)
        gateway = sim.stdout.readline().strip().split("listening on ")[-1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        watch = subprocess.Popen(
            [args.binary, "watch", "--repo", repo, "--path", "config.yaml", "--state-dir", os.path.join(work, "state"),
             "--gateway-url", gateway, "--listen", f"127.0.0.1:{port}", "--interval", "1h", "--log-level", "warning",
             "--webhook-secret-file", os.path.join(work, "webhook"), "--reconcile-token-file", os.path.join(work, "token")],
            env=env, stderr=subprocess.DEVNULL)
        try:
            def status():
                try:
                    return json.loads(get(base + "/api/status"))
                except Exception:
                    return {}

            if not wait_for(lambda: status().get("lastGoodRevision") == first, 60):
                sys.exit(f"the controller did not apply the first commit: {status()}")
            time.sleep(2)
            idle = rss_mib(watch.pid)

            latencies = []
            for version in range(1, args.pushes + 1):
                revision = commit(repo, version)
                body = json.dumps({"ref": "refs/heads/main", "after": revision}).encode()
                signature = "sha256=" + hmac.new(webhook_secret.encode(), body, hashlib.sha256).hexdigest()
                start = time.perf_counter()
                post(base + "/webhook", body, {"X-Hub-Signature-256": signature, "X-GitHub-Event": "push", "Content-Type": "application/json"})
                if not wait_for(lambda: status().get("lastGoodRevision") == revision):
                    sys.exit(f"push {version} was not applied: {status()}")
                latencies.append(time.perf_counter() - start)
                updated = status()["recent"][0]["updated"]

            def passes():
                text = get(base + "/metrics").decode()
                return sum(float(v) for v in re.findall(r'^litellm_synapse_reconciles_total\{[^}]*\} ([0-9.e+]+)$', text, re.M))

            samples = []
            done = passes()
            for i in range(args.noops):
                post(base + "/reconcile", headers={"Authorization": f"Bearer {token}"})
                target = done + 1
                if not wait_for(lambda: passes() >= target, step=0.002):
                    sys.exit("a no-op reconcile did not finish")
                done = passes()
                if i % 100 == 0 or i == args.noops - 1:
                    samples.append((i + 1, rss_mib(watch.pid)))
            noop_status = status()["recent"][0]["status"]
        finally:
            watch.terminate()
            watch.wait(timeout=15)
            sim.kill()
            sim.wait()

    print(f"push-to-applied through the webhook, 10-model change ({len(latencies)} pushes, {updated} updates each): "
          f"median {statistics.median(latencies) * 1000:.0f} ms, min {min(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    print(f"idle memory after the first apply: {idle:.1f} MiB RSS")
    print(f"{args.noops} no-op reconciles (last status {noop_status}): RSS " + ", ".join(f"after {n}: {m:.1f} MiB" for n, m in samples))


main()
