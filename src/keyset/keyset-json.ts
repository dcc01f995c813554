// Tink's JSON keyset format (and the keysetInfo object of encrypted keysets), read strictly like
// Kryptonite's Jackson mapping: exactly the known properties, correct JSON types, standard Base64.

import { keysetError, type KeyDraft, type KeysetContext, type KeysetDraft } from './keyset-model';

export interface TinkJsonKey {
  keyData: { typeUrl: string; value: string; keyMaterialType: string };
  status: string;
  keyId: number;
  outputPrefixType: string;
}

export interface TinkJsonKeyset {
  primaryKeyId: number;
  key: TinkJsonKey[];
}

export interface TinkJsonKeyInfo {
  typeUrl: string;
  status: string;
  keyId: number;
  outputPrefixType: string;
}

export interface TinkJsonKeysetInfo {
  primaryKeyId: number;
  keyInfo: TinkJsonKeyInfo[];
}

type Json = Record<string, unknown>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** A small cursor over parsed JSON that reports the JSON path of whatever is wrong. */
export class JsonReader {
  constructor(readonly ctx: KeysetContext) {}

  fail(path: string, problem: string): never {
    throw keysetError('KEYSET_MALFORMED', this.ctx, path, problem);
  }

  object(v: unknown, path: string, allowed: readonly string[]): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'expected a JSON object');
    for (const k of Object.keys(v as Json)) if (!allowed.includes(k)) this.fail(path, `unknown property '${k}'`);
    return v as Json;
  }

  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'expected a JSON array');
    return v as unknown[];
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, 'expected a string');
    return v as string;
  }

  /** uint32 fields: a JSON integer, or an integer string as proto3 JSON also allows; range is checked by validation. */
  integer(v: unknown, path: string): number {
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(path, 'expected an integer');
    return v as number;
  }

  base64(v: unknown, path: string): Buffer {
    const s = this.string(v, path);
    if (!BASE64.test(s)) this.fail(path, 'expected standard Base64 (A-Z a-z 0-9 + /, optional = padding)');
    return Buffer.from(s, 'base64');
  }

  required(o: Json, key: string, path: string): unknown {
    if (!(key in o) || o[key] === undefined) this.fail(`${path}${path === '' ? '' : '.'}${key}`, 'is missing');
    return o[key];
  }
}

export function parseJsonText(text: string, ctx: KeysetContext): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message may quote the text, which holds key material: report only that it failed.
    throw keysetError('KEYSET_MALFORMED', ctx, undefined, 'material is not valid JSON');
  }
}

export function readTinkJsonKeyset(input: unknown, ctx: KeysetContext): KeysetDraft {
  const r = new JsonReader(ctx);
  const top = r.object(input, '$', ['primaryKeyId', 'key']);
  const primaryKeyId = r.integer(r.required(top, 'primaryKeyId', ''), 'primaryKeyId');
  const keys = r.array(r.required(top, 'key', ''), 'key').map((k, i): KeyDraft => {
    const path = `key[${i}]`;
    const o = r.object(k, path, ['keyData', 'status', 'keyId', 'outputPrefixType']);
    const kd = r.object(r.required(o, 'keyData', path), `${path}.keyData`, ['typeUrl', 'value', 'keyMaterialType']);
    const material = kd.keyMaterialType;
    return {
      path,
      keyId: r.integer(r.required(o, 'keyId', path), `${path}.keyId`),
      status: r.string(r.required(o, 'status', path), `${path}.status`),
      outputPrefixType: r.string(r.required(o, 'outputPrefixType', path), `${path}.outputPrefixType`),
      typeUrl: r.string(r.required(kd, 'typeUrl', `${path}.keyData`), `${path}.keyData.typeUrl`),
      value: r.base64(r.required(kd, 'value', `${path}.keyData`), `${path}.keyData.value`),
      keyMaterialType: material === undefined ? 'UNKNOWN_KEYMATERIAL' : r.string(material, `${path}.keyData.keyMaterialType`),
    };
  });
  return { primaryKeyId, keys };
}

interface WritableKey {
  keyId: number;
  status: string;
  outputPrefixType: string;
  typeUrl: string;
  keyMaterialType: string;
}

/** Field order follows Tink's own JSON writer. */
export function writeTinkJsonKeyset(primaryKeyId: number, keys: readonly (WritableKey & { value: Buffer })[]): TinkJsonKeyset {
  return {
    primaryKeyId,
    key: keys.map((k) => ({
      keyData: { typeUrl: k.typeUrl, value: k.value.toString('base64'), keyMaterialType: k.keyMaterialType },
      status: k.status,
      keyId: k.keyId,
      outputPrefixType: k.outputPrefixType,
    })),
  };
}

export function writeTinkJsonKeysetInfo(primaryKeyId: number, keys: readonly WritableKey[]): TinkJsonKeysetInfo {
  return {
    primaryKeyId,
    keyInfo: keys.map((k) => ({ typeUrl: k.typeUrl, status: k.status, keyId: k.keyId, outputPrefixType: k.outputPrefixType })),
  };
}

export function readTinkJsonKeysetInfo(input: unknown, path: string, ctx: KeysetContext): TinkJsonKeysetInfo {
  const r = new JsonReader(ctx);
  const o = r.object(input, path, ['primaryKeyId', 'keyInfo']);
  const primaryKeyId = o.primaryKeyId === undefined ? 0 : r.integer(o.primaryKeyId, `${path}.primaryKeyId`);
  const keyInfo = (o.keyInfo === undefined ? [] : r.array(o.keyInfo, `${path}.keyInfo`)).map((k, i) => {
    const p = `${path}.keyInfo[${i}]`;
    const ki = r.object(k, p, ['typeUrl', 'status', 'keyId', 'outputPrefixType']);
    return {
      typeUrl: ki.typeUrl === undefined ? '' : r.string(ki.typeUrl, `${p}.typeUrl`),
      status: ki.status === undefined ? 'UNKNOWN_STATUS' : r.string(ki.status, `${p}.status`),
      keyId: ki.keyId === undefined ? 0 : r.integer(ki.keyId, `${p}.keyId`),
      outputPrefixType: ki.outputPrefixType === undefined ? 'UNKNOWN_PREFIX' : r.string(ki.outputPrefixType, `${p}.outputPrefixType`),
    };
  });
  return { primaryKeyId, keyInfo };
}
