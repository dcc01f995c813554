// Public API of kryptonite-kafkajs. Importing this entry never loads a cloud SDK: the AWS, GCP and Azure
// providers are loaded only when a kms_type / kek_type needs them.
export { Kryptonite, type KryptoniteDependencies } from './engine';
export type { KeysetResolverDeps } from './keys/keyset-resolver';
export type { KryptoniteOptions, KryptoniteCamelOptions, KryptoniteSnakeOptions, DataKeyOption } from './config/options';
export type { EngineSettings, FpeSettings } from './config/settings';
export * from './config/types';
export {
  KryptoniteError, ConfigError, KeysetError, KeyNotFoundError, CryptoError, SerdeError, KmsError,
  type KryptoniteErrorOptions,
} from './errors';
export type { Aead, DeterministicAead } from './cipher/primitive';
export type { KeyEncryptionKey, KeysetSource, KeysetResolver } from './keys/ports';
export { createKeyEncryptionKey, createKeysetSource, type ProviderOptions } from './keys/provider-registry';
export * from './keyset';
export * from './kafka';
export * from './schema-registry';
export {
  MemoryEdekStore, KafkaEdekStore, fingerprintOf, type EdekStore, type EnvelopeDependencies, type EnvelopeStats,
} from './envelope';
