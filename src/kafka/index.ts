// KafkaJS middleware: field-level encryption on the way in, decryption on the way out, invisible to the code
// that uses the producer and consumer.
//
//   const kryptonite = await Kryptonite.create({ cipher_data_keys: ..., cipher_data_key_identifier: 'key-a' });
//   const topics: TopicRule[] = [
//     { topic: 'orders', value: { fields: [{ name: 'customer.email' }, { name: 'card' }] },
//       key: { whole: { algorithm: 'TINK/AES_GCM_SIV' } } },         // deterministic: equal keys share a partition
//     { topic: /audit\..*/, value: { whole: {} }, onFailure: 'dead-letter', deadLetterTopic: 'audit.dlq' },
//   ];
//   const producer = encryptingProducer(kafka.producer(), { kryptonite, topics });
//   const deadLetters = kafka.producer(); await deadLetters.connect();            // the wrapper does not connect it
//   const consumer = decryptingConsumer(kafka.consumer({ groupId }), { kryptonite, topics, producer: deadLetters });
//
// Topic rules: `topic` is an exact name or a RegExp matched against the whole name (`topicPattern` takes regex
// source text); the first matching rule wins and unmatched topics pass through untouched. `value` / `key` are
// `{ fields: FieldConfig[] }` for JSON objects (string or Buffer, written back in the same form) or `{ whole }` to
// encrypt the entire key or value as one field, reported as field `<key>` / `<value>`. Null values
// (tombstones), empty parts and headers are never touched.
//
// Schema Registry values: `value: { format: 'AVRO' | 'JSON_SR' | 'PROTOBUF', fields }` with the wrappers'
// `schemaRegistry: { host }` option (or a shared RegistryClient). The producer re-frames each record with a
// derived encrypted schema it registers; the consumer restores the writer's schema id (docs/schema-registry.md).
//
// Consumer failures (onFailure, default 'fail'): 'fail' throws a non-retriable RecordCryptoError, so KafkaJS
// stops the consumer (CRASH event, restart: false) without committing the record; 'dead-letter' sends the
// original bytes to `deadLetterTopic` with the DEAD_LETTER_HEADERS and moves on; 'skip' logs topic, partition
// and offset and moves on. Retriable errors (a key service timing out) are rethrown for KafkaJS to retry and
// restart the consumer. The dead-letter producer is used as a plain producer even if it is an encrypting one.
// Logs go through the client's KafkaJS logger (namespace 'Kryptonite') and never contain keys or values.
export { encryptingProducer } from './encrypting-producer';
export { decryptingConsumer } from './decrypting-consumer';
export { DEAD_LETTER_HEADERS } from './dead-letter';
export { RecordCryptoError, type RecordLocation } from './record-error';
export type { DecryptingConsumerOptions, EncryptingProducerOptions } from './options';
export type { FailurePolicy, PartRule, RecordCipher, RecordFormat, SchemaRegistryOption, TopicRule, WholeFieldConfig } from '../record';
