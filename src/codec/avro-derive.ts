// Derives the Avro schema of a JSON-like value the way Kryptonite 0.7.0's JsonSchemaDeriver does, prints it exactly
// as Avro 1.11.4's compact Schema.toString(), and writes the value with it (Kryptonite's JsonAvroConverter).
import { SerdeError } from '../errors';
import type { AvroWriter } from './avro-binary';

export type Derived =
  | { readonly t: 'null' | 'boolean' | 'long' | 'double' | 'string'; readonly key: string }
  | { readonly t: 'array'; readonly items: Derived; readonly key: string }
  | { readonly t: 'union'; readonly types: readonly Derived[]; readonly key: string }
  | { readonly t: 'record'; readonly name: string; readonly fields: readonly DerivedField[]; readonly key: string };

export interface DerivedField {
  readonly name: string;
  readonly type: Derived;
}

type Kind = 'null' | 'boolean' | 'long' | 'double' | 'string' | 'array' | 'object';

const prim = (t: 'null' | 'boolean' | 'long' | 'double' | 'string'): Derived => ({ t, key: `"${t}"` });
const NULL = prim('null');
const PRIMS = { null: NULL, boolean: prim('boolean'), long: prim('long'), double: prim('double'), string: prim('string') };
const EMPTY_ARRAY: Derived = { t: 'array', items: NULL, key: `{"type":"array","items":"null"}` };

// Avro refuses to name a record after a primitive type ("Schemas may not be named after primitives").
const PRIMITIVE_NAMES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
// Avro's validateName: Character.isLetter / isLetterOrDigit per UTF-16 unit, so astral characters never pass.
const AVRO_NAME = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;
const ASTRAL = /[\uD800-\uDFFF]/;
const NOT_NAME_CHAR = /[^A-Za-z0-9_]/gu;

/** Kryptonite's sanitizeName: every code point outside [A-Za-z0-9_] becomes `_`, and `f_` goes before a leading digit. */
export function sanitizeName(path: string): string {
  const s = path.replace(NOT_NAME_CHAR, '_');
  return s.charCodeAt(0) >= 0x30 && s.charCodeAt(0) <= 0x39 ? `f_${s}` : s;
}

export function isValidAvroName(name: string): boolean {
  return AVRO_NAME.test(name) && !ASTRAL.test(name);
}

/** Where in the value an error happened: positions only, since keys belong to the plaintext. */
type Loc = string;

export class Deriver {
  private readonly ancestors = new Set<object>();

  constructor(private readonly fieldPath: string) {}

  fail(code: string, message: string, loc: Loc): SerdeError {
    return new SerdeError(code, `AVRO serde: ${message} at ${loc}`, { fieldPath: this.fieldPath });
  }

