// Protobuf records through the Schema Registry codec against the real registry. Producers and plain consumers
// here frame records as Confluent's serializers do (message indexes included), with protobufjs.
import protobuf from 'protobufjs';
import { SchemaMismatchError, readFrame, writeFrame } from '../../src/schema-registry';
import { readMessageIndexes, writeMessageIndexes } from '../../src/schema-registry/sr-wire';
import { appRegistry, codec, containsAny, registerValueSchema, registryUrl, uniqueTopic } from './sr-support';

const PROTO = `syntax = "proto3";
package acme.shop;
import "google/protobuf/timestamp.proto";

message Order {
  enum Status { NEW = 0; PAID = 1; SHIPPED = 2; }
  string id = 1;
  int64 amount = 2;
  uint64 big = 3;
  double ratio = 4;
  bool active = 5;
  Status status = 6;
  Customer customer = 7;
  repeated Item items = 8;
  repeated int32 scores = 9;
  map<string, string> attrs = 10;
  optional string note = 11;
  google.protobuf.Timestamp created_at = 12;
  bytes blob = 13;
  oneof payment { string card = 14; string iban = 15; }
}
message Customer { string name = 1; string email = 2; Address address = 3; }
message Address { string street = 1; int32 zip = 2; }
message Item { string sku = 1; int32 qty = 2; }
`;

const FIELDS = [
  { name: 'amount', fieldMode: 'OBJECT' as const },
  { name: 'big', fieldMode: 'OBJECT' as const },
  { name: 'ratio', fieldMode: 'OBJECT' as const },
  { name: 'active', fieldMode: 'OBJECT' as const },
  { name: 'status', fieldMode: 'OBJECT' as const },
  { name: 'customer.email', fieldMode: 'OBJECT' as const },
  { name: 'customer.address', fieldMode: 'ELEMENT' as const },
  { name: 'items', fieldMode: 'ELEMENT' as const },
  { name: 'scores', fieldMode: 'ELEMENT' as const },
  { name: 'attrs', fieldMode: 'ELEMENT' as const },
  { name: 'note', fieldMode: 'OBJECT' as const },
  { name: 'created_at', fieldMode: 'OBJECT' as const },
  { name: 'blob', fieldMode: 'OBJECT' as const },
  { name: 'card', fieldMode: 'OBJECT' as const },
];

/** protobufjs with the well-known types loaded, as a Confluent-compatible application would have. */
function load(text: string): protobuf.Root {
  const root = new protobuf.Root();
  const parsed = protobuf.parse(text, root, { keepCase: true });
  for (const imp of parsed.imports ?? []) root.addJSON((protobuf.common.get(imp) as { nested: Record<string, protobuf.AnyNestedObject> }).nested);
  root.resolveAll();
  return root;
}

const VIEW = { longs: String, enums: String, bytes: String, oneofs: true } as const;

function order(i: number, note: boolean): Record<string, unknown> {
  return {
    id: `o-${i}`, amount: 1_000_000 + i, big: '18446744073709551615', ratio: 0.1 + i, active: true, status: 'PAID',
    customer: { name: 'Ann', email: `ann.secret${i}@example.com`, address: { street: 'Covert Alley 9', zip: 54321 } },
    items: [{ sku: 'SKU-HUSH', qty: 2 }], scores: [7, 99_999], attrs: { tier: 'platinum-secret' },
    ...(note ? { note: 'private remark' } : {}),
    created_at: { seconds: 1_700_000_000 + i, nanos: 123_000_000 }, blob: Buffer.from('opaque-bytes'), card: '4111111111111111',
  };
}

async function schemaText(id: number): Promise<string> {
  return ((await (await fetch(`${registryUrl()}/schemas/ids/${id}`)).json()) as { schema: string }).schema;
}

