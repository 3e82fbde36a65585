import path from 'node:path';

/** The monorepo root (packages/deploy/{src,dist} → ../../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const RENDER_YAML = path.join(REPO_ROOT, 'render.yaml');
