import { jestGlobalSetup } from '@chefcloud/db/testing';

export default jestGlobalSetup;
