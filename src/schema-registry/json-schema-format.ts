// JSON Schema records for the Schema Registry codec: the payload is JSON text, validated on encode with the
// registry client's own validator (@kafkajs/confluent-schema-registry's JsonSchema, ajv), and the encrypted
// schema turns encrypted leaves into `string` (keeping `null` in nullable types).
import JsonSchema from '@kafkajs/confluent-schema-registry/dist/JsonSchema';
import { SchemaType } from '@kafkajs/confluent-schema-registry/dist/@types';
import type { CompiledFields, FieldPlan } from '../field/field-plan';
import { isPlainObject, type JsonObject } from '../paths/field-path';
import { SchemaMismatchError } from './sr-errors';
import { FoundPlans, type DecodedRecord, type DerivedSchema, type SrFormat, type SrSchema } from './sr-format';

type Node = JsonObject | boolean;
const COMBINERS = ['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref'];
const KEEP_ON_LEAF = ['title', 'description', '$comment'];

function typesOf(node: JsonObject): string[] {
  const t = node.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  if (isPlainObject(node.properties)) return ['object'];
  if (node.items !== undefined) return ['array'];
  return [];
}

function isNullable(node: Node): boolean {
  if (typeof node === 'boolean') return node;
  if (typesOf(node).includes('null')) return true;
  return ['anyOf', 'oneOf'].some((k) => Array.isArray(node[k]) && (node[k] as Node[]).some((b) => isPlainObject(b) && typesOf(b).includes('null')));
}

// Big integers decrypt as bigint; JSON has no such type and the writer's own value was a double anyway.
const replacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

class Deriver {
  readonly found = new FoundPlans();
  constructor(private readonly id: number, private readonly fields: CompiledFields, private readonly d: string) {}

  bad(why: string): SchemaMismatchError {
    return new SchemaMismatchError('SR_SCHEMA_UNSUPPORTED', `JSON schema id ${this.id} ${why}`);
  }

  rewritePath(node: Node, plan: FieldPlan, i: number): Node | undefined {
    if (typeof node === 'boolean') return undefined;
    for (const k of COMBINERS) if (node[k] !== undefined) throw this.bad(`: path '${plan.path}' crosses '${k}', which is not supported`);
    const props = node.properties;
    const seg = plan.segments[i] as string;
    if (!isPlainObject(props) || !Object.prototype.hasOwnProperty.call(props, seg)) return undefined;
    const child = props[seg] as Node;
    const last = i === plan.segments.length - 1;
    const next = last ? this.leaf(child, plan) : this.rewritePath(child, plan, i + 1);
    if (next === undefined) return undefined;
    if (last) this.found.add(plan);
    return { ...node, properties: { ...props, [seg]: next } };
  }

  private leaf(node: Node, plan: FieldPlan): Node {
    return plan.mode === 'OBJECT' ? this.objectLeaf(node) : this.element(node, plan);
  }

  objectLeaf(node: Node): Node {
    const out: JsonObject = { type: isNullable(node) ? ['string', 'null'] : 'string' };
    if (typeof node !== 'boolean') for (const k of KEEP_ON_LEAF) if (node[k] !== undefined) out[k] = node[k];
    return out;
  }

