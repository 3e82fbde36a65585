// @ts-check
/** Integration tests of @chefcloud/db: the Prisma CLI and offline engine against real PostgreSQL. */
const { integrationConfig } = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = integrationConfig('db:int');
