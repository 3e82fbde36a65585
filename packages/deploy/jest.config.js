// @ts-check
/** Unit tests of @chefcloud/deploy: the blueprint, Dockerfile and compose file, checked statically. */
const { unitConfig } = require('../../jest.shared');

module.exports = unitConfig('deploy:unit');
