// Parses any Avro schema JSON a Java writer may embed in an AVRO plaintext, resolving named types as Avro 1.11.4 does.
import { SerdeError } from '../errors';

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export interface AvroField {
  readonly name: string;
  readonly schema: AvroSchema;
}

export type AvroSchema =
  | { readonly type: AvroPrimitive }
  | { readonly type: 'array'; readonly items: AvroSchema }
  | { readonly type: 'map'; readonly values: AvroSchema }
  | { readonly type: 'union'; readonly branches: readonly AvroSchema[] }
  // `fields` is filled after the record is registered so that it can refer to itself.
  | { readonly type: 'record'; readonly name: string; readonly fields: AvroField[] }
  | { readonly type: 'enum'; readonly name: string; readonly symbols: readonly string[] }
  | { readonly type: 'fixed'; readonly name: string; readonly size: number };

const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function bad(reason: string): SerdeError {
  return new SerdeError('SERDE_AVRO_SCHEMA', `invalid Avro schema in AVRO plaintext: ${reason}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class SchemaParser {
  private readonly names = new Map<string, AvroSchema>();

  /** Avro's `Names.get`: primitive names first, then the name in the current namespace, then the null namespace. */
  private lookup(ref: string, space: string | undefined): AvroSchema | undefined {
    if (PRIMITIVES.has(ref)) return { type: ref as AvroPrimitive };
    if (ref.includes('.')) return this.names.get(ref);
    return (space !== undefined ? this.names.get(`${space}.${ref}`) : undefined) ?? this.names.get(ref);
  }

  private fullName(node: Record<string, unknown>, space: string | undefined): { full: string; space: string | undefined } {
    const name = node['name'];
    if (typeof name !== 'string') throw bad('named type without a name');
    const ns = typeof node['namespace'] === 'string' ? node['namespace'] : space;
    const dot = name.lastIndexOf('.');
    const own = dot >= 0 ? name.slice(0, dot) : ns;
    const simple = dot >= 0 ? name.slice(dot + 1) : name;
    const nsOut = own === '' || own === undefined ? undefined : own;
    return { full: nsOut === undefined ? simple : `${nsOut}.${simple}`, space: nsOut };
  }

  private register(full: string, schema: AvroSchema): void {
    if (this.names.has(full)) throw bad(`redefined name '${full}'`);
    this.names.set(full, schema);
  }

  parse(node: unknown, space: string | undefined, depth: number): AvroSchema {
    if (depth > 500) throw bad('nesting too deep');
    if (typeof node === 'string') {
      const found = this.lookup(node, space);
      if (found === undefined) throw bad(`undefined name '${node}'`);
      return found;
    }
    if (Array.isArray(node)) {
      const branches = node.map((b) => this.parse(b, space, depth + 1));
      if (branches.some((b) => b.type === 'union')) throw bad('nested union');
      return { type: 'union', branches };
    }
    if (!isObject(node)) throw bad('a schema must be a string, an object or an array');
    const type = node['type'];
    if (typeof type !== 'string') throw bad('schema object without a string "type"');
    if (PRIMITIVES.has(type)) return { type: type as AvroPrimitive };
    switch (type) {
      case 'record':
      case 'error': {
        const { full, space: inner } = this.fullName(node, space);
        const fieldsNode = node['fields'];
        if (!Array.isArray(fieldsNode)) throw bad(`record '${full}' has no fields array`);
        const record = { type: 'record' as const, name: full, fields: [] as AvroField[] };
        this.register(full, record);
        for (const f of fieldsNode) {
          if (!isObject(f) || typeof f['name'] !== 'string' || !('type' in f)) throw bad(`malformed field in record '${full}'`);
          record.fields.push({ name: f['name'], schema: this.parse(f['type'], inner, depth + 1) });
        }
        return record;
      }
      case 'enum': {
        const { full } = this.fullName(node, space);
        const symbols = node['symbols'];
        if (!Array.isArray(symbols) || !symbols.every((s): s is string => typeof s === 'string')) {
          throw bad(`enum '${full}' has no symbols array`);
        }
        const schema = { type: 'enum' as const, name: full, symbols };
        this.register(full, schema);
        return schema;
      }
      case 'fixed': {
        const { full } = this.fullName(node, space);
        const size = node['size'];
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 0x7fffffff) {
          throw bad(`fixed '${full}' has an invalid size`);
        }
        const schema = { type: 'fixed' as const, name: full, size };
        this.register(full, schema);
        return schema;
      }
      case 'array':
        if (!('items' in node)) throw bad('array without items');
        return { type: 'array', items: this.parse(node['items'], space, depth + 1) };
      case 'map':
        if (!('values' in node)) throw bad('map without values');
        return { type: 'map', values: this.parse(node['values'], space, depth + 1) };
      default: {
        // Avro accepts {"type": "<defined name>"} as a reference.
        const found = this.lookup(type, space);
        if (found === undefined || PRIMITIVES.has(type)) throw bad(`unsupported type '${type}'`);
        return found;
      }
    }
  }
}

/** Parses schema JSON text. Logical types and other properties are ignored: Java's schemaless decode does too. */
export function parseAvroSchema(json: string): AvroSchema {
  let node: unknown;
  try {
    node = JSON.parse(json);
  } catch {
    throw bad('schema text is not valid JSON');
  }
  return new SchemaParser().parse(node, undefined, 0);
}
