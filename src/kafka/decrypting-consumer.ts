// Wraps a KafkaJS Consumer: run() decrypts records of matching topics before eachMessage / eachBatch sees them;
// subscribe, seek, pause/resume, commitOffsets, events and the rest are the consumer's own.
import type { Consumer, ConsumerRunConfig, EachMessageHandler } from 'kafkajs';
import { decryptMessage, type RecordCipher, type TopicRouter } from '../record';
import type { SchemaRegistryCodec } from '../schema-registry';
import { decryptEachBatch } from './each-batch';
import { FailurePolicy } from './failure-policy';
import { registryCodec, validateConsumerOptions, type DecryptingConsumerOptions } from './options';
import { asRecordError } from './record-error';

function wrapEachMessage(cipher: RecordCipher, router: TopicRouter, policy: FailurePolicy, handler: EachMessageHandler,
  codec: SchemaRegistryCodec | undefined): EachMessageHandler {
  return async (payload) => {
    const rule = router.route(payload.topic);
    if (rule === undefined) return handler(payload);
    let message;
    try {
      message = await decryptMessage(cipher, rule, payload.message, codec && { codec, topic: payload.topic });
    } catch (err) {
      const decision = policy.decide(rule, { topic: payload.topic, partition: payload.partition, message: payload.message, error: asRecordError(err, 'decrypt') });
      // Thrown before the handler: KafkaJS does not resolve this offset, so it is never committed.
      if (decision.stop) throw decision.stop;
      if (decision.deadLetter && rule.deadLetterTopic !== undefined) await policy.sendDeadLetters(rule.deadLetterTopic, [decision.deadLetter]);
      return undefined;
    }
    return handler({ ...payload, message });
  };
}

/** A Consumer that decrypts per the topic rules; options are validated here and a ConfigError lists every problem. */
export function decryptingConsumer(consumer: Consumer, options: DecryptingConsumerOptions): Consumer {
  const router = validateConsumerOptions(options);
  const policy = new FailurePolicy(options.producer, consumer.logger().namespace('Kryptonite'));
  const cipher = options.kryptonite;
  const codec = registryCodec(options, router);
  const run = (config?: ConsumerRunConfig): Promise<void> => {
    if (config === undefined) return consumer.run(config);
    const { eachMessage, eachBatch } = config;
    const autoResolve = config.eachBatchAutoResolve ?? true;
    return consumer.run({
      ...config,
      eachMessage: eachMessage && wrapEachMessage(cipher, router, policy, eachMessage, codec),
      eachBatch: eachBatch && (async (payload) => {
        const rule = router.route(payload.batch.topic);
        if (rule === undefined) return eachBatch(payload);
        return decryptEachBatch(cipher, rule, policy, autoResolve, eachBatch, payload, codec);
      }),
    });
  };
  return { ...consumer, run };
}
