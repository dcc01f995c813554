// Record layer: per-topic routing and key/value ⇄ document conversion, used by the KafkaJS middleware and the CLI.
export { type RecordCipher, WHOLE_KEY_PATH, WHOLE_VALUE_PATH } from './record-cipher';
export {
  compileTopicRules, FAILURE_POLICIES, type CompiledPart, type CompiledRule, type FailurePolicy, type PartRule,
  type TopicRouter, type TopicRule, type WholeFieldConfig,
} from './topic-rules';
export { decryptPart, encryptPart, type PartBytes, type PartName } from './message-codec';
export { decryptMessage, encryptMessage } from './record-crypto';
