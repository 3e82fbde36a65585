import { jestTempSetup } from '@chefcloud/db/testing';

/** A temp folder of the run's own (TMPDIR), checked empty at the end (global-teardown.ts). */
export default function globalSetup(): void {
  jestTempSetup();
}
