// Encrypted-schema derivation, plain views and framing, without a registry: the rules that decide what a
// consumer of the raw topic sees, checked one at a time.
import protobuf from 'protobufjs';
import { compileFields } from '../../src/field/field-plan';
import { avroFormat } from '../../src/schema-registry/avro-format';
import { jsonSchemaFormat } from '../../src/schema-registry/json-schema-format';
import { protobufFormat } from '../../src/schema-registry/protobuf-format';
import { SchemaMismatchError } from '../../src/schema-registry/sr-errors';
import { partialDecryptSubject } from '../../src/schema-registry/sr-metadata';
import { readFrame, readMessageIndexes, writeFrame, writeMessageIndexes } from '../../src/schema-registry/sr-wire';
import type { FieldConfig } from '../../src/config/types';
import { engine } from './sr-support';

let settings: Awaited<ReturnType<typeof engine>>['settings'];
beforeAll(async () => { settings = (await engine()).settings; });
const compiled = (fields: FieldConfig[]) => compileFields(fields, settings);

describe('Avro derivation', () => {
  const derive = (schema: object, fields: FieldConfig[]) => {
    const d = avroFormat.parse(JSON.stringify(schema), 1, false).deriveEncrypted(compiled(fields), '.', '');
    return d === undefined ? undefined : { schema: JSON.parse(d.schema) as { fields: { name: string; type: unknown; default?: unknown }[] }, names: d.encrypted.map((p) => p.path) };
  };
  const rec = (fields: object[]) => ({ type: 'record', name: 'R', fields });

  it('OBJECT leaves become string; a nullable union keeps null in place and a null default stays valid', () => {
    const out = derive(rec([{ name: 'a', type: 'int', default: 3 }, { name: 'b', type: ['null', 'long'], default: null }, { name: 'c', type: ['double', 'null'] }]),
      [{ name: 'a', fieldMode: 'OBJECT' }, { name: 'b', fieldMode: 'OBJECT' }, { name: 'c', fieldMode: 'OBJECT' }]);
    expect(out?.schema.fields).toEqual([{ name: 'a', type: 'string' }, { name: 'b', type: ['null', 'string'], default: null }, { name: 'c', type: ['string', 'null'] }]);
  });

  it('ELEMENT keeps containers: arrays and maps of strings, records with string leaves, nullable containers also accept a string', () => {
    const out = derive(rec([
      { name: 'xs', type: { type: 'array', items: 'int' } },
      { name: 'm', type: { type: 'map', values: { type: 'array', items: 'long' } } },
      { name: 'opt', type: ['null', { type: 'array', items: 'boolean' }], default: null },
    ]), [{ name: 'xs', fieldMode: 'ELEMENT' }, { name: 'm', fieldMode: 'ELEMENT' }, { name: 'opt', fieldMode: 'ELEMENT' }]);
    expect(out?.schema.fields.map((f) => f.type)).toEqual([
      { type: 'array', items: 'string' },
      { type: 'map', values: { type: 'array', items: 'string' } },
      ['null', 'string', { type: 'array', items: 'string' }],
    ]);
  });

  it('a configured child below an ELEMENT record uses its own mode', () => {
    const inner = { type: 'record', name: 'In', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: { type: 'array', items: 'int' } }] };
    const out = derive(rec([{ name: 'r', type: inner }]), [{ name: 'r', fieldMode: 'ELEMENT' }, { name: 'r.y', fieldMode: 'OBJECT' }]);
    expect((out?.schema.fields[0]?.type as { fields: unknown[] }).fields).toEqual([{ name: 'x', type: 'string' }, { name: 'y', type: 'string' }]);
    expect(out?.names.sort()).toEqual(['r', 'r.y']);
  });

  it('missing paths are skipped; no configured field present means no derived schema', () => {
    expect(derive(rec([{ name: 'a', type: 'int' }]), [{ name: 'zz' }, { name: 'a.b' }])).toBeUndefined();
    expect(derive(rec([{ name: 'a', type: 'int' }]), [{ name: 'zz' }, { name: 'a', fieldMode: 'OBJECT' }])?.names).toEqual(['a']);
  });

  it('refuses what it cannot express, naming the path: multi-branch unions on a path, recursive ELEMENT records', () => {
    const multi = rec([{ name: 'u', type: ['null', { type: 'record', name: 'A', fields: [{ name: 'x', type: 'int' }] }, 'string'] }]);
    expect(() => derive(multi, [{ name: 'u.x', fieldMode: 'OBJECT' }])).toThrow(SchemaMismatchError);
    const node = { type: 'record', name: 'Node', fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'Node'] }] };
    expect(() => derive(node, [{ name: 'next', fieldMode: 'ELEMENT' }])).toThrow(/recursive/);
    // OBJECT on a recursive field is fine: the whole subtree becomes one string
    expect(derive(node, [{ name: 'next', fieldMode: 'OBJECT' }])?.schema.fields[1]?.type).toEqual(['null', 'string']);
  });

  it('a derived schema parses and round-trips plain values, including ambiguous unions and unsafe longs', () => {
    const schema = rec([{ name: 'n', type: ['int', 'long'] }, { name: 'l', type: 'long' }, { name: 's', type: 'string' }]);
    const s = avroFormat.parse(JSON.stringify(schema), 1, false);
    const plain = { n: { long: 5 }, l: 2n ** 63n - 1n, s: 'x' };
    const bytes = s.encode(plain, '');
    expect(s.decode(bytes).record).toEqual(plain);
    expect(() => s.encode({ n: { int: 1 }, l: 'secret-text', s: 'x' }, '')).toThrow(/at l$/);
  });
});

