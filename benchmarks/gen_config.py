#!/usr/bin/env python3
"""Writes a synthetic LiteLLM config with N deployments (default 10,000) to stdout.

Realistic shape: groups of 1-4 deployments across OpenAI, Azure (many regions), Anthropic, Bedrock and Vertex,
env-var keys, rpm/tpm limits, model_info with capabilities and prices, router settings with aliases.
Deterministic for a given N.
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
rng = random.Random(42)
providers = ["openai", "azure", "anthropic", "bedrock", "vertex_ai"]
out = ["model_list:"]
group = 0
made = 0
while made < n:
    size = min(rng.choice([1, 1, 2, 3, 4]), n - made)
    name = f"model-{group:05d}"
    for i in range(size):
        p = providers[(group + i) % len(providers)]
        region = rng.randrange(40)
        out.append(f"  - model_name: {name}")
        out.append("    litellm_params:")
        if p == "azure":
            out.append(f"      model: azure/{name}-deploy-{i}")
            out.append(f"      api_base: https://acme-region{region}.openai.azure.com/")
            out.append(f"      api_key: os.environ/AZURE_REGION{region}_KEY")
            out.append('      api_version: "2024-08-01-preview"')
        elif p == "bedrock":
            out.append(f"      model: bedrock/anthropic.{name}-v{i}:0")
            out.append("      aws_access_key_id: os.environ/AWS_ACCESS_KEY_ID")
            out.append("      aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY")
            out.append(f"      aws_region_name: us-east-{1 + region % 2}")
        elif p == "vertex_ai":
            out.append(f"      model: vertex_ai/{name}")
            out.append(f"      vertex_project: acme-{region % 5}")
            out.append("      vertex_location: us-central1")
            out.append("      vertex_credentials: os.environ/VERTEX_CREDENTIALS")
        else:
            out.append(f"      model: {p}/{name}")
            out.append(f"      api_key: os.environ/{p.upper()}_API_KEY")
        out.append(f"      rpm: {rng.randrange(10, 2000)}")
        out.append(f"      tpm: {rng.randrange(10_000, 2_000_000)}")
        out.append("    model_info:")
        out.append("      mode: chat")
        out.append("      supports_function_calling: true")
        out.append(f"      max_input_tokens: {rng.choice([8192, 32768, 128000, 200000])}")
        out.append(f"      input_cost_per_token: {rng.randrange(1, 100) / 1e7}")
        out.append(f"      output_cost_per_token: {rng.randrange(1, 100) / 1e6}")
        made += 1
    group += 1
out += [
    "router_settings:",
    "  routing_strategy: simple-shuffle",
    "  num_retries: 2",
    "  model_group_alias:",
    "    gpt-latest: model-00000",
    "litellm_settings:",
    "  drop_params: true",
    "general_settings:",
    "  master_key: os.environ/LITELLM_MASTER_KEY",
]
sys.stdout.write("\n".join(out) + "\n")
