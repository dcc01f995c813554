// Validates raw options once, at construction, into a frozen EngineSettings. Every problem is collected
// and reported together, each with its option path (Kryptonite's name, as the user is most likely to know it).
import { ConfigError } from '../errors';
import { OPTION_NAMES, type KryptoniteCamelOptions, type KryptoniteOptions } from './options';
import {
  CIPHER_ALGORITHMS, FIELD_MODES, FPE_ALPHABET_TYPES, KEK_TYPES, KEY_SOURCES, KMS_TYPES, SERDE_TYPES,
  type CipherAlgorithm, type DataKeyEntry, type FieldConfig, type FieldMode, type FpeAlphabetType,
  type EnvelopeSettings, type KeyManagementSettings, type SerdeType,
} from './types';
import { parseEnvelopeKekConfigs } from '../envelope/kek-configs';
import { parseEdekStoreConfig } from '../envelope/edek-store-config';

export interface FpeSettings {
  readonly tweak: string;
  readonly alphabetType: FpeAlphabetType;
  readonly alphabetCustom: string;
}

export interface EngineSettings {
  readonly keyManagement: KeyManagementSettings;
  readonly cipherAlgorithm: CipherAlgorithm;
  readonly cipherDataKeyIdentifier: string;
  readonly fieldConfig: readonly FieldConfig[];
  readonly fieldMode: FieldMode;
  readonly serdeType: SerdeType;
  readonly pathDelimiter: string;
  readonly dynamicKeyIdPrefix: string;
  readonly fpe: FpeSettings;
  readonly envelope: EnvelopeSettings;
}

const FIELD_CONFIG_KEYS = new Set(['name', 'algorithm', 'keyId', 'fieldMode', 'fpeTweak', 'fpeAlphabetType', 'fpeAlphabetCustom',
  // accepted for compatibility with Kryptonite configs, no effect here:
  'schema', 'encoding']);
const ENVELOPE_KMS: CipherAlgorithm = 'TINK/AES_GCM_ENVELOPE_KMS';
const CAMEL_TO_SNAKE = new Map<string, string>(Object.entries(OPTION_NAMES).map(([s, c]) => [c, s]));

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void { this.list.push(`${path}: ${message}`); }
}

