import { RequestBodyError } from '../../http/request-body-error';
import { mappedError, type MappedError } from './mapped-error';

/**
 * Bodies refused before any handler ran (common/http: not JSON 415, too large 413, malformed or
 * hostile JSON 400). Their messages are safe to show by construction.
 */
export function mapBodyParsingError(exception: unknown): MappedError | undefined {
  if (!(exception instanceof RequestBodyError)) return undefined;
  return mappedError(exception.code, exception.message);
}
