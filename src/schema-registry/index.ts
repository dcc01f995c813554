// Schema Registry record format (Avro, JSON Schema, Protobuf in Confluent framing) for the KafkaJS middleware.
export { SchemaRegistryCodec, type SchemaRegistryCodecOptions, type SrEngine } from './sr-codec';
export { RegistryClient, type RegistrySchema, type SrSchemaType } from './sr-client';
export { SchemaRegistryError, SchemaMismatchError } from './sr-errors';
export { encryptedSubject, metadataSubject, partialDecryptSubject, type EncryptionMetadata } from './sr-metadata';
export { readFrame, readMessageIndexes, writeFrame, writeMessageIndexes } from './sr-wire';
export { LongType as AvroLongType } from './avro-format';
