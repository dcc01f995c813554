// Turns an Avro schema into a reader of Avro binary producing the JSON-like values Kryptonite's schemaless decode yields.
import { AvroReader } from './avro-binary';
import type { AvroSchema } from './avro-schema';

export type AvroRead = (r: AvroReader) => unknown;

/**
 * The decimal a JSON consumer sees for a Java float: Jackson prints `Float.toString`, so 0.1f reads back as 0.1,
 * not 0.10000000149011612. We take the shortest decimal that rounds back to the same float.
 */
export function floatToNumber(f: number): number {
  if (f === 0 || !Number.isFinite(f)) return f;
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment to "__proto__" would replace the prototype instead of adding a key.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Reads Avro's block-encoded sequence (arrays, maps): counts until 0; a negative count is followed by a byte size. */
function readBlocks(r: AvroReader, each: () => void): void {
  for (;;) {
    const start = r.pos;
    let count = r.readLong();
    if (typeof count !== 'number') throw r.fail('invalid block count', start);
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      r.readLength('block');
    }
    // Items of zero width (null, empty records) make any count cheap to claim; bound it so bad input cannot spin.
    if (count > Math.max(r.remaining, 1 << 20)) throw r.fail('block count exceeds the input', start);
    for (let i = 0; i < count; i++) each();
  }
}

export function compileReader(schema: AvroSchema, memo = new Map<AvroSchema, AvroRead>()): AvroRead {
  const known = memo.get(schema);
  if (known !== undefined) return known;
  let read: AvroRead;
  // Recursive records see this indirection while their own reader is being built.
  memo.set(schema, (r) => read(r));
  switch (schema.type) {
    case 'null': read = () => null; break;
    case 'boolean': read = (r) => r.readBoolean(); break;
    case 'int': read = (r) => r.readInt(); break;
    case 'long': read = (r) => r.readLong(); break;
    case 'float': read = (r) => floatToNumber(r.readFloat()); break;
    case 'double': read = (r) => r.readDouble(); break;
    case 'string': read = (r) => r.readString(); break;
    // Java's JsonAvroConverter turns bytes and fixed into Base64 text.
    case 'bytes': read = (r) => r.readBytes().toString('base64'); break;
    case 'fixed': {
      const size = schema.size;
      read = (r) => r.readFixed(size, 'fixed').toString('base64');
      break;
    }
    case 'enum': {
      const symbols = schema.symbols;
      read = (r) => {
        const start = r.pos;
        const i = r.readInt();
        const s = symbols[i];
        if (s === undefined) throw r.fail('enum index out of range', start);
        return s;
      };
      break;
    }
    case 'array': {
      const item = compileReader(schema.items, memo);
      read = (r) => {
        const out: unknown[] = [];
        readBlocks(r, () => { out.push(item(r)); });
        return out;
      };
      break;
    }
    case 'map': {
      const value = compileReader(schema.values, memo);
      read = (r) => {
        const out: Record<string, unknown> = {};
        readBlocks(r, () => { const k = r.readString(); setKey(out, k, value(r)); });
        return out;
      };
      break;
    }
    case 'union': {
      const branches = schema.branches.map((b) => compileReader(b, memo));
      read = (r) => {
        const start = r.pos;
        const i = r.readInt();
        const b = branches[i];
        if (b === undefined) throw r.fail('union branch index out of range', start);
        return b(r);
      };
      break;
    }
    case 'record': {
      const fields = schema.fields.map((f) => ({ name: f.name, read: compileReader(f.schema, memo) }));
      read = (r) => {
        const out: Record<string, unknown> = {};
        for (const f of fields) setKey(out, f.name, f.read(r));
        return out;
      };
      break;
    }
  }
  memo.set(schema, read);
  return read;
}
