/** @chefcloud/deploy: the Render blueprint, read and rehearsed. */
export {
  loadBlueprint,
  webService,
  envVar,
  type Blueprint,
  type BlueprintService,
  type BlueprintEnvVar,
} from './render-blueprint';
export { resolveNpmCommand, leafCommands, type ResolvedStep } from './npm-scripts';
export {
  deployLocal,
  blueprintEnvironment,
  type DeployLocalOptions,
  type DeployLocalResult,
  type PhaseName,
} from './deploy-local';
export { parseDockerfile, loadCompose } from './container-files';
export { REPO_ROOT, RENDER_YAML } from './repo';