/** Validates raw options; throws one ConfigError listing every problem. */
export function parseEngineSettings(raw: KryptoniteOptions): EngineSettings {
  const p = new Problems();
  const o = unifySpellings(raw, p);

  const keySource = oneOf(o.keySource, 'key_source', KEY_SOURCES, 'CONFIG', p);
  const kmsType = oneOf(o.kmsType, 'kms_type', KMS_TYPES, 'NONE', p);
  const kekType = oneOf(o.kekType, 'kek_type', KEK_TYPES, 'NONE', p);
  const cipherAlgorithm = oneOf(o.cipherAlgorithm, 'cipher_algorithm', CIPHER_ALGORITHMS, 'TINK/AES_GCM', p);
  const fieldMode = oneOf(o.fieldMode, 'field_mode', FIELD_MODES, 'ELEMENT', p);
  const serdeType = oneOf(o.serdeType, 'serde_type', SERDE_TYPES, 'KRYO', p);
  const alphabetType = oneOf(o.cipherFpeAlphabetType, 'cipher_fpe_alphabet_type', FPE_ALPHABET_TYPES, 'ALPHANUMERIC', p);
  oneOf(o.cipherTextEncoding, 'cipher_text_encoding', ['BASE64', 'RAW_BYTES'] as const, 'BASE64', p);
  oneOf(o.cipherMode, 'cipher_mode', ['ENCRYPT', 'DECRYPT'] as const, 'ENCRYPT', p);

  const pathDelimiter = str(o.pathDelimiter, 'path_delimiter', '.', p);
  if (pathDelimiter.length === 0) p.add('path_delimiter', 'must not be empty');
  const dynamicKeyIdPrefix = str(o.dynamicKeyIdPrefix, 'dynamic_key_id_prefix', '__#', p);
  if (dynamicKeyIdPrefix.trim().length === 0) p.add('dynamic_key_id_prefix', 'must not be blank');
  const cipherDataKeyIdentifier = str(o.cipherDataKeyIdentifier, 'cipher_data_key_identifier', '', p);
  const tweak = str(o.cipherFpeTweak, 'cipher_fpe_tweak', '0000000', p);
  checkTweak(tweak, 'cipher_fpe_tweak', p);
  const alphabetCustom = str(o.cipherFpeAlphabetCustom, 'cipher_fpe_alphabet_custom', '', p);
  if (alphabetCustom !== '' || alphabetType === 'CUSTOM') checkAlphabet(alphabetCustom, 'cipher_fpe_alphabet_custom', p);

  const fieldConfig = parseFieldConfigs(o.fieldConfig, 'field_config', p, alphabetCustom);
  const cipherDataKeys = parseDataKeys(o.cipherDataKeys, p);
  const kmsConfig = jsonObject(o.kmsConfig, 'kms_config', p);
  const kekConfig = jsonObject(o.kekConfig, 'kek_config', p);
  const kekUri = str(o.kekUri, 'kek_uri', '', p);
  const kmsRefreshIntervalMinutes = nonNegativeNumber(o.kmsRefreshIntervalMinutes, 'kms_refresh_interval_minutes', 0, p);

  if ((keySource === 'CONFIG' || keySource === 'CONFIG_ENCRYPTED') && cipherDataKeys.length === 0) {
    p.add('cipher_data_keys', `is required when key_source is ${keySource}`);
  }
  if ((keySource === 'KMS' || keySource === 'KMS_ENCRYPTED') && kmsType === 'NONE') {
    p.add('kms_type', `must not be NONE when key_source is ${keySource}`);
  }
  if ((keySource === 'CONFIG_ENCRYPTED' || keySource === 'KMS_ENCRYPTED')) {
    if (kekType === 'NONE') p.add('kek_type', `must not be NONE when key_source is ${keySource}`);
    if (kekUri === '') p.add('kek_uri', `is required when key_source is ${keySource}`);
  }
  const envelope = parseEnvelopeSettings(o, p);
  // An invalid entry is reported on its own; only a list with no entries at all makes this a separate problem.
  if (keySource === 'NONE' && envelope.kekConfigs.length === 0 && !isNonEmptyList(o.envelopeKekConfigs)) {
    p.add('key_source', 'NONE requires envelope encryption to be configured — envelope_kek_configs must be a non-empty list of KEK entries');
  }
  checkEnvelopeKmsFields(fieldConfig, cipherAlgorithm, envelope, dynamicKeyIdPrefix, p);

  if (p.list.length > 0) {
    throw new ConfigError('INVALID_CONFIG', `invalid Kryptonite configuration (${p.list.length} problem(s)):\n- ${p.list.join('\n- ')}`,
      { problems: p.list });
  }
  return deepFreeze({
    keyManagement: {
      keySource: keySource!, cipherDataKeys, kmsType: kmsType!, kmsConfig, kmsRefreshIntervalMinutes, kekType: kekType!, kekUri, kekConfig,
    },
    cipherAlgorithm: cipherAlgorithm!,
    cipherDataKeyIdentifier,
    fieldConfig,
    fieldMode: fieldMode!,
    serdeType: serdeType!,
    pathDelimiter,
    dynamicKeyIdPrefix,
    fpe: { tweak, alphabetType: alphabetType!, alphabetCustom },
    envelope,
  });
}

function parseEnvelopeSettings(o: KryptoniteCamelOptions, p: Problems): EnvelopeSettings {
  const report = (path: string, message: string): void => p.add(path, message);
  const kekConfigs = parseEnvelopeKekConfigs(json(o.envelopeKekConfigs, 'envelope_kek_configs', p), report);
  const kekIdentifier = str(o.envelopeKekIdentifier, 'envelope_kek_identifier', '', p);
  let edekStoreConfig: Record<string, string> | undefined;
  const rawStore = jsonObject(o.edekStoreConfig, 'edek_store_config', p);
  if (Object.keys(rawStore).length > 0) {
    edekStoreConfig = {};
    for (const [k, v] of Object.entries(rawStore)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') edekStoreConfig[k] = String(v);
      else p.add(`edek_store_config.${k}`, 'must be a string, number or boolean');
    }
    parseEdekStoreConfig(edekStoreConfig, report);
  }
  const dekKeyBits = positiveInteger(o.dekKeyBits, 'dek_key_bits', 128, p);
  if (dekKeyBits !== 128 && dekKeyBits !== 256) p.add('dek_key_bits', `must be 128 or 256, got: ${dekKeyBits}`);
  return {
    kekConfigs, kekIdentifier, edekStoreConfig,
    dekKeyBits: dekKeyBits === 256 ? 256 : 128,
    dekMaxEncryptions: positiveInteger(o.dekMaxEncryptions, 'dek_max_encryptions', 100_000, p),
    dekTtlMinutes: positiveNumber(o.dekTtlMinutes, 'dek_ttl_minutes', 720, p),
    dekCacheSize: positiveInteger(o.dekCacheSize, 'dek_cache_size', 1024, p),
  };
}

