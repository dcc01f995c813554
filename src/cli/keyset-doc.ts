// Keyset files as the keyset tool writes them — FULL (`{identifier, material}`) or RAW (bare keyset), one
// or an array, plain or encrypted, JSON (compact or pretty) or YAML — read into entries and written back
// in the same shape, so `rotate` keeps a file's format and `inspect` can describe any of them.
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
import { KryptoniteError } from '../errors';
import { readEncryptedKeysetJson, type EncryptedKeysetJson } from '../keyset/encrypted-keyset';
import type { TinkJsonKeysetInfo } from '../keyset/keyset-json';
import { Keyset } from '../keyset/keyset';
import { parseFullKeysetEntry, parseKeysetMaterial, toFullForm } from '../keyset/keyset-material';
import { CliFailure } from './args';
import { writeJacksonPretty, writeJson } from '../codec/json-text';

export interface OutputStyle {
  yaml: boolean;
  /** Indented JSON (ignored for YAML, which is always multi-line). */
  pretty: boolean;
}

export type EntryMaterial =
  | { kind: 'plain'; keyset: Keyset }
  | { kind: 'encrypted'; encrypted: EncryptedKeysetJson; keysetInfo: TinkJsonKeysetInfo | undefined };

export interface KeysetEntry {
  /** FULL form only. */
  identifier?: string;
  material: EntryMaterial;
}

export interface KeysetDocument {
  style: OutputStyle;
  format: 'FULL' | 'RAW';
  /** A JSON array / YAML sequence (the tool's output for -k > 1), even with one element. */
  array: boolean;
  entries: KeysetEntry[];
}

/** The tool's text for a document value: Jackson-style JSON, or YAML with double-quoted strings and no `---`. */
export function formatDocument(value: unknown, style: OutputStyle): string {
  if (style.yaml) {
    return stringifyYaml(value, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0, indentSeq: false });
  }
  return `${style.pretty ? writeJacksonPretty(value) : writeJson(value)}\n`;
}

export function entryValue(entry: KeysetEntry): unknown {
  const material = entry.material.kind === 'plain' ? entry.material.keyset : entry.material.encrypted;
  return entry.identifier !== undefined ? toFullForm(entry.identifier, material) : (material instanceof Keyset ? material.toTinkJson() : material);
}

export function documentValue(doc: KeysetDocument): unknown {
  const values = doc.entries.map(entryValue);
  return doc.array ? values : values[0];
}

/** Parses JSON, else YAML; syntax errors give only a position (the text is key material). */
function parseText(text: string, source: string): { value: unknown; style: OutputStyle } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { value: JSON.parse(trimmed) as unknown, style: { yaml: false, pretty: trimmed.includes('\n') } };
    } catch { /* flow-style YAML is possible; try YAML */ }
  }
  try {
    return { value: parseYaml(text) as unknown, style: { yaml: true, pretty: false } };
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw new CliFailure(`${source} is neither valid JSON nor valid YAML${where}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readMaterial(value: unknown): EntryMaterial {
  const m = parseKeysetMaterial(value);
  if (m.kind === 'plain') return m;
  return { kind: 'encrypted', encrypted: m.encrypted as EncryptedKeysetJson, keysetInfo: readEncryptedKeysetJson(m.encrypted).keysetInfo };
}

export function readKeysetDocument(text: string, source: string): KeysetDocument {
  const { value, style } = parseText(text, source);
  const array = Array.isArray(value);
  const items: unknown[] = array ? value : [value];
  if (items.length === 0) throw new CliFailure(`${source} holds an empty list, no keyset`);
  const isFull = (v: unknown): boolean => isObject(v) && ('identifier' in v || 'material' in v);
  const format = isFull(items[0]) ? 'FULL' : 'RAW';
  const entries = items.map((item, i): KeysetEntry => {
    const at = array ? `$[${i}]` : '$';
    if (!isObject(item)) throw new CliFailure(`${source} at ${at}: expected a keyset object`);
    if (isFull(item) !== (format === 'FULL')) throw new CliFailure(`${source} at ${at}: FULL and RAW keysets are mixed in one file`);
    try {
      if (format === 'RAW') return { material: readMaterial(item) };
      const full = parseFullKeysetEntry(item, at);
      return { identifier: full.identifier, material: readMaterial(item.material) };
    } catch (e) {
      if (e instanceof KryptoniteError) throw new CliFailure(`${source} at ${at}: ${e.message}`);
      throw e;
    }
  });
  return { style, format, array, entries };
}
