// What happens to a record the consumer cannot decrypt: retriable errors go back to KafkaJS (which retries and
// restarts the consumer), others follow the topic rule: fail stops the consumer, dead-letter copies the original
// bytes to the rule's topic, skip logs where it was. Logs name topic, partition, offset and field, never data.
import type { KafkaMessage, Logger, Message, Producer } from 'kafkajs';
import type { KryptoniteError } from '../errors';
import type { CompiledRule } from '../record';
import { deadLetterMessage, plainProducer } from './dead-letter';
import { RecordCryptoError } from './record-error';

export interface FailedRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: KryptoniteError;
}

/** Whether the failure stops delivery (the error to throw) or was handed over to the policy (undefined). */
export type PolicyDecision = { stop: KryptoniteError } | { stop?: undefined; deadLetter?: Message };

export class FailurePolicy {
  private readonly dlq: Producer | undefined;

  constructor(producer: Producer | undefined, private readonly logger: Logger) {
    this.dlq = producer === undefined ? undefined : plainProducer(producer);
  }

  /** Decides without side effects other than logging; dead-letter copies are returned for the caller to send. */
  decide(rule: CompiledRule, f: FailedRecord): PolicyDecision {
    const at = { topic: f.topic, partition: f.partition, offset: f.message.offset };
    const where = { ...at, code: f.error.code, field: f.error.fieldPath };
    if (f.error.retriable) {
      this.logger.warn('Retriable decryption failure; KafkaJS will retry the record', where);
      return { stop: new RecordCryptoError('decrypt', at, f.error, true) };
    }
    switch (rule.onFailure) {
      case 'skip':
        this.logger.warn('Skipping a record that cannot be decrypted', where);
        return {};
      case 'dead-letter':
        this.logger.warn('Sending a record that cannot be decrypted to the dead-letter topic', { ...where, deadLetterTopic: rule.deadLetterTopic });
        return { deadLetter: deadLetterMessage(f.topic, f.partition, f.message, f.error) };
      case 'fail':
      default:
        this.logger.error('Stopping the consumer: a record cannot be decrypted (its offset is not committed)', where);
        return { stop: new RecordCryptoError('decrypt', at, f.error, false) };
    }
  }

  /** Writes dead-letter copies; a failure here propagates so that the records' offsets are not resolved. */
  async sendDeadLetters(topic: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    if (this.dlq === undefined) throw new Error('no dead-letter producer configured');
    await this.dlq.send({ topic, messages });
  }
}
