# syntax=docker/dockerfile:1
# alert-router: multi-stage build. Stage 1 compiles TypeScript with dev dependencies; stage 2
# installs production dependencies only; the runtime stage gets dist/, config/, runbooks/ and
# node_modules, owned by root and read-only for the unprivileged user that runs the service.
# Node.js 24 LTS (https://github.com/nodejs/Release#release-schedule); the package runs on 22 too.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY demo ./demo
COPY exporters ./exporters
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The seed's exporters (feature-store, model-registry, gpu): `docker build --target exporters`; each
# compose service picks its program with `command`. Node handles SIGTERM itself (each exporter
# closes its server), so no tini here.
FROM ${NODE_IMAGE} AS exporters
ENV NODE_ENV=production EXPORTER_HOST=0.0.0.0
WORKDIR /app
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/exporters ./dist/exporters
# src/lib imports nothing else of ours; the exporters read their secrets with its read-secret.js.
COPY --from=build /app/dist/src/lib ./dist/src/lib
COPY exporters/gpu/recorded ./dist/exporters/gpu/recorded
USER 1000:1000
EXPOSE 9101 9102 9103
CMD ["node", "dist/exporters/feature-store/main.js"]

FROM ${NODE_IMAGE} AS runtime
# Set by the build (docker build --build-arg VERSION=$(git describe) --build-arg REVISION=$(git rev-parse HEAD)).
ARG VERSION=dev
ARG REVISION=unknown
# https://github.com/opencontainers/image-spec/blob/main/annotations.md
LABEL org.opencontainers.image.title="alert-router" \
      org.opencontainers.image.description="Turns Prometheus Alertmanager notifications into pages an on-call engineer can act on: Slack, PagerDuty, email" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# tini as PID 1: it forwards SIGTERM to node (which then drains its workers, and ROLE=all's worker
# process) and reaps exited children, neither of which a PID 1 node does by itself
# (https://github.com/krallin/tini#why-tini).
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=8080 \
    ALERT_ROUTER_CONFIG=config/alert-router.yml \
    RUNBOOKS_DIR=runbooks
WORKDIR /app
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The demo's GPU fault starts from this recorded nvidia-smi output (demo/gpu-fault.ts).
COPY exporters/gpu/recorded ./dist/exporters/gpu/recorded
COPY config ./config
COPY runbooks ./runbooks
# The compose stack's gpu-fault volume mounts here; a new named volume takes this ownership, so the
# ML-platform demo (uid 1000) can write its GPU fault into it.
RUN mkdir -p /var/lib/gpu-fault && chown 1000:1000 /var/lib/gpu-fault
# uid 1000 is the image's `node` user. Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
# Liveness only (/healthz); readiness (/readyz) belongs to the orchestrator. No curl in slim images,
# and a second node per check would cost ~40 MB and 100 ms of CPU every 15 s: bash's /dev/tcp
# sends the request and the status line is checked for 200.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["timeout", "4", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
