// Dead-letter copies: the original record bytes (key, value, headers, timestamp) plus headers that say why and
// where it failed. Nothing decrypted ever goes into a dead-letter record.
import type { IHeaders, KafkaMessage, Message, Producer } from 'kafkajs';
import type { KryptoniteError } from '../errors';

/** Header names on dead-letter records; values are UTF-8 text. */
export const DEAD_LETTER_HEADERS = {
  errorCode: 'kryptonite.error.code',
  /** The field path that failed (`<key>` / `<value>` for a whole key or value, or a record that is not a JSON object). */
  fieldPath: 'kryptonite.error.field',
  /** The error message: it names the problem and the field, never data. */
  errorMessage: 'kryptonite.error.message',
  topic: 'kryptonite.source.topic',
  partition: 'kryptonite.source.partition',
  offset: 'kryptonite.source.offset',
} as const;

export function deadLetterMessage(topic: string, partition: number, message: KafkaMessage, error: KryptoniteError): Message {
  const headers: IHeaders = { ...(message.headers ?? {}) };
  headers[DEAD_LETTER_HEADERS.errorCode] = error.code;
  headers[DEAD_LETTER_HEADERS.fieldPath] = error.fieldPath ?? '';
  headers[DEAD_LETTER_HEADERS.errorMessage] = error.message;
  headers[DEAD_LETTER_HEADERS.topic] = topic;
  headers[DEAD_LETTER_HEADERS.partition] = String(partition);
  headers[DEAD_LETTER_HEADERS.offset] = message.offset;
  return { key: message.key, value: message.value, headers, timestamp: message.timestamp };
}

// The dead-letter producer must write the original bytes, so an encrypting wrapper is unwrapped to its producer.
const PLAIN_PRODUCER = Symbol.for('kryptonite-kafkajs.plainProducer');

export function markWrapped(wrapper: Producer, plain: Producer): void {
  Object.defineProperty(wrapper, PLAIN_PRODUCER, { value: plain, enumerable: false });
}

export function plainProducer(producer: Producer): Producer {
  let p = producer;
  for (let inner = unwrapOnce(p); inner !== undefined; inner = unwrapOnce(p)) p = inner;
  return p;
}

function unwrapOnce(producer: Producer): Producer | undefined {
  return (producer as unknown as Record<symbol, Producer | undefined>)[PLAIN_PRODUCER];
}