/** Algorithm 06 fields need a KEK identifier that envelope_kek_configs defines (dynamic ids are checked per record). */
function checkEnvelopeKmsFields(fields: readonly FieldConfig[], global: CipherAlgorithm | undefined, env: EnvelopeSettings,
  dynamicPrefix: string, p: Problems): void {
  const known = new Set(env.kekConfigs.map((k) => k.identifier));
  fields.forEach((fc, i) => {
    if ((fc.algorithm ?? global) !== ENVELOPE_KMS) return;
    const at = fc.keyId !== undefined ? `field_config[${i}].keyId` : 'envelope_kek_identifier';
    const id = fc.keyId ?? env.kekIdentifier;
    if (env.kekConfigs.length === 0) p.add(`field_config[${i}].algorithm`, `${ENVELOPE_KMS} needs envelope_kek_configs (a cloud KEK) and edek_store_config`);
    else if (id === '') p.add(at, `a KEK identifier is required for ${ENVELOPE_KMS} (set keyId on field '${fc.name}' or envelope_kek_identifier)`);
    else if (!id.startsWith(dynamicPrefix) && !known.has(id)) p.add(at, `no envelope KEK found for identifier '${id}' - check envelope_kek_configs`);
  });
}

/**
 * Validates a list of field configs on its own (used by the middleware's per-topic rules and per-call field lists).
 * `globalCustomAlphabet` is cipher_fpe_alphabet_custom, which a per-field CUSTOM type falls back to; undefined when the
 * engine settings are not known here (the engine checks again when it compiles the fields).
 */
export function parseFieldConfigs(value: unknown, path: string, p?: Problems, globalCustomAlphabet?: string): FieldConfig[] {
  const problems = p ?? new Problems();
  const list = json(value, path, problems);
  const out: FieldConfig[] = [];
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    problems.add(path, 'must be a JSON array of field objects');
  } else {
    const seen = new Set<string>();
    list.forEach((entry: unknown, i) => {
      const at = `${path}[${i}]`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) { problems.add(at, 'must be an object'); return; }
      const e = entry as Record<string, unknown>;
      for (const k of Object.keys(e)) if (!FIELD_CONFIG_KEYS.has(k)) problems.add(`${at}.${k}`, 'unknown field config key');
      if (typeof e.name !== 'string' || e.name.length === 0) { problems.add(`${at}.name`, 'must be a non-empty string'); return; }
      if (seen.has(e.name)) problems.add(`${at}.name`, `duplicate field path '${e.name}'`);
      seen.add(e.name);
      const fc: { -readonly [K in keyof FieldConfig]: FieldConfig[K] } = { name: e.name };
      if (e.algorithm !== undefined) {
        fc.algorithm = oneOf(e.algorithm, `${at}.algorithm`, CIPHER_ALGORITHMS, undefined, problems);
      }
      if (e.keyId !== undefined) fc.keyId = str(e.keyId, `${at}.keyId`, '', problems);
      if (e.fieldMode !== undefined) fc.fieldMode = oneOf(e.fieldMode, `${at}.fieldMode`, FIELD_MODES, undefined, problems);
      if (e.fpeTweak !== undefined) { fc.fpeTweak = str(e.fpeTweak, `${at}.fpeTweak`, '', problems); checkTweak(fc.fpeTweak, `${at}.fpeTweak`, problems); }
      if (e.fpeAlphabetType !== undefined) fc.fpeAlphabetType = oneOf(e.fpeAlphabetType, `${at}.fpeAlphabetType`, FPE_ALPHABET_TYPES, undefined, problems);
      if (e.fpeAlphabetCustom !== undefined) {
        fc.fpeAlphabetCustom = str(e.fpeAlphabetCustom, `${at}.fpeAlphabetCustom`, '', problems);
        checkAlphabet(fc.fpeAlphabetCustom, `${at}.fpeAlphabetCustom`, problems);
      } else if (fc.fpeAlphabetType === 'CUSTOM' && globalCustomAlphabet === '') {
        // Unlike the Java SMT, a per-field CUSTOM type falls back to the global custom alphabet; here there is none.
        problems.add(`${at}.fpeAlphabetCustom`, 'is required when fpeAlphabetType is CUSTOM and cipher_fpe_alphabet_custom is not set');
      }
      out.push(fc);
    });
  }
  if (p === undefined && problems.list.length > 0) {
    throw new ConfigError('INVALID_CONFIG', `invalid field config (${problems.list.length} problem(s)):\n- ${problems.list.join('\n- ')}`,
      { problems: problems.list });
  }
  return out;
}