describe('JSON Schema derivation', () => {
  it('turns leaves into strings, keeps null, recurses ELEMENT objects and arrays, and refuses combiners on a path', () => {
    const doc = { type: 'object', properties: {
      a: { type: ['integer', 'null'], minimum: 0 }, o: { type: 'object', properties: { p: { type: 'number' }, q: { type: 'array', items: { type: 'boolean' } } } },
      c: { anyOf: [{ type: 'object', properties: { z: { type: 'string' } } }] },
    } };
    const s = jsonSchemaFormat.parse(JSON.stringify(doc), 1, false);
    const d = JSON.parse(s.deriveEncrypted(compiled([{ name: 'a', fieldMode: 'OBJECT' }, { name: 'o', fieldMode: 'ELEMENT' }]), '.', '')?.schema ?? '{}');
    expect(d.properties.a).toEqual({ type: ['string', 'null'] });
    expect(d.properties.o.properties).toEqual({ p: { type: 'string' }, q: { type: 'array', items: { type: 'string' } } });
    expect(() => s.deriveEncrypted(compiled([{ name: 'c.z', fieldMode: 'OBJECT' }]), '.', '')).toThrow(/anyOf/);
  });
});

describe('Protobuf derivation and printing', () => {
  const PROTO = 'syntax = "proto3";\npackage p;\nmessage A { int32 x = 1; repeated B bs = 2; map<string, int64> m = 3; oneof o { int32 i = 4; string s = 5; } }\nmessage B { bool f = 1; }\n';

  it('prints a schema that parses back to the same messages, and keeps message indexes', () => {
    const s = protobufFormat.parse(PROTO, 1, false);
    const d = s.deriveEncrypted(compiled([{ name: 'x', fieldMode: 'OBJECT' }, { name: 'bs', fieldMode: 'ELEMENT' }, { name: 'm', fieldMode: 'ELEMENT' }, { name: 'i', fieldMode: 'OBJECT' }]), '.', '0');
    const root = protobuf.parse(d?.schema ?? '', { keepCase: true }).root;
    root.resolveAll();
    const pkg = root.lookup('p') as protobuf.Namespace;
    expect(pkg.nestedArray.filter((n) => n instanceof protobuf.Type).map((n) => n.name).slice(0, 2)).toEqual(['A', 'B']);
    const A = root.lookupType('p.A');
    expect(A.fields.x?.type).toBe('string');
    expect((A.fields.bs?.resolvedType as protobuf.Type).fields.f?.type).toBe('string');
    expect(A.fields.bs?.repeated).toBe(true);
    expect((A.fields.m as unknown as protobuf.MapField).keyType).toBe('string');
    expect(A.fields.m?.type).toBe('string');
    expect(A.fields.i?.partOf?.name).toBe('o');
    expect(root.lookupType('p.B').fields.f?.type).toBe('bool'); // the shared B is untouched
  });

  it('message-index framing: [0] is one zero byte, other paths are zig-zag counted', () => {
    expect(writeMessageIndexes([0], Buffer.from([9]))).toEqual(Buffer.from([0, 9]));
    expect(writeMessageIndexes([1, 2], Buffer.from([9]))).toEqual(Buffer.from([4, 2, 4, 9]));
    expect(readMessageIndexes(Buffer.from([4, 2, 4, 9]))).toEqual({ indexes: [1, 2], message: Buffer.from([9]) });
    expect(() => readMessageIndexes(Buffer.from([0x80]))).toThrow(SchemaMismatchError);
  });
});

describe('framing and naming', () => {
  it('reads and writes the Confluent prefix and rejects what is not framed', () => {
    const f = writeFrame(258, Buffer.from('x'));
    expect(f).toEqual(Buffer.from([0, 0, 0, 1, 2, 0x78]));
    expect(readFrame(f)).toEqual({ schemaId: 258, payload: Buffer.from('x') });
    expect(() => readFrame(Buffer.from([1, 0, 0, 0, 1]))).toThrow(/magic byte/);
    expect(() => readFrame(Buffer.from([0, 0]))).toThrow(/at least 5/);
  });

  it('partial-decrypt subjects follow Kryptonite: first 8 hex of SHA-256("<encId>:<sorted names>")', () => {
    // known answer from `printf '42:a,b' | sha256sum`
    expect(partialDecryptSubject('t', 42, ['b', 'a'])).toBe('t-value__k4k_dec_82b2bb0d');
  });
});
