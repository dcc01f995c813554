// eachBatch under decryption. The handler gets the batch with decrypted records. A record handed to the
// dead-letter topic or skipped is left out, and resolving the record before it also resolves it. A record that
// stops delivery (fail policy, or a retriable error) cuts the batch: the handler sees only the records before
// it, and lastOffset() reports the last of those, so nothing at or after the failed record can be resolved.
import type { Batch, EachBatchHandler, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { decryptMessage, type CompiledRule, type RecordCipher } from '../record';
import type { SchemaRegistryCodec } from '../schema-registry';
import type { FailurePolicy } from './failure-policy';
import { asRecordError } from './record-error';

function batchView(batch: Batch, messages: KafkaMessage[], cut: boolean): Batch {
  const last = (): string => (cut ? (messages[messages.length - 1] as KafkaMessage).offset : batch.lastOffset());
  const lag = (offset: string): string => (BigInt(batch.highWatermark) - 1n - BigInt(offset)).toString();
  return {
    topic: batch.topic,
    partition: batch.partition,
    highWatermark: batch.highWatermark,
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? batch.firstOffset(),
    lastOffset: last,
    offsetLag: () => (cut ? lag(last()) : batch.offsetLag()),
    offsetLagLow: () => (messages[0] ? lag(messages[0].offset) : batch.offsetLagLow()),
  };
}

export async function decryptEachBatch(cipher: RecordCipher, rule: CompiledRule, policy: FailurePolicy, autoResolve: boolean,
  handler: EachBatchHandler, payload: EachBatchPayload, codec?: SchemaRegistryCodec): Promise<void> {
  const { batch } = payload;
  const registry = codec && { codec, topic: batch.topic };
  const results = await Promise.allSettled(batch.messages.map((m) => decryptMessage(cipher, rule, m, registry)));
  const delivered: KafkaMessage[] = [];
  // Resolving a delivered record resolves up to the last dead-lettered or skipped record after it.
  const resolveUpTo = new Map<string, string>();
  let leading: string | undefined;
  const deadLetters = [];
  let stop: Error | undefined;
  for (let i = 0; i < results.length; i++) {
    const result = results[i] as PromiseSettledResult<KafkaMessage>;
    const original = batch.messages[i] as KafkaMessage;
    if (result.status === 'fulfilled') {
      delivered.push(result.value);
      resolveUpTo.set(original.offset, original.offset);
      continue;
    }
    const decision = policy.decide(rule, { topic: batch.topic, partition: batch.partition, message: original, error: asRecordError(result.reason, 'decrypt') });
    if (decision.stop) { stop = decision.stop; break; }
    if (decision.deadLetter) deadLetters.push(decision.deadLetter);
    const previous = delivered[delivered.length - 1];
    if (previous) resolveUpTo.set(previous.offset, original.offset); else leading = original.offset;
  }
  // Handed over before the handler runs, so a resolved offset never passes a record that is not yet on the DLQ.
  if (rule.deadLetterTopic !== undefined) await policy.sendDeadLetters(rule.deadLetterTopic, deadLetters);
  if (leading !== undefined) payload.resolveOffset(leading);

  const lastDelivered = delivered[delivered.length - 1];
  if (lastDelivered !== undefined) {
    await handler({
      ...payload,
      batch: batchView(batch, delivered, stop !== undefined),
      resolveOffset: (offset) => payload.resolveOffset(resolveUpTo.get(offset) ?? offset),
    });
  }
  if (stop !== undefined) {
    // KafkaJS auto-resolves only when the handler returns; here it throws, so resolve what the handler got.
    if (autoResolve && lastDelivered !== undefined) payload.resolveOffset(lastDelivered.offset);
    throw stop;
  }
}
