// JSON text for record streams and JSON record values (CLI and middleware): a parser that keeps int64 integers exact (as bigint, the way
// Jackson reads them as longs), a compact writer that prints bigint as exact integers and byte arrays as
// Base64 (Jackson's byte[] form), and Jackson's default pretty printer for keyset files.

/** A syntax error; says where, never what the text was (the line may hold plaintext). */
export class JsonTextError extends Error {
  constructor(readonly position: number, problem: string) {
    super(`${problem} at column ${position + 1}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const MAX_DEPTH = 1000;

/**
 * Parses one JSON document like JSON.parse, except that integers outside ±(2^53-1) become bigint, so a Kafka
 * long survives encrypt/decrypt exactly and no integer is silently rounded.
 */
export function parseJsonText(text: string): unknown {
  let i = 0;
  const fail = (problem: string): never => { throw new JsonTextError(i, problem); };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) { out += text.slice(start, i); i++; return out; }
      if (c < 0x20) fail('control character in string');
      if (c !== 0x5c) { i++; continue; }
      out += text.slice(start, i);
      const e = text[i + 1];
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        i += 2;
      } else {
        fail('bad escape');
      }
      start = i;
    }
  };
  const num = (): number | bigint => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail('unexpected character');
    i = NUMBER.lastIndex;
    const n = Number(m[0]);
    // Integers JSON.parse would round come back as bigint, so no digit is lost: written back exactly, encrypted
    // as a Java long, or refused by the serde when beyond the long range.
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n)) return BigInt(m[0]);
    return n;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        // defineProperty: a "__proto__" key must become an own property, as with JSON.parse
        Object.defineProperty(o, k, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return o; }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return a; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    if (c === undefined) return fail('unexpected end of input');
    return num();
  };
  const result = value(0);
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return result;
}

/** A JSON-safe leaf: what JSON.stringify would print, plus bigint and bytes. */
function leaf(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'undefined': case 'function': case 'symbol': return undefined;
    default:
      if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
      return undefined;
  }
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array);
}

/** Compact JSON (one line). Object properties whose value is undefined are left out, array holes become null. */
export function writeJson(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (!isContainer(v)) { out.push(leaf(v) ?? 'null'); return; }
    if (Array.isArray(v)) {
      out.push('[');
      for (let i = 0; i < v.length; i++) { if (i > 0) out.push(','); walk(v[i]); }
      out.push(']');
      return;
    }
    out.push('{');
    let first = true;
    for (const [k, x] of Object.entries(v)) {
      if (isContainer(x) === false && leaf(x) === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      walk(x);
    }
    out.push('}');
  };
  walk(value);
  return out.join('');
}

/**
 * Jackson's DefaultPrettyPrinter, the look of the Java keyset tool's `--pretty`: `"name" : value`, object
 * entries on their own lines indented two spaces per open object, arrays inline (`[ a, b ]`, `[ {`) and
 * not counted in the indentation.
 */
export function writeJacksonPretty(value: unknown): string {
  const walk = (v: unknown, depth: number): string => {
    if (!isContainer(v)) return leaf(v) ?? 'null';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[ ]';
      return `[ ${v.map((x) => walk(x, depth)).join(', ')} ]`;
    }
    const entries = Object.entries(v).filter(([, x]) => isContainer(x) || leaf(x) !== undefined);
    if (entries.length === 0) return '{ }';
    const pad = '  '.repeat(depth + 1);
    const body = entries.map(([k, x]) => `${pad}${JSON.stringify(k)} : ${walk(x, depth + 1)}`).join(',\n');
    return `{\n${body}\n${'  '.repeat(depth)}}`;
  };
  return walk(value, 0);
}
