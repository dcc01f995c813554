// Wraps a KafkaJS Producer: send, sendBatch and transactional sends encrypt the configured key and value fields
// of matching topics (JSON, whole, or Schema Registry framed values) before anything leaves the process; every
// other method and event is the producer's own.
import type { Logger, Message, Producer, ProducerBatch, ProducerRecord, TopicMessages, Transaction } from 'kafkajs';
import { KryptoniteError } from '../errors';
import { encryptMessage, type TopicRouter } from '../record';
import { markWrapped } from './dead-letter';
import type { SchemaRegistryCodec } from '../schema-registry';
import { registryCodec, validateProducerOptions, type EncryptingProducerOptions } from './options';
import { RecordCryptoError, asRecordError } from './record-error';
import { retrySettings, withRetries, type RetrySettings } from './retry';

const isRetriable = (err: unknown): err is KryptoniteError => err instanceof KryptoniteError && err.retriable;

class RecordEncrypter {
  constructor(private readonly options: EncryptingProducerOptions, private readonly router: TopicRouter,
    private readonly retry: RetrySettings, private readonly logger: Logger, private readonly codec: SchemaRegistryCodec | undefined) {}

  async record<R extends ProducerRecord | TopicMessages>(record: R): Promise<R> {
    const rule = this.router.route(record.topic);
    if (rule === undefined) return record;
    const messages = await Promise.all(record.messages.map((message, index) => this.message(record.topic, index, message)));
    return { ...record, messages };
  }

  private async message(topic: string, index: number, message: Message): Promise<Message> {
    const rule = this.router.route(topic);
    if (rule === undefined) return message;
    try {
      return await withRetries(async () => {
        try {
          return await encryptMessage(this.options.kryptonite, rule, message, this.codec && { codec: this.codec, topic });
        } catch (err) {
          throw asRecordError(err, 'encrypt');
        }
      }, this.retry, isRetriable, (err, attempt, waitMs) => {
        this.logger.warn('Retrying a retriable encryption failure', { topic, index, code: err.code, field: err.fieldPath, attempt, waitMs });
      });
    } catch (err) {
      const error = asRecordError(err, 'encrypt');
      this.logger.error('Encryption failed; nothing was sent', { topic, index, code: error.code, field: error.fieldPath, retriable: error.retriable });
      throw new RecordCryptoError('encrypt', { topic, index }, error);
    }
  }

  async batch(batch: ProducerBatch): Promise<ProducerBatch> {
    if (batch.topicMessages === undefined) return batch;
    return { ...batch, topicMessages: await Promise.all(batch.topicMessages.map((tm) => this.record(tm))) };
  }
}

function wrapTransaction(tx: Transaction, enc: RecordEncrypter): Transaction {
  return {
    ...tx,
    send: async (record) => tx.send(await enc.record(record)),
    sendBatch: async (batch) => tx.sendBatch(await enc.batch(batch)),
  };
}

/** A Producer that encrypts per the topic rules; options are validated here and a ConfigError lists every problem. */
export function encryptingProducer(producer: Producer, options: EncryptingProducerOptions): Producer {
  const router = validateProducerOptions(options);
  const logger = producer.logger().namespace('Kryptonite');
  for (const rule of router.rules) {
    if (rule.key?.kind === 'whole' && rule.key.field.algorithm === 'TINK/AES_GCM') {
      // Randomised key ciphertexts hash to random partitions: per-key ordering would be lost.
      logger.warn('Record keys are encrypted with TINK/AES_GCM; equal keys will not share a partition. Use TINK/AES_GCM_SIV.',
        { rule: rule.index });
    }
  }
  const enc = new RecordEncrypter(options, router, retrySettings(options.retry), logger, registryCodec(options, router));
  const wrapper: Producer = {
    ...producer,
    send: async (record) => producer.send(await enc.record(record)),
    sendBatch: async (batch) => producer.sendBatch(await enc.batch(batch)),
    transaction: async () => wrapTransaction(await producer.transaction(), enc),
  };
  markWrapped(wrapper, producer);
  return wrapper;
}
