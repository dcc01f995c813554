// Errors of the Schema Registry record layer: registry I/O failures (retriable when the registry may recover)
// and schema mismatches (never retriable: the same bytes and schema fail the same way again).
import { KryptoniteError, type KryptoniteErrorOptions } from '../errors';

/** A failed call to the Schema Registry. `status` is the HTTP status, or undefined when no response arrived. */
export class SchemaRegistryError extends KryptoniteError {
  readonly status: number | undefined;
  constructor(code: string, message: string, options: KryptoniteErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** The record does not fit its schema, the schema cannot be handled, or the frame is malformed. */
export class SchemaMismatchError extends KryptoniteError {
  constructor(code: string, message: string, options: KryptoniteErrorOptions = {}) {
    super(code, message, { ...options, retriable: false });
  }
}

// mappersmith reports a connection failure as a status-400 response whose message is the socket error.
const NETWORK_FAILURE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND|socket hang up|timeout/i;

/** Wraps an error thrown by the registry client; `what` names the operation (subject, schema id), never record data. */
export function registryFailure(err: unknown, what: string): SchemaRegistryError {
  if (err instanceof SchemaRegistryError) return err;
  const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : undefined;
  const text = err instanceof Error ? err.message : String(err);
  const network = status === undefined || (status === 400 && NETWORK_FAILURE.test(text));
  const retriable = network || status === 408 || status === 429 || (status !== undefined && status >= 500);
  const detail = network ? 'the registry could not be reached' : `HTTP ${String(status)}`;
  // The registry's own message names subjects and schema ids only, so it is safe to keep as the cause.
  return new SchemaRegistryError(retriable ? 'REGISTRY_UNAVAILABLE' : 'REGISTRY_REJECTED', `Schema Registry ${what} failed: ${detail}`,
    { retriable, cause: err, ...(network ? {} : { status }) });
}
