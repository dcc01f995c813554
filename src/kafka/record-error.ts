// The error the middleware raises about one Kafka record: it keeps the engine's code, retriable flag and field
// path, and adds where the record is (topic, partition, offset or message index), never its content.
import { KryptoniteError, asKryptoniteError } from '../errors';

export interface RecordLocation {
  topic: string;
  partition?: number;
  /** Consumer side. */
  offset?: string;
  /** Producer side: the message's index in the send() call. */
  index?: number;
}

export function describeLocation(at: RecordLocation): string {
  if (at.offset !== undefined) return `topic '${at.topic}' partition ${String(at.partition)} offset ${at.offset}`;
  return `topic '${at.topic}' message #${String(at.index)}`;
}

export class RecordCryptoError extends KryptoniteError {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly offset: string | undefined;

  /** The engine's error. Deliberately not `cause`: KafkaJS reports an error's cause instead of the error itself. */
  readonly original: KryptoniteError;

  constructor(action: 'encrypt' | 'decrypt', at: RecordLocation, error: KryptoniteError, retriable = error.retriable) {
    super(error.code, `cannot ${action} the record at ${describeLocation(at)}: ${error.message}`, { retriable });
    this.original = error;
    // The wrapped message already names the field; set the path without repeating it in the text.
    Object.defineProperty(this, 'fieldPath', { value: error.fieldPath, enumerable: true });
    this.topic = at.topic;
    this.partition = at.partition;
    this.offset = at.offset;
  }
}

/** Any failure from the record layer as a KryptoniteError (unexpected errors keep their cause, not their text). */
export function asRecordError(err: unknown, action: 'encrypt' | 'decrypt'): KryptoniteError {
  return asKryptoniteError(err, action === 'encrypt' ? 'ENCRYPT_FAILED' : 'DECRYPT_FAILED', `${action}ion failed unexpectedly`);
}
