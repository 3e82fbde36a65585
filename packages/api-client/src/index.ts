import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/api';

/**
 * A typed client of the ChefCloud Core API. Its types come from the committed OpenAPI document
 * (docs/openapi.json) through openapi-typescript (`npm run generate`, run by build, typecheck and
 * lint), so a contract change that breaks a caller breaks its compilation.
 */
export type ChefCloudClient = Client<paths>;
export type { components, paths };
export type Schemas = components['schemas'];

export function createChefCloudClient(baseUrl: string, token?: string): ChefCloudClient {
  return createClient<paths>({
    baseUrl,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}