  /** The JSON kind Jackson would give the value once written as JSON text (JSON.stringify) and read back. */
  kind(v: unknown, loc: Loc): Kind {
    switch (typeof v) {
      case 'string': return 'string';
      case 'boolean': return 'boolean';
      // JSON.stringify writes integral numbers below 1e21 as digits (Jackson: integral), larger ones with an exponent.
      case 'number': return Number.isInteger(v) && Math.abs(v) < 1e21 ? 'long' : 'double';
      case 'bigint': return 'long';
      case 'undefined': return 'null';
      case 'object': {
        if (v === null) return 'null';
        if (Array.isArray(v)) return 'array';
        if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
          throw this.fail('SERDE_UNSUPPORTED_TYPE', 'binary values are not supported (Kryptonite rejects byte[] too)', loc);
        }
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto === Object.prototype || proto === null) return 'object';
        throw this.fail('SERDE_UNSUPPORTED_TYPE', 'only plain objects, arrays and JSON scalars are supported', loc);
      }
      default:
        throw this.fail('SERDE_UNSUPPORTED_TYPE', `a ${typeof v} cannot be serialised`, loc);
    }
  }

  derive(v: unknown, namePath: string, loc: Loc): Derived {
    const k = this.kind(v, loc);
    if (k === 'array') return this.guard(v as object, loc, () => this.deriveArray(v as unknown[], namePath, loc));
    if (k === 'object') return this.guard(v as object, loc, () => this.deriveRecord(v as Record<string, unknown>, namePath, loc));
    return PRIMS[k];
  }

  private guard(v: object, loc: Loc, f: () => Derived): Derived {
    if (this.ancestors.has(v)) throw this.fail('SERDE_UNSUPPORTED_TYPE', 'circular reference', loc);
    this.ancestors.add(v);
    try {
      return f();
    } finally {
      this.ancestors.delete(v);
    }
  }

  private deriveArray(a: unknown[], namePath: string, loc: Loc): Derived {
    if (a.length === 0) return EMPTY_ARRAY;
    let hasNull = false;
    const distinct = new Map<string, Derived>();
    for (let i = 0; i < a.length; i++) {
      const s = this.derive(a[i], `${namePath}_i`, `${loc}[${i}]`);
      if (s.t === 'null') hasNull = true;
      else if (!distinct.has(s.key)) distinct.set(s.key, s);
    }
    let items: Derived;
    if (distinct.size === 0) items = NULL;
    else if (!hasNull && distinct.size === 1) items = distinct.values().next().value as Derived;
    else {
      const types = [...(hasNull ? [NULL] : []), ...distinct.values()];
      if (types.filter((t) => t.t === 'array').length > 1) {
        throw this.fail('SERDE_AVRO_SCHEMA', 'array elements contain more than one array type, which an Avro union forbids', loc);
      }
      const recordNames = types.flatMap((t) => (t.t === 'record' ? [t.name] : []));
      if (new Set(recordNames).size !== recordNames.length) {
        throw this.fail('SERDE_AVRO_SCHEMA', 'array elements are objects of different shapes, which share one Avro record name', loc);
      }
      items = { t: 'union', types, key: `[${types.map((t) => t.key).join(',')}]` };
    }
    return { t: 'array', items, key: `{"type":"array","items":${items.key}}` };
  }

  private deriveRecord(o: Record<string, unknown>, namePath: string, loc: Loc): Derived {
    const fields: DerivedField[] = [];
    let ordinal = 0;
    for (const name of Object.keys(o)) {
      const value = o[name];
      ordinal++;
      if (value === undefined) continue; // JSON.stringify drops it, so Java never sees the key
      const at = `${loc}.<key #${ordinal}>`;
      if (name === '') throw this.fail('SERDE_AVRO_SCHEMA', 'an empty object key cannot name an Avro field', at);
      const type = this.derive(value, `${namePath}_${sanitizeName(name)}`, at);
      if (!isValidAvroName(name)) throw this.fail('SERDE_AVRO_SCHEMA', 'object key is not a valid Avro field name', at);
      fields.push({ name, type });
    }
    if (PRIMITIVE_NAMES.has(namePath)) {
      throw this.fail('SERDE_AVRO_SCHEMA', 'the field path names an Avro primitive type and cannot name a record', loc);
    }
    const body = fields.map((f) => `{"name":"${f.name}","type":${f.type.key}}`).join(',');
    return { t: 'record', name: namePath, fields, key: `{"type":"record","name":"${namePath}","fields":[${body}]}` };
  }

  /** Avro's toString: a record seen before is written by name; the same name with another shape is an error. */
  print(s: Derived, seen = new Map<string, string>()): string {
    switch (s.t) {
      case 'array': return s.items.t === 'null' ? s.key : `{"type":"array","items":${this.print(s.items, seen)}}`;
      case 'union': return `[${s.types.map((t) => this.print(t, seen)).join(',')}]`;
      case 'record': {
        const prev = seen.get(s.name);
        if (prev !== undefined) {
          if (prev === s.key) return `"${s.name}"`;
          throw this.fail('SERDE_AVRO_SCHEMA', 'two objects map to the same Avro record name with different shapes', '$');
        }
        seen.set(s.name, s.key);
        const body = s.fields.map((f) => `{"name":"${f.name}","type":${this.print(f.type, seen)}}`).join(',');
        return `{"type":"record","name":"${s.name}","fields":[${body}]}`;
      }
      default: return s.key;
    }
  }

  /** Writes `v` with its derived schema, as GenericDatumWriter does for Kryptonite's JsonAvroConverter output. */
  write(w: AvroWriter, v: unknown, s: Derived): void {
    switch (s.t) {
      case 'null': return;
      case 'boolean': w.writeByte(v === true ? 1 : 0); return;
      case 'long': w.writeLong(toLong(v as number | bigint)); return;
      case 'double': w.writeDouble(v as number); return;
      case 'string': w.writeString(v as string); return;
      case 'array': {
        const a = v as unknown[];
        if (a.length > 0) {
          w.writeLong(a.length);
          for (const e of a) this.write(w, e, s.items);
        }
        w.writeByte(0);
        return;
      }
      case 'union': {
        const k = this.kind(v, '$');
        const want = k === 'object' ? 'record' : k;
        const i = s.types.findIndex((t) => t.t === want);
        w.writeLong(i);
        this.write(w, v, s.types[i] as Derived);
        return;
      }
      case 'record': {
        const o = v as Record<string, unknown>;
        for (const f of s.fields) this.write(w, o[f.name], f.type);
      }
    }
  }
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * The long Java reads from the JSON text of `v`. Jackson parses the digits JSON.stringify prints, which for numbers
 * beyond 2^53 are not the double's exact value (4193686558417007600 vs 4193686558417007616). Integers beyond the
 * long range are refused: Java would silently keep their low 64 bits (BigInteger.longValue()) and lose the value.
 */
function toLong(v: number | bigint): number | bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? 0 : v;
  const big = typeof v === 'bigint' ? v : BigInt(String(v));
  if (big < LONG_MIN || big > LONG_MAX) {
    throw new SerdeError('SERDE_LONG_RANGE', 'AVRO serde: an integer outside the 64-bit long range cannot be written without loss');
  }
  return big;
}
