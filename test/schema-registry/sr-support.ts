// Helpers for the Schema Registry tests: the real registry the jest setup started (Apicurio's ccompat API),
// an engine with the public Kryptonite test keysets, unique topic names, and a counting HTTP proxy.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import protobuf from 'protobufjs';
import { Kryptonite } from '../../src/engine';
import { AvroLongType, SchemaRegistryCodec } from '../../src/schema-registry';
import { KEYSET_9, KEYSET_A, KEYSET_B, KEYSET_C_FPE } from '../keyset/fixtures';

export function registryUrl(): string {
  const url = process.env.SCHEMA_REGISTRY_URL?.trim();
  if (!url) {
    throw new Error('SCHEMA_REGISTRY_URL is not set: run jest with the schema-registry service (not K4K_SERVICES=none) after '
      + 'scripts/testinfra/apicurio.sh, or point SCHEMA_REGISTRY_URL at a Confluent-compatible registry');
  }
  return url;
}

export function engine(extra: Record<string, unknown> = {}): Promise<Kryptonite> {
  return Kryptonite.create({
    cipher_data_keys: [
      { identifier: 'keyA', material: KEYSET_A }, { identifier: 'keyB', material: KEYSET_B },
      { identifier: 'key9', material: KEYSET_9 }, { identifier: 'keyC', material: KEYSET_C_FPE },
    ],
    cipher_data_key_identifier: 'keyB',
    ...extra,
  });
}

export async function codec(extra: Record<string, unknown> = {}, url = registryUrl()): Promise<SchemaRegistryCodec> {
  return new SchemaRegistryCodec({ engine: await engine(extra), registry: { host: url, retry: { retries: 0 } } });
}

// Applications keep 64-bit longs exact with the codec's long type; the hook swaps it in for every plain `long`.
const longHook = (schema: unknown): unknown =>
  schema === 'long' || (typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'long' && !('logicalType' in schema))
    ? AvroLongType : undefined;

/** The registry client applications would use (producers and plain consumers); `avro` adds avsc options such as logical types. */
export const appRegistry = (url = registryUrl(), avro: Record<string, unknown> = {}): SchemaRegistry =>
  new SchemaRegistry({ host: url }, {
    [SchemaType.AVRO]: { typeHook: longHook, ...avro },
    [SchemaType.JSON]: { strict: false, validateFormats: false }, // ajv 7 rejects formats it lacks plugins for
  } as never);

let n = 0;
export const uniqueTopic = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${n++}`;

/** Registers `schema` under `<topic>-value` the way a producer application would. */
export async function registerValueSchema(reg: SchemaRegistry, topic: string, type: 'AVRO' | 'JSON' | 'PROTOBUF', schema: string): Promise<number> {
  const { id } = await reg.register({ type, schema } as never, { subject: `${topic}-value` });
  return id;
}

export interface CountingProxy {
  readonly url: string;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  /** While true, every request is answered 503 without reaching the registry. */
  failing: boolean;
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 in front of the registry that records every request it forwards. */
export async function countingProxy(target = registryUrl()): Promise<CountingProxy> {
  const t = new URL(target);
  const state = { failing: false };
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? '?'} ${req.url ?? ''}`);
    if (state.failing) { res.writeHead(503, { 'content-type': 'application/json' }).end('{"error_code":50301,"message":"unavailable"}'); return; }
    const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  // Requests are forwarded with their full path, so the proxy URL keeps the registry's path prefix.
  return {
    url: `http://127.0.0.1:${port}${t.pathname.replace(/\/$/, '')}`,
    requests,
    get failing() { return state.failing; },
    set failing(v: boolean) { state.failing = v; },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Subjects currently in the registry. */
export async function subjects(url = registryUrl()): Promise<string[]> {
  const res = await fetch(`${url}/subjects`);
  return (await res.json()) as string[];
}

/** True when any of `needles` occurs in `bytes` as UTF-8. */
export function containsAny(bytes: Buffer, needles: readonly string[]): string[] {
  return needles.filter((s) => bytes.includes(Buffer.from(s, 'utf8')));
}

/** A protobufjs root for .proto text, with the well-known imports (google/protobuf/*) resolved; field names as written. */
export function protoRoot(text: string): protobuf.Root {
  const root = new protobuf.Root();
  const parsed = protobuf.parse(text, root, { keepCase: true });
  for (const imp of parsed.imports ?? []) root.addJSON((protobuf.common.get(imp) as { nested: Record<string, protobuf.AnyNestedObject> }).nested);
  root.resolveAll();
  return root;
}

/** toObject options giving a plain, comparable view: 64-bit integers, enums and bytes as strings. */
export const PROTO_VIEW = { longs: String, enums: String, bytes: String } as const;
