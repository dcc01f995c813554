// The shapes keyset material arrives in: FULL (`{identifier, material}`, the cipher_data_keys entries)
// and RAW (bare material, the secret-manager value), where material is a plain or an encrypted keyset.

import { Keyset } from './keyset';
import { JsonReader, parseJsonText, type TinkJsonKeyset } from './keyset-json';
import { readEncryptedKeysetJson, type EncryptedKeysetJson } from './encrypted-keyset';
import type { KeysetContext } from './keyset-model';

export type KeysetMaterial =
  | { kind: 'plain'; keyset: Keyset }
  | { kind: 'encrypted'; encrypted: unknown };

export interface FullKeysetEntry {
  identifier: string;
  material: KeysetMaterial;
}

/** Plain material has `primaryKeyId`/`key`; encrypted material has `encryptedKeyset`. */
export function isEncryptedKeysetJson(input: unknown): boolean {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'encryptedKeyset' in input;
}

/**
 * RAW form: bare material (JSON text or object). Plain keysets are parsed and validated now; encrypted
 * ones are checked for shape and returned as-is for decryptKeyset (which needs the KEK).
 */
export function parseKeysetMaterial(input: unknown, ctx: KeysetContext = {}): KeysetMaterial {
  const json = typeof input === 'string' ? parseJsonText(input, ctx) : input;
  if (isEncryptedKeysetJson(json)) {
    readEncryptedKeysetJson(json, ctx);
    return { kind: 'encrypted', encrypted: json };
  }
  return { kind: 'plain', keyset: Keyset.fromTinkJson(json, ctx) };
}

/** FULL form: one `{identifier, material}` object. `path` names it in errors (e.g. `cipher_data_keys[2]`). */
export function parseFullKeysetEntry(input: unknown, path = '$'): FullKeysetEntry {
  const r = new JsonReader({});
  const o = r.object(input, path, ['identifier', 'material']);
  const identifier = r.string(r.required(o, 'identifier', path), `${path}.identifier`);
  if (identifier === '') r.fail(`${path}.identifier`, 'must not be empty');
  const material = parseKeysetMaterial(r.required(o, 'material', path), { identifier });
  return { identifier, material };
}

/**
 * A FULL-form list (array or its JSON text). The same identifier twice is allowed only with identical
 * material (it is then kept once); different material under one identifier is an error.
 */
export function parseFullKeysetEntries(input: unknown, path = 'cipher_data_keys'): FullKeysetEntry[] {
  const r = new JsonReader({});
  const list = r.array(typeof input === 'string' ? parseJsonText(input, {}) : input, path);
  const byId = new Map<string, { entry: FullKeysetEntry; canonical: string }>();
  list.forEach((item, i) => {
    const entry = parseFullKeysetEntry(item, `${path}[${i}]`);
    const canonical = JSON.stringify(entry.material.kind === 'plain' ? entry.material.keyset.toTinkJson() : entry.material.encrypted);
    const earlier = byId.get(entry.identifier);
    if (earlier === undefined) byId.set(entry.identifier, { entry, canonical });
    else if (earlier.canonical !== canonical) {
      r.fail(`${path}[${i}].identifier`, `identifier '${entry.identifier}' appears twice with different material`);
    }
  });
  return [...byId.values()].map((v) => v.entry);
}

/** `{identifier, material}` for writing (e.g. the CLI's FULL output). */
export function toFullForm(identifier: string, material: Keyset | EncryptedKeysetJson): { identifier: string; material: TinkJsonKeyset | EncryptedKeysetJson } {
  return { identifier, material: material instanceof Keyset ? material.toTinkJson() : material };
}
