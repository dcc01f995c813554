// The narrow view of the engine that the record layer needs: the Kryptonite class satisfies it as is, and
// unit tests can substitute a fake at this seam without loading keys.
import type { FieldConfig } from '../config/types';

export interface RecordCipher {
  encryptRecord(record: Record<string, unknown>, fields?: readonly FieldConfig[]): Promise<Record<string, unknown>>;
  decryptRecord(record: Record<string, unknown>, fields?: readonly FieldConfig[]): Promise<Record<string, unknown>>;
  encryptValue(value: unknown, field: FieldConfig): Promise<unknown>;
  decryptValue(value: unknown, field: FieldConfig): Promise<unknown>;
  /** Checks a field list against the engine's settings (e.g. FPE alphabets); throws a ConfigError listing the problems. */
  checkFields?(fields: readonly FieldConfig[]): void;
}

/** Field names reported for a record key or value encrypted as one whole field (errors, dead-letter headers). */
export const WHOLE_KEY_PATH = '<key>';
export const WHOLE_VALUE_PATH = '<value>';
