#!/usr/bin/env python3
"""`helm lint` and `helm template` without a helm binary, over PyPI's helm-python-sdk (the Helm 4 Go library).

    helm_tool.py lint CHART [-f VALUES]... [--strict]
    helm_tool.py template CHART [-f VALUES]... [--name N] [--namespace NS] [--output-dir DIR]
    helm_tool.py verify RENDERED.yaml... [--crd-schema KIND=SCHEMA.json]...

Values files merge left to right, like helm's -f. `template` validates the values against the chart's
values.schema.json first (as `helm template` does), prints the manifests as one multi-document YAML stream (or writes
one file per template to --output-dir) and exits 1 with Helm's message when the values or a template fail.
`verify` checks what schema validation cannot see in this chart's rendered output: the Deployment's invariants
(one replica, Recreate, non-root, read-only root, probes, every volume with a source, every --*-file flag backed by
a projected file), that no Secret value or literal credential is rendered, and custom resources (ServiceMonitor)
against a JSON schema given with --crd-schema, since kubernetes-validate only knows built-in kinds.
Run it with the virtualenv that scripts/helm-check.sh creates.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import helm_python


def merged_values(files: list[str]) -> dict:
    """Deep-merges the values files left to right (maps merge, everything else is replaced), as helm -f does."""
    def merge(base: dict, override: dict) -> dict:
        out = dict(base)
        for key, value in override.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = value
        return out

    values: dict = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            values = merge(values, helm_python.values_from_yaml(f.read()) or {})
    return values


def lint(args: argparse.Namespace) -> int:
    report = helm_python.lint(args.chart, merged_values(args.values), strict=args.strict, quiet=False)
    severities = {0: "UNKNOWN", 1: "INFO", 2: "WARNING", 3: "ERROR"}
    failing = 3 if not args.strict else 2
    worst = 0
    for message in report.get("messages", []):
        severity = message.get("severity", 0)
        worst = max(worst, severity)
        print(f"[{severities.get(severity, severity)}] {message.get('path', '')}: {message.get('error', '')}")
    for error in report.get("errors", []) or []:
        print(f"[ERROR] {error}")
        worst = 3
    linted = report.get("total_charts_linted", 0)
    ok = worst < failing and linted > 0
    print(f"{linted} chart(s) linted, {'no failures' if ok else 'failed'}{' (strict)' if args.strict else ''}")
    return 0 if ok else 1


def template(args: argparse.Namespace) -> int:
    chart = helm_python.Chart.load(args.chart)
    values = merged_values(args.values)
    try:
        chart.validate_schema(values)
        manifests = chart.render(values, name=args.name, namespace=args.namespace, is_install=True)
    except helm_python.HelmError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    documents = []
    for path in sorted(manifests):
        text = manifests[path].strip()
        if not text or path.endswith("NOTES.txt") or all(
                not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
            continue
        documents.append((path, text))
    if args.output_dir:
        os.makedirs(args.output_dir, exist_ok=True)
        for path, text in documents:
            with open(os.path.join(args.output_dir, os.path.basename(path)), "w", encoding="utf-8") as f:
                f.write(f"---\n# Source: {path}\n{text}\n")
    else:
        for path, text in documents:
            print(f"---\n# Source: {path}\n{text}")
    return 0


RECOMMENDED_LABELS = ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                      "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by")
VOLUME_SOURCES = ("emptyDir", "persistentVolumeClaim", "projected", "secret", "configMap", "hostPath", "csi", "ephemeral")
# Flags whose value would be a secret itself; the chart must pass files instead.
SECRET_FLAGS = ("--api-key", "--git-token", "--git-password", "--webhook-secret", "--reconcile-token", "--ssh-passphrase")


def deployment_problems(doc: dict) -> list[str]:
    problems = []
    spec = doc.get("spec", {})
    pod = spec.get("template", {}).get("spec", {})
    if spec.get("replicas") != 1:
        problems.append("replicas must be 1 (the state folder holds a lock)")
    if spec.get("strategy", {}).get("type") != "Recreate":
        problems.append("strategy must be Recreate")
    psc = pod.get("securityContext", {})
    for key, want in (("runAsNonRoot", True), ("runAsUser", 65532), ("runAsGroup", 65532), ("fsGroup", 65532)):
        if psc.get(key) != want:
            problems.append(f"pod securityContext.{key} must be {want!r}, is {psc.get(key)!r}")
    if psc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        problems.append("pod seccompProfile must be RuntimeDefault")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for name, volume in volumes.items():
        sources = [k for k in volume if k in VOLUME_SOURCES]
        if len(sources) != 1 or volume[sources[0]] is None:
            problems.append(f"volume {name} needs exactly one source, has {sources}")
    projected = {}
    for name, volume in volumes.items():
        if "projected" in volume:
            mode = volume["projected"].get("defaultMode", 0o644)
            if mode & 0o337:
                problems.append(f"projected volume {name} defaultMode {mode:#o} gives more than read access to owner/group")
            for source in volume["projected"].get("sources", []):
                for kind in ("secret", "configMap"):
                    for item in (source.get(kind) or {}).get("items", []):
                        projected.setdefault(name, set()).add(item["path"])
    for container in pod.get("containers", []):
        where = f"container {container.get('name')}"
        csc = container.get("securityContext", {})
        if csc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}: allowPrivilegeEscalation must be false")
        if csc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{where}: readOnlyRootFilesystem must be true")
        if "ALL" not in csc.get("capabilities", {}).get("drop", []):
            problems.append(f"{where}: capabilities.drop must contain ALL")
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            if container.get(probe, {}).get("httpGet", {}).get("path") != path:
                problems.append(f"{where}: {probe} must GET {path}")
        resources = container.get("resources", {})
        for part in ("requests", "limits"):
            if not {"cpu", "memory"} <= set(resources.get(part, {})):
                problems.append(f"{where}: resources.{part} needs cpu and memory")
        mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
        for path, mount in mounts.items():
            if mount["name"] not in volumes:
                problems.append(f"{where}: mount {path} names a missing volume {mount['name']}")
        if "/tmp" not in mounts:
            problems.append(f"{where}: /tmp must be a volume (read-only root filesystem)")
        args = [str(a) for a in container.get("args", [])]
        for index, arg in enumerate(args):
            flag = arg.split("=", 1)[0]
            if flag in SECRET_FLAGS:
                problems.append(f"{where}: {flag} passes a secret on the command line")
            if flag == "--state-dir" and args[index + 1] not in mounts:
                problems.append(f"{where}: --state-dir {args[index + 1]} is not a mounted volume")
            if flag.endswith("-file") and index + 1 < len(args):
                path = args[index + 1]
                mount = next((m for p, m in mounts.items() if path.startswith(p.rstrip("/") + "/")), None)
                if mount is None or not mount.get("readOnly"):
                    problems.append(f"{where}: {flag} {path} is not on a read-only mounted volume")
                elif path.rsplit("/", 1)[1] not in projected.get(mount["name"], set()):
                    problems.append(f"{where}: {flag} {path} is not projected into volume {mount['name']}")
        for env in container.get("env", []):
            if "value" in env and env["name"] != "HOME":
                problems.append(f"{where}: env {env['name']} has a literal value; use valueFrom.secretKeyRef")
    return problems


def verify(args: argparse.Namespace) -> int:
    import re

    import jsonschema
    import yaml

    schemas = {}
    for spec in args.crd_schema:
        kind, _, path = spec.partition("=")
        with open(path, encoding="utf-8") as f:
            schemas[kind] = json.load(f)
    secretish = re.compile(r"(sk-[A-Za-z0-9_-]{8,}|ghp_[A-Za-z0-9]{8,}|glpat-[A-Za-z0-9_-]{8,}|AKIA[0-9A-Z]{12,}|"
                           r"-----BEGIN [A-Z ]*PRIVATE KEY-----)")
    failures = 0
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for match in secretish.finditer(text):
            print(f"FAIL {path}: secret-looking text {match.group(0)[:12]}… in the rendered output")
            failures += 1
        for doc in yaml.safe_load_all(text):
            if not doc:
                continue
            name = f"{path}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
            problems = []
            if doc.get("kind") in ("Secret", "ConfigMap") or "data" in doc or "stringData" in doc:
                problems.append("the chart must not render Secrets or data; it only references existing Secrets")
            labels = doc.get("metadata", {}).get("labels", {})
            problems += [f"missing label {label}" for label in RECOMMENDED_LABELS if label not in labels]
            if doc.get("kind") == "Deployment":
                problems += deployment_problems(doc)
            if doc.get("kind") in schemas:
                validator = jsonschema.Draft202012Validator(schemas[doc["kind"]])
                problems += [f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}"
                             for e in validator.iter_errors(doc)]
            for problem in problems:
                print(f"FAIL {name}: {problem}")
            failures += len(problems)
            if not problems:
                print(f"ok   {name}" + (" (CRD schema)" if doc.get("kind") in schemas else ""))
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    lint_parser = commands.add_parser("lint", help="lint a chart (exit 1 on errors; with --strict also on warnings)")
    lint_parser.add_argument("chart")
    lint_parser.add_argument("-f", "--values", action="append", default=[], help="values file (repeatable)")
    lint_parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint_parser.set_defaults(run=lint)

    template_parser = commands.add_parser("template", help="render a chart offline")
    template_parser.add_argument("chart")
    template_parser.add_argument("-f", "--values", action="append", default=[], help="values file (repeatable)")
    template_parser.add_argument("--name", default="release-name", help="release name")
    template_parser.add_argument("--namespace", default="default", help="release namespace")
    template_parser.add_argument("--output-dir", help="write one file per template here instead of printing")
    template_parser.set_defaults(run=template)

    verify_parser = commands.add_parser("verify", help="check rendered manifests for this chart's invariants")
    verify_parser.add_argument("files", nargs="+", help="rendered manifest files")
    verify_parser.add_argument("--crd-schema", action="append", default=[], metavar="KIND=SCHEMA.json",
                               help="JSON schema for a custom resource kind (repeatable)")
    verify_parser.set_defaults(run=verify)

    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