function parseDataKeys(value: unknown, p: Problems): DataKeyEntry[] {
  const list = json(value, 'cipher_data_keys', p);
  if (list === undefined) return [];
  if (!Array.isArray(list)) { p.add('cipher_data_keys', 'must be a JSON array of {identifier, material} objects'); return []; }
  const out: DataKeyEntry[] = [];
  const seen = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const at = `cipher_data_keys[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) { p.add(at, 'must be an object'); return; }
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) if (k !== 'identifier' && k !== 'material') p.add(`${at}.${k}`, 'unknown key (expected identifier, material)');
    if (typeof e.identifier !== 'string' || e.identifier.length === 0) { p.add(`${at}.identifier`, 'must be a non-empty string'); return; }
    if (seen.has(e.identifier)) p.add(`${at}.identifier`, `duplicate identifier '${e.identifier}'`);
    seen.add(e.identifier);
    const material = json(e.material, `${at}.material`, p);
    if (typeof material !== 'object' || material === null || Array.isArray(material)) {
      p.add(`${at}.material`, 'must be a Tink JSON keyset object');
      return;
    }
    out.push({ identifier: e.identifier, material: material as Record<string, unknown> });
  });
  return out;
}

/** Merges snake_case and camelCase spellings; unknown names and conflicting duplicates are problems. */
function unifySpellings(raw: KryptoniteOptions, p: Problems): KryptoniteCamelOptions {
  const out: Record<string, unknown> = {};
  const camelNames = new Set<string>(Object.values(OPTION_NAMES));
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value === undefined) continue;
    const camel = (OPTION_NAMES as Record<string, string>)[name] ?? (camelNames.has(name) ? name : undefined);
    if (camel === undefined) { p.add(name, 'unknown option'); continue; }
    if (camel in out && JSON.stringify(out[camel]) !== JSON.stringify(value)) {
      p.add(CAMEL_TO_SNAKE.get(camel) ?? name, `given twice (as ${CAMEL_TO_SNAKE.get(camel)} and ${camel}) with different values`);
      continue;
    }
    out[camel] = value;
  }
  return out as KryptoniteCamelOptions;
}

function isNonEmptyList(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value !== 'string') return false;
  try {
    const v = JSON.parse(value) as unknown;
    return Array.isArray(v) && v.length > 0;
  } catch {
    return false;
  }
}

function json(value: unknown, path: string, p: Problems): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch (err) {
    // JSON.parse messages quote a few characters of the input; give only the position, the text may hold keys.
    const where = /position (\d+)/.exec(String((err as Error).message));
    p.add(path, `is not valid JSON${where ? ` (at position ${where[1]})` : ''}`);
    return undefined;
  }
}

function jsonObject(value: unknown, path: string, p: Problems): Record<string, unknown> {
  const v = json(value, path, p);
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { p.add(path, 'must be a JSON object'); return {}; }
  return v as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], dflt: T | undefined, p: Problems): T | undefined {
  if (value === undefined) return dflt;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  p.add(path, `must be one of ${allowed.join(', ')} (got ${typeof value === 'string' ? `'${value}'` : typeof value})`);
  return dflt;
}

function str(value: unknown, path: string, dflt: string, p: Problems): string {
  if (value === undefined) return dflt;
  if (typeof value !== 'string') { p.add(path, `must be a string (got ${typeof value})`); return dflt; }
  return value;
}

function nonNegativeNumber(value: unknown, path: string, dflt: number, p: Problems): number {
  if (value === undefined) return dflt;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) { p.add(path, 'must be a non-negative number'); return dflt; }
  return n;
}

function positiveNumber(value: unknown, path: string, dflt: number, p: Problems): number {
  if (value === undefined) return dflt;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) { p.add(path, 'must be a number > 0'); return dflt; }
  return n;
}

function positiveInteger(value: unknown, path: string, dflt: number, p: Problems): number {
  const n = positiveNumber(value, path, dflt, p);
  if (!Number.isInteger(n)) { p.add(path, 'must be a whole number'); return dflt; }
  return n;
}

function checkTweak(tweak: string, path: string, p: Problems): void {
  const n = Buffer.byteLength(tweak, 'utf8');
  if (n !== 7 && n !== 8) p.add(path, `must be 7 (FF3-1) or 8 (FF3) bytes of UTF-8, got ${n}`);
}

function checkAlphabet(alphabet: string, path: string, p: Problems): void {
  if (alphabet.length < 2) p.add(path, 'must contain at least 2 characters');
  else if (new Set(alphabet).size !== [...alphabet].length) p.add(path, 'must not contain duplicate characters');
  else if (alphabet.length > 256) p.add(path, 'must contain at most 256 characters');
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
