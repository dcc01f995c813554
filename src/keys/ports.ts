// The two key ports. Everything cloud-specific hides behind these four methods
// (providers/aws, providers/gcp, providers/azure implement them; tests may fake them).

/** kek_type: a key-encryption key held by a KMS. Encrypts and decrypts small byte strings with associated data. */
export interface KeyEncryptionKey {
  encrypt(plaintext: Uint8Array, associatedData: Uint8Array): Promise<Buffer>;
  decrypt(ciphertext: Uint8Array, associatedData: Uint8Array): Promise<Buffer>;
}

/** kms_type: where keysets are stored. Values are RAW keyset JSON text (plain or encrypted keyset). */
export interface KeysetSource {
  /** Identifiers of the keysets available (prefixes already stripped). */
  list(): Promise<string[]>;
  /** The stored keyset JSON text for one identifier; throws KeyNotFoundError when it does not exist. */
  get(identifier: string): Promise<string>;
}

/**
 * Resolves a keyset identifier (as written in a k2 header or configured as keyId) to loaded keyset
 * material. Built from KeyManagementSettings by src/keys/; the engine only sees this interface.
 * The `Keyset` type lives in src/keyset/keyset.ts.
 */
export interface KeysetResolver<K = unknown> {
  resolve(identifier: string): Promise<K>;
  /**
   * The keyset currently loaded for an identifier, or undefined when it would need a fetch. Lets the
   * engine stay synchronous on the per-field hot path; optional (the engine falls back to `resolve`).
   */
  peek?(identifier: string): K | undefined;
  /** Stops refresh timers and releases clients. */
  close(): Promise<void>;
}

/**
 * Optional on a KeysetSource: how to name the stored object behind an identifier in errors and logs
 * (e.g. "AWS Secrets Manager secret 'k4k/tink_plain/keyA'"). Never includes the stored value.
 */
export interface DescribedKeysetSource extends KeysetSource {
  describe?(identifier: string): string;
}
