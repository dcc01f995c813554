// Shared vocabulary of the keyset modules: Tink's enum names and numbers, the unvalidated "draft" shape
// the JSON and protobuf readers produce, and the one way keyset errors are worded.

import { KeysetError } from '../errors';

export const KEY_STATUSES = { ENABLED: 1, DISABLED: 2, DESTROYED: 3 } as const;
export const OUTPUT_PREFIX_TYPES = { TINK: 1, LEGACY: 2, RAW: 3, CRUNCHY: 4 } as const;
export const KEY_MATERIAL_TYPES = { UNKNOWN_KEYMATERIAL: 0, SYMMETRIC: 1, ASYMMETRIC_PRIVATE: 2, ASYMMETRIC_PUBLIC: 3, REMOTE: 4 } as const;

export type KeyStatus = keyof typeof KEY_STATUSES;
/** What Kryptonite accepts in a keyset (Tink's DESTROYED is rejected). */
export type UsableKeyStatus = Exclude<KeyStatus, 'DESTROYED'>;
export type OutputPrefixType = keyof typeof OUTPUT_PREFIX_TYPES;
export type KeyMaterialType = keyof typeof KEY_MATERIAL_TYPES;

/** One key as read, before the rules are checked. Enum values stay strings so that validation can name them. */
export interface KeyDraft {
  /** Where the key was found, e.g. `key[1]`, for error messages. */
  path: string;
  keyId: number;
  status: string;
  outputPrefixType: string;
  typeUrl: string;
  /** keyData.value: the serialized key protobuf (raw bytes for FPE). Secret. */
  value: Buffer;
  keyMaterialType: string;
}

export interface KeysetDraft {
  primaryKeyId: number;
  keys: KeyDraft[];
}

/** Context for error messages: which keyset (its logical identifier, when known). */
export interface KeysetContext {
  identifier?: string | undefined;
}

export function keysetError(code: string, ctx: KeysetContext, where: string | undefined, problem: string, cause?: unknown): KeysetError {
  const subject = ctx.identifier !== undefined ? `keyset '${ctx.identifier}'` : 'keyset';
  const at = where !== undefined && where !== '' ? ` at ${where}` : '';
  return new KeysetError(code, `${subject}${at}: ${problem}`, cause !== undefined ? { cause, retriable: false } : { retriable: false });
}

export function enumName<T extends Record<string, number>>(table: T, value: number): string {
  for (const [name, n] of Object.entries(table)) if (n === value) return name;
  return `UNKNOWN(${value})`;
}

export function isEnumName<T extends Record<string, number>>(table: T, name: string): name is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, name);
}