describe('Protobuf records through the Schema Registry codec', () => {
  it('encrypts with message indexes kept, reads raw under the encrypted schema, restores the exact bytes', async () => {
    const topic = uniqueTopic('proto-orders');
    const app = appRegistry();
    const originalId = await registerValueSchema(app, topic, 'PROTOBUF', PROTO);
    const Order = load(PROTO).lookupType('acme.shop.Order');
    const c = await codec();
    for (const i of [1, 2]) {
      const msg = Order.fromObject(order(i, i === 1));
      const produced = writeFrame(originalId, writeMessageIndexes([0], Buffer.from(Order.encode(msg).finish())));
      const encrypted = await c.encodeEncrypted(topic, produced, FIELDS);
      const frame = readFrame(encrypted);
      expect(frame.schemaId).not.toBe(originalId);
      expect(containsAny(encrypted, [`ann.secret${i}`, 'Covert Alley', 'SKU-HUSH', 'platinum-secret', 'private remark', 'opaque-bytes', '4111111111111111'])).toEqual([]);

      const encSchema = load(await schemaText(frame.schemaId));
      const { indexes, message } = readMessageIndexes(frame.payload);
      expect(indexes).toEqual([0]);
      const EncOrder = encSchema.lookupType('acme.shop.Order');
      const raw = EncOrder.toObject(EncOrder.decode(message), VIEW) as Record<string, any>;
      for (const f of ['amount', 'big', 'ratio', 'active', 'status', 'created_at', 'blob', 'card']) expect(raw[f]).toMatch(/^azIw/);
      expect(raw.payment).toBe('card');
      expect(raw.id).toBe(`o-${i}`);
      expect(raw.customer.name).toBe('Ann');
      expect(raw.customer.email).toMatch(/^azIw/);
      expect(Object.values(raw.customer.address).every((v) => typeof v === 'string' && (v as string).startsWith('azIw'))).toBe(true);
      expect(raw.items[0].qty).toMatch(/^azIw/);
      expect(raw.scores.every((v: unknown) => typeof v === 'string')).toBe(true);
      expect(Object.keys(raw.attrs)).toEqual(['tier']);
      if (i === 1) expect(raw.note).toMatch(/^azIw/); else expect(raw.note).toBeUndefined();

      const decrypted = await c.decodeDecrypted(topic, encrypted);
      expect(readFrame(decrypted).schemaId).toBe(originalId);
      expect(decrypted.equals(produced)).toBe(true);
      const back = Order.decode(readMessageIndexes(readFrame(decrypted).payload).message);
      expect(Order.toObject(back, VIEW)).toEqual(Order.toObject(msg, VIEW));
    }
    // The encrypted schema in the registry: OBJECT leaves are strings, ELEMENT containers keep their shape.
    const encText = await schemaText(readFrame(await c.encodeEncrypted(topic, writeFrame(originalId, writeMessageIndexes([0], Buffer.alloc(0))), FIELDS)).schemaId);
    const EncOrder = load(encText).lookupType('acme.shop.Order');
    expect(EncOrder.fields.amount?.type).toBe('string');
    expect(EncOrder.fields.scores?.repeated).toBe(true);
    expect(EncOrder.fields.note?.options?.proto3_optional).toBe(true);
    expect(EncOrder.fields.card?.partOf?.name).toBe('payment');
    expect((EncOrder.fields.items?.resolvedType as protobuf.Type).fields.qty?.type).toBe('string');
  });

  it('handles a record of the second message type (message index [1]) and partial decrypt', async () => {
    const topic = uniqueTopic('proto-customer');
    const app = appRegistry();
    const originalId = await registerValueSchema(app, topic, 'PROTOBUF', PROTO);
    const Customer = load(PROTO).lookupType('acme.shop.Customer');
    const msg = Customer.fromObject({ name: 'Bo', email: 'bo@hidden.example', address: { street: 'Quiet Road', zip: 7 } });
    const produced = writeFrame(originalId, writeMessageIndexes([1], Buffer.from(Customer.encode(msg).finish())));
    const c = await codec();
    const fields = [{ name: 'email', fieldMode: 'OBJECT' as const }, { name: 'address', fieldMode: 'ELEMENT' as const }];
    const encrypted = await c.encodeEncrypted(topic, produced, fields);
    expect(readMessageIndexes(readFrame(encrypted).payload).indexes).toEqual([1]);
    expect(containsAny(encrypted, ['bo@hidden', 'Quiet Road'])).toEqual([]);
    expect((await c.decodeDecrypted(topic, encrypted)).equals(produced)).toBe(true);

    const partial = await c.decodeDecrypted(topic, encrypted, ['email']);
    const id = readFrame(partial).schemaId;
    expect(id).not.toBe(originalId);
    const P = load(await schemaText(id)).lookupType('acme.shop.Customer');
    const view = P.toObject(P.decode(readMessageIndexes(readFrame(partial).payload).message), VIEW) as Record<string, any>;
    expect(view.email).toBe('bo@hidden.example');
    expect(view.address.street).toMatch(/^azIw/);
  });

  it('schema evolution: an added field flows through; old and new records decrypt', async () => {
    const topic = uniqueTopic('proto-evolve');
    const app = appRegistry();
    const v1 = 'syntax = "proto3";\npackage u;\nmessage User { string name = 1; string ssn = 2; }\n';
    const v2 = 'syntax = "proto3";\npackage u;\nmessage User { string name = 1; string ssn = 2; optional string phone = 3; }\n';
    const fields = [{ name: 'ssn', fieldMode: 'OBJECT' as const }, { name: 'phone', fieldMode: 'OBJECT' as const }];
    const c = await codec();
    const frame = (id: number, text: string, o: object): Buffer => {
      const T = load(text).lookupType('u.User');
      return writeFrame(id, writeMessageIndexes([0], Buffer.from(T.encode(T.fromObject(o)).finish())));
    };
    const id1 = await registerValueSchema(app, topic, 'PROTOBUF', v1);
    const oldIn = frame(id1, v1, { name: 'a', ssn: '111' });
    const old = await c.encodeEncrypted(topic, oldIn, fields);
    const id2 = await registerValueSchema(app, topic, 'PROTOBUF', v2);
    const neuIn = frame(id2, v2, { name: 'b', ssn: '222', phone: '555' });
    const neu = await c.encodeEncrypted(topic, neuIn, fields);
    expect(containsAny(neu, ['222', '555'])).toEqual([]);
    const consumer = await codec();
    expect((await consumer.decodeDecrypted(topic, old)).equals(oldIn)).toBe(true);
    expect((await consumer.decodeDecrypted(topic, neu)).equals(neuIn)).toBe(true);
  });

  it('a payload that is not the schema\'s message is a non-retriable mismatch', async () => {
    const topic = uniqueTopic('proto-bad');
    const app = appRegistry();
    const id = await registerValueSchema(app, topic, 'PROTOBUF', PROTO);
    const c = await codec();
    const err = await c.encodeEncrypted(topic, writeFrame(id, writeMessageIndexes([9], Buffer.from([0x08, 0x01]))), FIELDS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaMismatchError);
    expect((err as SchemaMismatchError).retriable).toBe(false);
  });
});
