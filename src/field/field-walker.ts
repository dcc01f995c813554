// Walks a JSON document along the configured paths and applies the field cipher: OBJECT mode turns the
// whole value into one ciphertext; ELEMENT mode keeps arrays and objects and processes every leaf inside.
// A configured `a.b` touches exactly that leaf (as Kryptonite's Kroxylicious filter does, not its SMT).
import { asKryptoniteError } from '../errors';
import { isPlainObject, resolveDynamicKeyId, writableParentOf, type JsonObject } from '../paths/field-path';
import type { EngineSettings } from '../config/settings';
import { childPlan, type CompiledFields, type FieldPlan } from './field-plan';
import { PendingLoad, type FieldCipher } from './field-cipher';

export type Direction = 'encrypt' | 'decrypt';

export class FieldWalker {
  constructor(private readonly cipher: FieldCipher, private readonly settings: EngineSettings) {}

  /** A new document with the configured fields processed; the input is not modified. */
  processRecord(record: JsonObject, compiled: CompiledFields, direction: Direction): JsonObject {
    const out: JsonObject = { ...record };
    const copied = new Set<object>([out]);
    for (const plan of compiled.roots) {
      const parent = writableParentOf(out, plan.segments, copied);
      const leaf = plan.segments[plan.segments.length - 1] as string;
      if (parent === undefined || !Object.prototype.hasOwnProperty.call(parent, leaf)) continue; // missing fields are left alone
      parent[leaf] = this.processValue(parent[leaf], plan, compiled, direction, record);
    }
    return out;
  }

  processValue(value: unknown, plan: FieldPlan, compiled: CompiledFields | undefined, direction: Direction, record: JsonObject): unknown {
    if (plan.mode === 'ELEMENT') {
      if (Array.isArray(value)) return value.map((v) => this.processValue(v, plan, compiled, direction, record));
      if (isPlainObject(value)) {
        const out: JsonObject = {};
        const d = this.settings.pathDelimiter;
        for (const key of Object.keys(value)) {
          const child = compiled === undefined ? { ...plan, path: plan.path + d + key } : childPlan(plan, plan.path + d + key, compiled);
          out[key] = this.processValue(value[key], child, compiled, direction, record);
        }
        return out;
      }
    }
    return this.leaf(value, plan, direction, record);
  }

  private leaf(value: unknown, plan: FieldPlan, direction: Direction, record: JsonObject): unknown {
    try {
      if (direction === 'encrypt') return this.cipher.encrypt(value, plan, this.keyIdFor(plan, record));
      return this.cipher.decrypt(value, plan, () => this.keyIdFor(plan, record));
    } catch (err) {
      if (err instanceof PendingLoad) throw forField(err, plan.path);
      throw asKryptoniteError(err, direction === 'encrypt' ? 'ENCRYPT_FAILED' : 'DECRYPT_FAILED',
        `${direction}ion failed unexpectedly`, { fieldPath: plan.path });
    }
  }

  private keyIdFor(plan: FieldPlan, record: JsonObject): string {
    if (!plan.dynamicKeyId) return plan.keyId;
    return resolveDynamicKeyId(plan.keyId, this.settings.dynamicKeyIdPrefix, record, this.settings.pathDelimiter);
  }
}

/** The same pending load, whose failure (e.g. an unknown keyset) names the field that needed it. */
function forField(pending: PendingLoad, fieldPath: string): PendingLoad {
  return new PendingLoad(pending.key, async () => {
    try {
      await pending.load();
    } catch (err) {
      throw asKryptoniteError(err, 'LOAD_FAILED', 'loading a key failed', { fieldPath });
    }
  });
}
