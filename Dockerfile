# ChefCloud API image. Multi-stage: build with dev dependencies, ship production ones only.
# The same image runs migrations (`npm run db:deploy`, the compose `migrate` service) and the
# API (`node services/api/dist/main.js`). packages/deploy/src/container-files.spec.ts checks it.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is cached until a lockfile or package.json changes.
COPY package.json package-lock.json turbo.json tsconfig.base.json jest.shared.js ./
COPY packages/bench/package.json packages/bench/
COPY packages/db/package.json packages/db/
COPY packages/deploy/package.json packages/deploy/
COPY services/api/package.json services/api/
RUN npm ci --no-audit --no-fund
COPY packages/db packages/db
COPY services/api services/api
# Prisma client generation, explicitly (never trust a cache to have it), then the API build.
RUN npm run db:generate && npx turbo run build --filter=@chefcloud/api

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/bench/package.json packages/bench/
COPY packages/db/package.json packages/db/
COPY packages/deploy/package.json packages/deploy/
COPY services/api/package.json services/api/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/db/dist packages/db/dist
COPY packages/db/prisma packages/db/prisma
COPY packages/db/prisma.config.ts packages/db/
COPY packages/db/engine packages/db/engine
COPY packages/db/scripts packages/db/scripts
COPY --from=build /app/services/api/dist services/api/dist
# Never run as root.
USER node
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "services/api/dist/main.js"]
