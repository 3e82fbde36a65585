import { jestGlobalSetup } from '../../src/testing/jest-global';

export default jestGlobalSetup;
