// Classifies Google Cloud client errors by gRPC status code.
import { isNetworkError, type KmsFailure } from '../../keys/kms-errors';

const NAMES: Record<number, string> = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED', 9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 15: 'DATA_LOSS', 16: 'UNAUTHENTICATED',
};

export function classifyGcpError(err: unknown): KmsFailure {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'number') {
    return isNetworkError(err) ? { kind: 'retriable', detail: 'network error' } : { kind: 'other', detail: 'client error' };
  }
  const detail = `gRPC ${NAMES[code] ?? code}`;
  switch (code) {
    case 5: return { kind: 'not-found', detail };
    case 7: case 16: return { kind: 'permission', detail };
    case 4: case 8: case 10: case 13: case 14: return { kind: 'retriable', detail };
    default: return { kind: 'other', detail };
  }
}
