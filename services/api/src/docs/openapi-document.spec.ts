import fs from 'node:fs';
import { generateOpenApiDocument, OPENAPI_PATH, openApiText } from './openapi-document';

describe('docs/openapi.json', () => {
  it('is exactly what the code generates (else: npm run openapi:generate, and commit the diff)', async () => {
    const generated = openApiText(await generateOpenApiDocument());
    const committed = fs.readFileSync(OPENAPI_PATH, 'utf8');
    expect(committed === generated).toBe(true);
  });
});