  private element(node: Node, plan: FieldPlan): Node {
    if (typeof node === 'boolean') return node;
    const types = typesOf(node);
    const container = types.includes('object') || types.includes('array');
    if (!container) return types.length === 0 && !COMBINERS.some((k) => node[k] !== undefined) ? node : this.objectLeaf(node);
    if (COMBINERS.some((k) => node[k] !== undefined)) throw this.bad(`: ELEMENT mode at '${plan.path}' over a combined schema is not supported`);
    const out: JsonObject = { ...node };
    // The engine turns a null container into one ciphertext string, so a nullable container also accepts a string.
    if (types.includes('null')) out.type = [...types.filter((t) => t !== 'null'), 'string', 'null'];
    if (isPlainObject(node.properties)) {
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(node.properties)) {
        const childPath = plan.path + this.d + name;
        const own = this.fields.byPath.get(childPath);
        if (own !== undefined) this.found.add(own);
        const cp = own ?? { ...plan, path: childPath };
        props[name] = cp.mode === 'OBJECT' ? this.objectLeaf(sub as Node) : this.element(sub as Node, cp);
      }
      out.properties = props;
    }
    if (isPlainObject(node.additionalProperties)) out.additionalProperties = this.element(node.additionalProperties, plan);
    if (isPlainObject(node.patternProperties)) {
      out.patternProperties = Object.fromEntries(Object.entries(node.patternProperties).map(([k, v]) => [k, this.element(v as Node, plan)]));
    }
    if (Array.isArray(node.items)) out.items = node.items.map((s) => this.element(s as Node, plan));
    else if (node.items !== undefined) out.items = this.element(node.items as Node, plan);
    if (node.additionalItems !== undefined && typeof node.additionalItems !== 'boolean') out.additionalItems = this.element(node.additionalItems as Node, plan);
    return out;
  }
}

class JsonSrSchema implements SrSchema {
  readonly type = 'JSON' as const;
  private readonly validator: JsonSchema;

  constructor(private readonly doc: JsonObject, text: string, private readonly id: number) {
    try {
      this.validator = new JsonSchema({ type: SchemaType.JSON, schema: text }, { strict: false, validateFormats: false, logger: false });
    } catch (err) {
      throw new SchemaMismatchError('SR_SCHEMA_INVALID', `schema id ${id} is not a usable JSON Schema`, { cause: err });
    }
  }

  decode(payload: Buffer): DecodedRecord {
    let doc: unknown;
    try { doc = JSON.parse(payload.toString('utf8')); } catch (err) {
      throw new SchemaMismatchError('SR_PAYLOAD_MISMATCH', `payload under JSON schema id ${this.id} is not JSON text`, { cause: err });
    }
    if (!isPlainObject(doc)) throw new SchemaMismatchError('SR_PAYLOAD_MISMATCH', `payload under JSON schema id ${this.id} is not a JSON object`);
    return { record: doc, variant: '' };
  }

  encode(record: JsonObject): Buffer {
    const text = JSON.stringify(record, replacer);
    const value = JSON.parse(text) as object;
    const paths: string[] = [];
    if (!this.validator.isValid(value, { errorHook: (p: string[]) => { paths.push(p.join('') || '/'); } })) {
      throw new SchemaMismatchError('SR_RECORD_MISMATCH', `record does not fit JSON schema id ${this.id} at ${[...new Set(paths)].join(', ')}`);
    }
    return Buffer.from(text, 'utf8');
  }

  deriveEncrypted(fields: CompiledFields, delimiter: string): DerivedSchema | undefined {
    const deriver = new Deriver(this.id, fields, delimiter);
    let out: Node = this.doc;
    for (const plan of fields.roots) out = deriver.rewritePath(out, plan, 0) ?? out;
    const encrypted = deriver.found.list();
    return encrypted.length === 0 ? undefined : { schema: JSON.stringify(out), encrypted };
  }
}

export const jsonSchemaFormat: SrFormat = {
  type: 'JSON',
  parse(schema: string, id: number, hasReferences: boolean): SrSchema {
    if (hasReferences) throw new SchemaMismatchError('SR_SCHEMA_UNSUPPORTED', `JSON schema id ${id} uses schema references, which are not supported`);
    let doc: unknown;
    try { doc = JSON.parse(schema); } catch (err) {
      throw new SchemaMismatchError('SR_SCHEMA_INVALID', `schema id ${id} is not JSON`, { cause: err });
    }
    if (!isPlainObject(doc)) throw new SchemaMismatchError('SR_SCHEMA_INVALID', `JSON schema id ${id} is not an object schema`);
    return new JsonSrSchema(doc, schema, id);
  },
};
