// @ts-check
/** Integration tests of the API: real PostgreSQL migrated with `prisma migrate deploy`, HTTP via supertest. */
const { integrationConfig } = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = integrationConfig('api:int');
