import fs from 'node:fs';
import { parse } from 'yaml';

/** One entry of a service's `envVars` in a Render Blueprint. */
export interface BlueprintEnvVar {
  key: string;
  value?: string | number | boolean;
  generateValue?: boolean;
  sync?: boolean;
  fromDatabase?: { name: string; property: string };
  fromService?: Record<string, unknown>;
  fromGroup?: string;
}

export interface BlueprintService {
  type: string;
  name: string;
  runtime?: string;
  plan?: string;
  region?: string;
  numInstances?: number;
  buildCommand?: string;
  preDeployCommand?: string;
  startCommand?: string;
  healthCheckPath?: string;
  autoDeployTrigger?: string;
  maxShutdownDelaySeconds?: number;
  envVars?: BlueprintEnvVar[];
}

export interface BlueprintDatabase {
  name: string;
  plan?: string;
  postgresMajorVersion?: string;
  databaseName?: string;
  user?: string;
  ipAllowList?: unknown[];
}

export interface Blueprint {
  services: BlueprintService[];
  databases: BlueprintDatabase[];
}

/** Parse a render.yaml (Render Blueprint). */
export function loadBlueprint(file: string): Blueprint {
  const doc = parse(fs.readFileSync(file, 'utf8')) as Partial<Blueprint> | null;
  if (!doc || !Array.isArray(doc.services)) throw new Error(`${file}: not a Render Blueprint (no services:)`);
  return { services: doc.services, databases: doc.databases ?? [] };
}

/** The web service named `name` (or the only web service). */
export function webService(blueprint: Blueprint, name?: string): BlueprintService {
  const webs = blueprint.services.filter((s) => s.type === 'web' && (!name || s.name === name));
  if (webs.length !== 1)
    throw new Error(
      name ? `no web service named ${name} in the blueprint` : `expected one web service, found ${webs.length}`,
    );
  return webs[0];
}

export function envVar(service: BlueprintService, key: string): BlueprintEnvVar | undefined {
  return service.envVars?.find((v) => v.key === key);
}

/**
 * The free-plan variant of a web service (docs/runbooks/deploy.md, "Free-plan variant"): Render's
 * free plan has no pre-deploy step, so the start command migrates first, then `exec`s the
 * service (so that Render's SIGTERM reaches the API itself and it drains).
 */
export function freePlanVariant(service: BlueprintService): BlueprintService {
  if (!service.preDeployCommand)
    throw new Error(`${service.name} has no preDeployCommand to move into its start command`);
  if (!service.startCommand) throw new Error(`${service.name} has no startCommand`);
  const { preDeployCommand, ...rest } = service;
  return { ...rest, plan: 'free', startCommand: `${preDeployCommand} && exec ${service.startCommand}` };
}
