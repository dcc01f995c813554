// A whole Kafka record through its topic rule: key and value are transformed as configured, everything else
// (headers, partition, timestamp, offset) is carried over untouched.
import type { RecordCipher } from './record-cipher';
import { decryptPart, encryptPart, type PartBytes } from './message-codec';
import type { RegistryContext } from './registry-part';
import type { CompiledRule } from './topic-rules';

interface KeyValue {
  key?: PartBytes;
  value: PartBytes;
}

type PartTransform = typeof encryptPart;

async function transformMessage<M extends KeyValue>(transform: PartTransform, cipher: RecordCipher, rule: CompiledRule, message: M,
  registry?: RegistryContext): Promise<M> {
  const [key, value] = await Promise.all([
    rule.key ? transform(cipher, message.key, rule.key, 'key') : message.key,
    rule.value ? transform(cipher, message.value, rule.value, 'value', registry) : message.value,
  ]);
  const out = { ...message, value };
  if (rule.key && 'key' in message) out.key = key;
  return out;
}

/**
 * A copy of `message` with key and value encrypted per `rule`; `message` itself is not modified. `registry` is
 * required when the rule's value has a Schema Registry format.
 */
export function encryptMessage<M extends KeyValue>(cipher: RecordCipher, rule: CompiledRule, message: M, registry?: RegistryContext): Promise<M> {
  return transformMessage(encryptPart, cipher, rule, message, registry);
}

/** A copy of `message` with key and value decrypted per `rule`. */
export function decryptMessage<M extends KeyValue>(cipher: RecordCipher, rule: CompiledRule, message: M, registry?: RegistryContext): Promise<M> {
  return transformMessage(decryptPart, cipher, rule, message, registry);
}
