// Classifies Azure SDK errors (RestError status codes, network failures, credential failures).
import { isNetworkError, type KmsFailure } from '../../keys/kms-errors';

export function classifyAzureError(err: unknown): KmsFailure {
  const e = (err ?? {}) as { name?: unknown; statusCode?: unknown; code?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' && /^[A-Za-z_]+$/.test(e.code) ? e.code : undefined;
  const detail = [name, code, status !== undefined ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
  if (name === 'CredentialUnavailableError' || name === 'AuthenticationError' || name === 'AuthenticationRequiredError') {
    return { kind: 'permission', detail };
  }
  if (status === 404) return { kind: 'not-found', detail };
  if (status === 401 || status === 403) return { kind: 'permission', detail };
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) return { kind: 'retriable', detail };
  if (isNetworkError(err) || code === 'REQUEST_SEND_ERROR') return { kind: 'retriable', detail };
  return { kind: 'other', detail };
}
