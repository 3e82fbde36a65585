// @ts-check
/**
 * Integration tests of the API: real PostgreSQL migrated with `prisma migrate deploy`, HTTP via
 * supertest; every response is validated against the OpenAPI document (test/support/openapi-setup.ts).
 */
const { integrationConfig } = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = integrationConfig('api:int', {
  setupFilesAfterEnv: ['<rootDir>/test/support/openapi-setup.ts'],
});
