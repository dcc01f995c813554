// Classifies AWS SDK v3 errors (service exceptions by name, HTTP status, network failures).
import { isNetworkError, type KmsFailure } from '../../keys/kms-errors';

const NOT_FOUND = new Set(['ResourceNotFoundException', 'NotFoundException']);
const PERMISSION = new Set([
  'AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidSignatureException',
  'ExpiredTokenException', 'InvalidClientTokenId', 'MissingAuthenticationToken', 'IncompleteSignature',
  'CredentialsProviderError', 'SignatureDoesNotMatch',
]);
const CRYPTO = new Set(['InvalidCiphertextException', 'IncorrectKeyException', 'InvalidKeyUsageException']);
const RETRIABLE = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException',
  'KMSInternalException', 'InternalServiceError', 'InternalServiceErrorException', 'InternalFailure',
  'ServiceUnavailable', 'ServiceUnavailableException', 'DependencyTimeoutException', 'KeyUnavailableException',
  'RequestTimeout', 'RequestTimeoutException', 'TimeoutError',
]);

export function classifyAwsError(err: unknown): KmsFailure {
  const e = (err ?? {}) as { name?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = status !== undefined ? `${name}, HTTP ${status}` : name;
  if (NOT_FOUND.has(name)) return { kind: 'not-found', detail };
  if (PERMISSION.has(name)) return { kind: 'permission', detail };
  if (CRYPTO.has(name)) return { kind: 'crypto', detail };
  if (RETRIABLE.has(name) || e.$retryable || isNetworkError(err)) return { kind: 'retriable', detail };
  if (status === 401 || status === 403) return { kind: 'permission', detail };
  if (status === 429 || (status !== undefined && status >= 500)) return { kind: 'retriable', detail };
  return { kind: 'other', detail };
}
