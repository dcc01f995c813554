// Envelope encryption (TINK/AES_GCM_ENVELOPE_KEYSET 05, TINK/AES_GCM_ENVELOPE_KMS 06): DEK sessions, the EDEK store port and its Kafka implementation.
export { createEnvelope, type EnvelopeDependencies, type EnvelopeRuntime } from './create-envelope';
export { EnvelopeEncryption, type EnvelopeCiphers, type EnvelopeStats } from './envelope-encryption';
export { MemoryEdekStore, fingerprintOf, FINGERPRINT_SIZE, type EdekStore } from './edek-store';
export { KafkaEdekStore, type KafkaEdekStoreDeps } from './kafka-edek-store';
export { parseEdekStoreConfig, LOOKUP_WAIT_KEY, type KafkaEdekStoreConfig } from './edek-store-config';
export { parseEnvelopeKekConfigs } from './kek-configs';
