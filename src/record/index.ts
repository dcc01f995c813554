// Record layer: per-topic routing and key/value ⇄ document conversion, used by the KafkaJS middleware and the CLI.
export { type RecordCipher, WHOLE_KEY_PATH, WHOLE_VALUE_PATH } from './record-cipher';
export {
  compileTopicRules, FAILURE_POLICIES, RECORD_FORMATS, isRegistryFormat, type CompiledPart, type CompiledRule, type FailurePolicy,
  type PartRule, type RecordFormat, type RegistryFormat, type TopicRouter, type TopicRule, type WholeFieldConfig,
} from './topic-rules';
export { createRegistryCodec, registryOptionProblems, type RegistryContext, type SchemaRegistryOption } from './registry-part';
export { decryptPart, encryptPart, type PartBytes, type PartName } from './message-codec';
export { decryptMessage, encryptMessage } from './record-crypto';
