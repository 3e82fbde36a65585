import fs from 'node:fs';
import path from 'node:path';

export interface BuildInfo {
  /** services/api/package.json's version. */
  version: string;
  /** The deployed commit (Render sets RENDER_GIT_COMMIT), 12 characters; 'unknown' elsewhere. */
  commit: string;
}

let cached: BuildInfo | undefined;

/** What build is running: read once (readiness answers and chefcloud_build_info report it). */
export function buildInfo(): BuildInfo {
  cached ??= { version: packageVersion(), commit: process.env.RENDER_GIT_COMMIT?.slice(0, 12) || 'unknown' };
  return cached;
}

function packageVersion(): string {
  try {
    // src/common/build (ts-jest) and dist/common/build (the build) are both three levels down.
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
