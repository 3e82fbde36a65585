import { jestGlobalTeardown } from '../../src/testing/jest-global';

export default jestGlobalTeardown;
