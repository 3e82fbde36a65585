import { jestGlobalTeardown } from '@chefcloud/db/testing';

export default jestGlobalTeardown;
