import { jestTempTeardown } from '@chefcloud/db/testing';

/** The run's temp folder must be empty: tests leave nothing behind (a leftover fails the run). */
export default function globalTeardown(): void {
  jestTempTeardown();
}
