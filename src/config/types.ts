// Validated, frozen configuration types shared by the engine, the key layer and the middleware.
// Raw options (Kryptonite snake_case names or camelCase) are turned into these by src/config/.

export const CIPHER_ALGORITHMS = [
  'TINK/AES_GCM',
  'TINK/AES_GCM_SIV',
  'CUSTOM/MYSTO_FPE_FF3_1',
  'TINK/AES_GCM_ENVELOPE_KEYSET',
  'TINK/AES_GCM_ENVELOPE_KMS',
] as const;
export type CipherAlgorithm = (typeof CIPHER_ALGORITHMS)[number];

export const FIELD_MODES = ['ELEMENT', 'OBJECT'] as const;
export type FieldMode = (typeof FIELD_MODES)[number];

export const FPE_ALPHABET_TYPES = [
  'DIGITS', 'UPPERCASE', 'LOWERCASE', 'ALPHANUMERIC', 'ALPHANUMERIC_EXTENDED', 'HEXADECIMAL', 'CUSTOM',
] as const;
export type FpeAlphabetType = (typeof FPE_ALPHABET_TYPES)[number];

export const KEY_SOURCES = ['CONFIG', 'CONFIG_ENCRYPTED', 'KMS', 'KMS_ENCRYPTED', 'NONE'] as const;
export type KeySource = (typeof KEY_SOURCES)[number];

export const KMS_TYPES = ['NONE', 'AWS_SM_SECRETS', 'GCP_SM_SECRETS', 'AZ_KV_SECRETS'] as const;
export type KmsType = (typeof KMS_TYPES)[number];

export const KEK_TYPES = ['NONE', 'AWS', 'GCP', 'AZURE'] as const;
export type KekType = (typeof KEK_TYPES)[number];

export const SERDE_TYPES = ['KRYO', 'AVRO'] as const;
export type SerdeType = (typeof SERDE_TYPES)[number];

/** One `field_config` entry. Unset settings fall back to the global ones. */
export interface FieldConfig {
  readonly name: string;
  readonly algorithm?: CipherAlgorithm;
  readonly keyId?: string;
  readonly fieldMode?: FieldMode;
  readonly fpeTweak?: string;
  readonly fpeAlphabetType?: FpeAlphabetType;
  readonly fpeAlphabetCustom?: string;
}

/** One `cipher_data_keys` entry: a keyset identifier and its Tink JSON keyset (plain or encrypted), parsed. */
export interface DataKeyEntry {
  readonly identifier: string;
  readonly material: Readonly<Record<string, unknown>>;
}

/** Where keysets come from and how encrypted ones are unwrapped (key_source, kms_*, kek_*). */
export interface KeyManagementSettings {
  readonly keySource: KeySource;
  readonly cipherDataKeys: readonly DataKeyEntry[];
  readonly kmsType: KmsType;
  readonly kmsConfig: Readonly<Record<string, unknown>>;
  /** 0 = no refresh. */
  readonly kmsRefreshIntervalMinutes: number;
  readonly kekType: KekType;
  readonly kekUri: string;
  readonly kekConfig: Readonly<Record<string, unknown>>;
}

/** One `envelope_kek_configs` entry (either spelling), normalised: a cloud KMS key that wraps DEKs for algorithm 06. */
export interface EnvelopeKekEntry {
  readonly identifier: string;
  readonly kekType: Exclude<KekType, 'NONE'>;
  readonly kekUri: string;
  readonly kekConfig: Readonly<Record<string, unknown>>;
}

/** Envelope encryption (algorithms 05 and 06): KEKs, the EDEK store and DEK session limits. */
export interface EnvelopeSettings {
  readonly kekConfigs: readonly EnvelopeKekEntry[];
  /** Default KEK identifier for algorithm 06 fields without keyId; '' when unset. */
  readonly kekIdentifier: string;
  /** `edek_store_config` with every value as text; undefined when not configured. */
  readonly edekStoreConfig: Readonly<Record<string, string>> | undefined;
  readonly dekKeyBits: 128 | 256;
  readonly dekMaxEncryptions: number;
  readonly dekTtlMinutes: number;
  readonly dekCacheSize: number;
}
