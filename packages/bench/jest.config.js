// @ts-check
/** Unit tests of the benchmark's arithmetic and report (the benchmark itself: npm run bench). */
const { unitConfig } = require('../../jest.shared');

module.exports = unitConfig('bench:unit');
