# syntax=docker/dockerfile:1
# litellm-synapse image: a Swift build stage, then a slim Debian runtime with only the C libraries the binary uses
# beside the statically linked Swift runtime (libyaml, linked; libcurl and libgit2, loaded on first use, so `ldd`
# does not list them) and CA certificates. Runs as 65532:65532, the user the Helm chart (helm/values.yaml
# securityContext) expects.
#
#   docker build -t registry.example.com/litellm-synapse:0.1.0 .
#   docker run --rm registry.example.com/litellm-synapse:0.1.0 watch --help
#
# Both stages are Debian 12 (bookworm), so the runtime's libgit2 1.5 / libcurl 7.88 / libyaml 0.2.5 are the
# versions the binary was built and tested against (scripts/install-deps.sh installs the same -dev packages).
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get -q update \
 && apt-get -q install -y --no-install-recommends pkg-config libgit2-dev libcurl4-openssl-dev libyaml-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest first: resolving dependencies is cached until Package.swift changes.
COPY Package.swift ./
RUN swift package resolve
# SwiftPM checks every declared target's folder, test targets included, so Tests/ comes along (it is small).
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product litellm-synapse --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/litellm-synapse" /out/litellm-synapse

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="litellm-synapse" \
      org.opencontainers.image.description="GitOps controller keeping a Synapse LLM gateway in sync with a LiteLLM config in git" \
      org.opencontainers.image.version="${VERSION}"
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get -q update \
 && apt-get -q install -y --no-install-recommends libgit2-1.5 libcurl4 libyaml-0-2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 65532 nonroot \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nonroot \
 && install -d -o 65532 -g 65532 -m 0750 /var/lib/litellm-synapse
COPY --from=build /out/litellm-synapse /usr/local/bin/litellm-synapse
# libgit2 looks for a global config under HOME; /tmp is writable (an emptyDir in the chart).
ENV HOME=/tmp
USER 65532:65532
WORKDIR /var/lib/litellm-synapse
# /healthz, /readyz, /metrics, /status, /api/status, POST /webhook, POST /reconcile (watch --listen 0.0.0.0:8080).
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/litellm-synapse"]
CMD ["--help"]
