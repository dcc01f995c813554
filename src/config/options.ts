// Raw engine options: Kryptonite's snake_case parameter names (values may be JSON text, as in a Connect
// config) or typed camelCase names. src/config/settings.ts turns either into one validated EngineSettings.
import type {
  CipherAlgorithm, FieldConfig, FieldMode, FpeAlphabetType, KekType, KeySource, KmsType, SerdeType,
} from './types';

/** A keyset entry as written in `cipher_data_keys`: `{identifier, material}` (material = Tink JSON keyset, plain or encrypted). */
export interface DataKeyOption {
  identifier: string;
  material: Record<string, unknown> | string;
}

/**
 * One `envelope_kek_configs` entry: Kryptonite's code spelling (kek_config as JSON text) or its documented
 * spelling (type / uri / config object); both are accepted.
 */
export interface EnvelopeKekConfigOption {
  identifier: string;
  kek_type?: Exclude<KekType, 'NONE'>;
  kek_uri?: string;
  kek_config?: string | Record<string, unknown>;
  type?: Exclude<KekType, 'NONE'>;
  uri?: string;
  config?: string | Record<string, unknown>;
}

/** Typed camelCase options. Every option has a Kryptonite snake_case twin (see OPTION_NAMES). */
export interface KryptoniteCamelOptions {
  keySource?: KeySource;
  cipherDataKeys?: DataKeyOption[] | string;
  cipherDataKeyIdentifier?: string;
  cipherAlgorithm?: CipherAlgorithm;
  fieldConfig?: FieldConfig[] | string;
  fieldMode?: FieldMode;
  serdeType?: SerdeType;
  pathDelimiter?: string;
  dynamicKeyIdPrefix?: string;
  cipherFpeTweak?: string;
  cipherFpeAlphabetType?: FpeAlphabetType;
  cipherFpeAlphabetCustom?: string;
  kmsType?: KmsType;
  kmsConfig?: Record<string, unknown> | string;
  kmsRefreshIntervalMinutes?: number | string;
  kekType?: KekType;
  kekUri?: string;
  kekConfig?: Record<string, unknown> | string;
  /** Accepted for compatibility; Kryptonite always writes Base64 and so do we. */
  cipherTextEncoding?: 'BASE64' | 'RAW_BYTES';
  /** Accepted for compatibility with SMT configs; the direction is chosen by the method called. */
  cipherMode?: 'ENCRYPT' | 'DECRYPT';
  envelopeKekConfigs?: EnvelopeKekConfigOption[] | string;
  /** Default KEK identifier for TINK/AES_GCM_ENVELOPE_KMS fields without keyId. */
  envelopeKekIdentifier?: string;
  /** `kafkacache.*` settings of the Kafka-backed EDEK store (bootstrap servers, topic, security), plus k4k.lookup.wait.ms. */
  edekStoreConfig?: Record<string, string | number | boolean> | string;
  dekKeyBits?: number | string;
  dekMaxEncryptions?: number | string;
  dekTtlMinutes?: number | string;
  dekCacheSize?: number | string;
}

/** Kryptonite parameter name → camelCase option name. */
export const OPTION_NAMES = {
  key_source: 'keySource',
  cipher_data_keys: 'cipherDataKeys',
  cipher_data_key_identifier: 'cipherDataKeyIdentifier',
  cipher_algorithm: 'cipherAlgorithm',
  field_config: 'fieldConfig',
  field_mode: 'fieldMode',
  serde_type: 'serdeType',
  path_delimiter: 'pathDelimiter',
  dynamic_key_id_prefix: 'dynamicKeyIdPrefix',
  cipher_fpe_tweak: 'cipherFpeTweak',
  cipher_fpe_alphabet_type: 'cipherFpeAlphabetType',
  cipher_fpe_alphabet_custom: 'cipherFpeAlphabetCustom',
  kms_type: 'kmsType',
  kms_config: 'kmsConfig',
  kms_refresh_interval_minutes: 'kmsRefreshIntervalMinutes',
  kek_type: 'kekType',
  kek_uri: 'kekUri',
  kek_config: 'kekConfig',
  cipher_text_encoding: 'cipherTextEncoding',
  cipher_mode: 'cipherMode',
  envelope_kek_configs: 'envelopeKekConfigs',
  envelope_kek_identifier: 'envelopeKekIdentifier',
  edek_store_config: 'edekStoreConfig',
  dek_key_bits: 'dekKeyBits',
  dek_max_encryptions: 'dekMaxEncryptions',
  dek_ttl_minutes: 'dekTtlMinutes',
  dek_cache_size: 'dekCacheSize',
} as const satisfies Record<string, keyof KryptoniteCamelOptions>;

export type KryptoniteSnakeOptions = { [K in keyof typeof OPTION_NAMES]?: unknown };

/** Options in either spelling (both may be mixed; the same option given twice with different values is an error). */
export type KryptoniteOptions = KryptoniteCamelOptions & KryptoniteSnakeOptions;
