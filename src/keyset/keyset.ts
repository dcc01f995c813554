// The Keyset model: Tink keysets as Kryptonite uses them, always validated, and safe to log —
// toString, JSON.stringify and util.inspect show ids, type URLs, statuses and prefixes, never key bytes.

import { inspect } from 'node:util';
import { decodeKeyValue } from './key-types';
import { type KeyMaterialType, type KeysetContext, type OutputPrefixType, type UsableKeyStatus } from './keyset-model';
import { parseJsonText, readTinkJsonKeyset, writeTinkJsonKeyset, writeTinkJsonKeysetInfo, type TinkJsonKeyset, type TinkJsonKeysetInfo } from './keyset-json';
import { decodeKeysetProto, encodeKeysetInfoProto, encodeKeysetProto } from './keyset-proto';
import { validateKeyset, type ValidKey } from './validation';

export type { KeyMaterialType, KeyStatus, OutputPrefixType, UsableKeyStatus } from './keyset-model';

/** What logs may show about a key. */
export interface KeyInfo {
  keyId: number;
  typeUrl: string;
  status: UsableKeyStatus;
  outputPrefixType: OutputPrefixType;
}

export interface KeyInit {
  keyId: number;
  status: UsableKeyStatus;
  outputPrefixType: OutputPrefixType;
  typeUrl: string;
  /** keyData.value: the serialized key protobuf (raw bytes for FPE keys). */
  value: Uint8Array;
  keyMaterialType?: KeyMaterialType;
}

export class KeysetKey {
  readonly keyId: number;
  readonly status: UsableKeyStatus;
  readonly outputPrefixType: OutputPrefixType;
  readonly typeUrl: string;
  readonly keyMaterialType: KeyMaterialType;
  readonly #value: Buffer;

  /** @internal built only from validated keys */
  constructor(k: ValidKey) {
    this.keyId = k.keyId;
    this.status = k.status;
    this.outputPrefixType = k.outputPrefixType;
    this.typeUrl = k.typeUrl;
    this.keyMaterialType = k.keyMaterialType;
    this.#value = Buffer.from(k.value);
  }

  /** A copy of keyData.value. Secret. */
  keyDataValue(): Buffer {
    return Buffer.from(this.#value);
  }

  /** The raw key bytes (AES key, 64-byte SIV key, FPE key). Secret. */
  rawKey(): Buffer {
    return decodeKeyValue(this.typeUrl, this.#value);
  }

  info(): KeyInfo {
    return { keyId: this.keyId, typeUrl: this.typeUrl, status: this.status, outputPrefixType: this.outputPrefixType };
  }

  toJSON(): KeyInfo {
    return this.info();
  }

  toString(): string {
    return `${this.keyId} ${this.typeUrl} ${this.status} ${this.outputPrefixType}`;
  }

  [inspect.custom](): string {
    return `KeysetKey { ${this.toString()} }`;
  }
}

export interface KeysetOptions {
  /** The logical identifier (e.g. `keyB`), used only to name the keyset in errors and logs. */
  identifier?: string | undefined;
}

export class Keyset {
  readonly primaryKeyId: number;
  readonly keys: readonly KeysetKey[];
  readonly identifier: string | undefined;

  private constructor(primaryKeyId: number, keys: KeysetKey[], identifier: string | undefined) {
    this.primaryKeyId = primaryKeyId;
    this.keys = Object.freeze(keys);
    this.identifier = identifier;
    Object.freeze(this);
  }

  /** Builds and validates a keyset from parts (generation, rotation). */
  static create(primaryKeyId: number, keys: readonly KeyInit[], options: KeysetOptions = {}): Keyset {
    const draft = {
      primaryKeyId,
      keys: keys.map((k, i) => ({ ...k, path: `key[${i}]`, value: Buffer.from(k.value), keyMaterialType: k.keyMaterialType ?? 'SYMMETRIC' })),
    };
    return Keyset.#fromValid(validateKeyset(draft, options), options);
  }

  /** Parses Tink JSON (text or already-parsed object), as in `cipher_data_keys[].material` or a plain secret. */
  static fromTinkJson(json: unknown, options: KeysetOptions = {}): Keyset {
    const parsed = typeof json === 'string' ? parseJsonText(json, options) : json;
    return Keyset.#fromValid(validateKeyset(readTinkJsonKeyset(parsed, options), options), options);
  }

  /** Parses a serialized Tink Keyset protobuf (the plaintext of an encrypted keyset). */
  static fromProto(bytes: Uint8Array, options: KeysetOptions = {}): Keyset {
    return Keyset.#fromValid(validateKeyset(decodeKeysetProto(bytes, options), options), options);
  }

  static #fromValid(v: { primaryKeyId: number; keys: ValidKey[] }, options: KeysetOptions): Keyset {
    return new Keyset(v.primaryKeyId, v.keys.map((k) => new KeysetKey(k)), options.identifier);
  }

  /** The same keys under another identifier (for error messages). */
  withIdentifier(identifier: string | undefined): Keyset {
    return new Keyset(this.primaryKeyId, [...this.keys], identifier);
  }

  primaryKey(): KeysetKey {
    // validation guarantees the primary exists
    return this.keys.find((k) => k.keyId === this.primaryKeyId)!;
  }

  /** The real Tink JSON, key material included — for writing keysets out, never for logs. */
  toTinkJson(): TinkJsonKeyset {
    return writeTinkJsonKeyset(this.primaryKeyId, this.keys.map((k) => ({ ...k.info(), keyMaterialType: k.keyMaterialType, value: k.keyDataValue() })));
  }

  /** Serialized Tink Keyset protobuf, key material included. */
  toProto(): Buffer {
    return encodeKeysetProto(this.primaryKeyId, this.keys.map((k) => ({ ...k.info(), keyMaterialType: k.keyMaterialType, value: k.keyDataValue() })));
  }

  /** Tink's KeysetInfo: the non-secret description of the keyset. */
  keysetInfo(): TinkJsonKeysetInfo {
    return writeTinkJsonKeysetInfo(this.primaryKeyId, this.keys.map((k) => ({ ...k.info(), keyMaterialType: k.keyMaterialType })));
  }

  keysetInfoProto(): Buffer {
    return encodeKeysetInfoProto(this.keysetInfo());
  }

  /** Redacted: what JSON.stringify of a Keyset (e.g. inside a logged config) shows. */
  toJSON(): { identifier?: string; primaryKeyId: number; keys: KeyInfo[] } {
    return { ...(this.identifier !== undefined ? { identifier: this.identifier } : {}), primaryKeyId: this.primaryKeyId, keys: this.keys.map((k) => k.info()) };
  }

  toString(): string {
    const name = this.identifier !== undefined ? `Keyset '${this.identifier}'` : 'Keyset';
    return `${name} (primary ${this.primaryKeyId}; keys: ${this.keys.map((k) => k.toString()).join(', ')})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
