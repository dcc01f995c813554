// Turns SDK failures (AWS, GCP gRPC, Azure REST) into KmsError / KeyNotFoundError with a stable code and
// an honest retriable flag. Messages name the operation and the resource, never payloads or key bytes.
import { KeyNotFoundError, KmsError, KryptoniteError } from '../errors';

export type KmsFailureKind = 'not-found' | 'permission' | 'retriable' | 'crypto' | 'other';

/** What an SDK error means for us. `detail` is a short, data-free description (error name / status). */
export interface KmsFailure {
  kind: KmsFailureKind;
  detail: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);

const NETWORK_IN_TEXT = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|socket hang up)\b/;

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** A network-level failure anywhere in the cause chain (connection refused, reset, DNS, timeout). */
export function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; e = field(e, 'cause'), depth++) {
    const code = field(e, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    const name = field(e, 'name');
    if (name === 'TimeoutError' || name === 'AbortError' || name === 'RequestTimeout') return true;
    // Some SDKs re-wrap the socket error and keep only its text ("... connect ECONNREFUSED 127.0.0.1:9").
    const message = field(e, 'message');
    if (typeof message === 'string' && NETWORK_IN_TEXT.test(message)) return true;
    const errors = field(e, 'errors');
    if (Array.isArray(errors) && errors.some((x) => isNetworkError(x))) return true;
  }
  return false;
}

/** Builds the error to throw for a classified failure. `what` names the operation and resource. */
export function kmsErrorFor(failure: KmsFailure, what: string, cause: unknown): KryptoniteError {
  switch (failure.kind) {
    case 'not-found':
      return new KeyNotFoundError('KMS_NOT_FOUND', `${what}: not found (${failure.detail})`, { cause, retriable: false });
    case 'permission':
      return new KmsError('KMS_PERMISSION_DENIED', `${what}: permission denied (${failure.detail})`, { cause, retriable: false });
    case 'retriable':
      return new KmsError('KMS_UNAVAILABLE', `${what}: key service unavailable or throttling (${failure.detail})`, { cause, retriable: true });
    case 'crypto':
      return new KmsError('KMS_DECRYPT_FAILED', `${what}: the key service could not decrypt (${failure.detail})`, { cause, retriable: false });
    default:
      return new KmsError('KMS_ERROR', `${what}: key service request failed (${failure.detail})`, { cause, retriable: false });
  }
}

/** Wraps a provider call: classifies anything thrown (unless already ours) with the provider's classifier. */
export async function callKms<T>(what: string, classify: (err: unknown) => KmsFailure, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof KryptoniteError) throw err;
    throw kmsErrorFor(classify(err), what, err);
  }
}
