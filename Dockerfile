# syntax=docker/dockerfile:1
# Sitewright: build the workspace, then a slim runtime with Node, system Chromium and fonts.

FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true TURBO_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@10.34.8
WORKDIR /app

# Dependencies first, so source changes do not invalidate the install layer.
FROM base AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY patches patches
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY packages/engine/package.json packages/engine/
COPY packages/llm/package.json packages/llm/
COPY packages/website/package.json packages/website/
RUN pnpm install --frozen-lockfile

FROM deps AS build
COPY . .
RUN pnpm --filter @sitewright/web build

# Production dependencies only (tsx runs the TypeScript sources; there is no separate compile step).
FROM deps AS prod-deps
RUN pnpm install --frozen-lockfile --prod

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation ca-certificates tini \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system sitewright && useradd --system --gid sitewright --home /app sitewright \
  && mkdir -p /data && chown sitewright:sitewright /data
WORKDIR /app
COPY --from=prod-deps --chown=sitewright:sitewright /app ./
COPY --chown=sitewright:sitewright package.json ./
COPY --chown=sitewright:sitewright apps/api apps/api
COPY --chown=sitewright:sitewright packages packages
COPY --chown=sitewright:sitewright prompts prompts
COPY --from=build --chown=sitewright:sitewright /app/apps/web/dist apps/web/dist
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8888 DATA_DIR=/data CHROMIUM_PATH=/usr/bin/chromium
USER sitewright
VOLUME ["/data"]
EXPOSE 8888
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8888)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
