// Field paths: `a.b.c` addresses one leaf of a JSON document, resolved from the root through nested
// objects only (arrays are not indexed, as in Kryptonite). Pure functions, no crypto.
import { KryptoniteError, describeType } from '../errors';

export type JsonObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Buffer.isBuffer(v) || v instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The parent object holding the last segment, or undefined when an intermediate segment is missing or not an object. */
export function parentOf(root: JsonObject, segments: readonly string[]): JsonObject | undefined {
  let node: JsonObject = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const next = node[segments[i] as string];
    if (!isPlainObject(next)) return undefined;
    node = next;
  }
  return node;
}

/**
 * Like parentOf, but on a document being rewritten: every object on the way is shallow-copied the first
 * time it is passed (tracked in `copied`), so leaves can be replaced without touching the caller's document.
 */
export function writableParentOf(root: JsonObject, segments: readonly string[], copied: Set<object>): JsonObject | undefined {
  let node = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i] as string;
    const next = node[key];
    if (!isPlainObject(next)) return undefined;
    if (copied.has(next)) {
      node = next;
    } else {
      const copy = { ...next };
      copied.add(copy);
      node[key] = copy;
      node = copy;
    }
  }
  return node;
}

/**
 * Resolves a dynamic key id such as `__#tenant.keyId` against the top-level record: the value at the path
 * must be a non-blank string. Errors name the expression and the path, never record values.
 */
export function resolveDynamicKeyId(expression: string, prefix: string, record: JsonObject, delimiter: string): string {
  const path = expression.slice(prefix.length);
  if (path.length === 0) {
    throw new KryptoniteError('DYNAMIC_KEY_ID', `dynamic key identifier '${expression}' has no field path after prefix '${prefix}'`);
  }
  const segments = path.split(delimiter);
  const parent = parentOf(record, segments);
  if (parent === undefined) {
    throw new KryptoniteError('DYNAMIC_KEY_ID',
      `dynamic key identifier '${expression}': an intermediate path segment was missing or not an object`);
  }
  const value = parent[segments[segments.length - 1] as string];
  if (value === undefined || value === null) {
    throw new KryptoniteError('DYNAMIC_KEY_ID', `dynamic key identifier '${expression}': field '${path}' was not found or is null`);
  }
  if (typeof value !== 'string') {
    throw new KryptoniteError('DYNAMIC_KEY_ID',
      `dynamic key identifier '${expression}': field '${path}' is ${describeType(value)} but a string is required`);
  }
  if (value.trim().length === 0) {
    throw new KryptoniteError('DYNAMIC_KEY_ID', `dynamic key identifier '${expression}': field '${path}' is a blank string`);
  }
  return value;
}
