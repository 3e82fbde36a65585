import fs from 'node:fs';
import { committedValidator, isProcessUrl, recordResponse, takeViolations, validatedCount } from './openapi-validation';

/**
 * Jest setup of every integration test file (setupFilesAfterEnv): a response that contradicts
 * the OpenAPI document fails the test during which it was sent (afterEach), or the file when it
 * was sent in beforeAll/afterAll; the file's count of validated responses goes to the run's
 * tally (global-teardown.ts prints the total).
 */

function failOnViolations(): void {
  const found = takeViolations();
  if (found.length)
    throw new Error(`${found.length} response(s) contradict the OpenAPI document:\n${found.join('\n')}`);
}

// API processes (dist/main.js) answer over the network: validate what fetch receives from them.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await realFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (isProcessUrl(url)) {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    // Read a copy of the body without delaying the caller (a streaming or slow body stays so).
    response
      .clone()
      .arrayBuffer()
      .then((body) =>
        recordResponse(committedValidator(), {
          method,
          url: `${url.pathname}${url.search}`,
          status: response.status,
          headers: Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v])),
          body: Buffer.from(body),
        }),
      )
      .catch(() => undefined /* the connection died before the body arrived: nothing to validate */);
  }
  return response;
};

afterEach(failOnViolations);

afterAll(() => {
  const tally = process.env.CHEFCLOUD_OPENAPI_TALLY;
  if (tally) fs.appendFileSync(tally, `${validatedCount()}\n`);
  failOnViolations();
});
