// An in-process fake of Cloud KMS and Secret Manager, served over gRPC on 127.0.0.1 from the .proto files
// that ship inside the real npm clients, so the real @google-cloud/* clients talk to it unchanged.
// KMS keys are real AES-256-GCM keys with versions and honour additional authenticated data; secrets have
// versions and "latest"; listings are paged. Tests can inject failures and count calls.
import { randomBytes, createCipheriv, createDecipheriv } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { crc32c } from '../../src/providers/gcp/crc32c';

function packageDir(pkg: string, from?: string): string {
  let dir = dirname(require.resolve(pkg, from ? { paths: [from] } : undefined));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const KMS_DIR = packageDir('@google-cloud/kms');
const SM_DIR = packageDir('@google-cloud/secret-manager');
const GAX_PROTOS = join(packageDir('google-gax', KMS_DIR), 'build', 'protos');
const LOAD = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };

type Pkg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const kmsPkg = grpc.loadPackageDefinition(protoLoader.loadSync('google/cloud/kms/v1/service.proto',
  { ...LOAD, includeDirs: [join(KMS_DIR, 'build', 'protos'), GAX_PROTOS] })) as Pkg;
const smPkg = grpc.loadPackageDefinition(protoLoader.loadSync('google/cloud/secretmanager/v1/service.proto',
  { ...LOAD, includeDirs: [join(SM_DIR, 'build', 'protos'), GAX_PROTOS] })) as Pkg;

interface KmsKey { primary: number; versions: Map<number, Buffer> }
interface Secret { name: string; versions: Buffer[] }
type Callback = (err: grpc.ServiceError | null, value?: unknown) => void;
type Handler = (call: { request: Record<string, any> }, cb: Callback) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const fail = (code: grpc.status, details: string): grpc.ServiceError =>
  Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
const bytes = (v: unknown): Buffer => (v ? Buffer.from(v as Uint8Array) : Buffer.alloc(0));
const sum = (v: unknown): number | undefined => {
  const x = (v as { value?: unknown } | null | undefined)?.value;
  return x === undefined || x === null ? undefined : Number(x);
};

export interface FakeGcp {
  readonly port: number;
  /** host:port for kms_config.endpoint */
  readonly endpoint: string;
  /** Creates a KMS key (resource name projects/../cryptoKeys/..) with one version. */
  addKey(name: string): void;
  /** Adds a new primary version to a key; older versions still decrypt. */
  rotateKey(name: string): void;
  /** Adds a secret version (creating the secret): projects/<p>/secrets/<id>. */
  putSecret(project: string, secretId: string, value: string | Buffer): void;
  deleteSecret(project: string, secretId: string): void;
  /** When set, every RPC fails with this status (e.g. PERMISSION_DENIED, UNAVAILABLE). */
  failWith: grpc.status | undefined;
  /** Calls per RPC method name. */
  readonly calls: Map<string, number>;
  stop(): Promise<void>;
}

export async function startFakeGcp(options: { port?: number; pageSize?: number } = {}): Promise<FakeGcp> {
  const keys = new Map<string, KmsKey>();
  const secrets = new Map<string, Secret>();
  const pageSize = options.pageSize ?? 2; // small pages so clients must follow page tokens
  const server = new grpc.Server();
  const state = { failWith: undefined as grpc.status | undefined };
  const calls = new Map<string, number>();

  const wrap = (handlers: Record<string, Handler>): Record<string, Handler> => Object.fromEntries(
    Object.entries(handlers).map(([n, h]) => [n, (call, cb) => {
      calls.set(n, (calls.get(n) ?? 0) + 1);
      if (state.failWith !== undefined) return cb(fail(state.failWith, `injected failure for ${n}`));
      try { h(call, cb); } catch (err) { cb(fail(grpc.status.INTERNAL, String(err))); }
    }]));

  server.addService(kmsPkg.google.cloud.kms.v1.KeyManagementService.service, wrap({
    encrypt({ request: r }, cb) {
      const keyName = String(r.name).replace(/\/cryptoKeyVersions\/.*$/, '');
      const key = keys.get(keyName);
      if (!key) return cb(fail(grpc.status.NOT_FOUND, `CryptoKey ${keyName} not found.`));
      const pt = bytes(r.plaintext); const aad = bytes(r.additionalAuthenticatedData);
      if (sum(r.plaintextCrc32c) !== undefined && sum(r.plaintextCrc32c) !== crc32c(pt)) {
        return cb(fail(grpc.status.INVALID_ARGUMENT, 'The checksum in field plaintext_crc32c did not match the data in field plaintext.'));
      }
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key.versions.get(key.primary) as Buffer, iv);
      c.setAAD(aad);
      const version = Buffer.alloc(4); version.writeUInt32BE(key.primary);
      const ct = Buffer.concat([version, iv, c.update(pt), c.final(), c.getAuthTag()]);
      cb(null, {
        name: `${keyName}/cryptoKeyVersions/${key.primary}`, ciphertext: ct, ciphertextCrc32c: { value: String(crc32c(ct)) },
        verifiedPlaintextCrc32c: sum(r.plaintextCrc32c) !== undefined,
        verifiedAdditionalAuthenticatedDataCrc32c: sum(r.additionalAuthenticatedDataCrc32c) !== undefined, protectionLevel: 'SOFTWARE',
      });
    },
    decrypt({ request: r }, cb) {
      const key = keys.get(String(r.name));
      if (!key) return cb(fail(grpc.status.NOT_FOUND, `CryptoKey ${String(r.name)} not found.`));
      const ct = bytes(r.ciphertext); const aad = bytes(r.additionalAuthenticatedData);
      if (sum(r.ciphertextCrc32c) !== undefined && sum(r.ciphertextCrc32c) !== crc32c(ct)) {
        return cb(fail(grpc.status.INVALID_ARGUMENT, 'The checksum in field ciphertext_crc32c did not match the data in field ciphertext.'));
      }
      const invalid = fail(grpc.status.INVALID_ARGUMENT, 'Decryption failed: the ciphertext is invalid.');
      if (ct.length < 4 + 12 + 16) return cb(invalid);
      const version = ct.readUInt32BE(0);
      const material = key.versions.get(version);
      if (!material) return cb(invalid);
      try {
        const d = createDecipheriv('aes-256-gcm', material, ct.subarray(4, 16));
        d.setAAD(aad);
        d.setAuthTag(ct.subarray(ct.length - 16));
        const pt = Buffer.concat([d.update(ct.subarray(16, ct.length - 16)), d.final()]);
        cb(null, { plaintext: pt, plaintextCrc32c: { value: String(crc32c(pt)) }, usedPrimary: version === key.primary, protectionLevel: 'SOFTWARE' });
      } catch {
        cb(invalid);
      }
    },
  }));

  const secretName = (project: string, id: string): string => `projects/${project}/secrets/${id}`;
  server.addService(smPkg.google.cloud.secretmanager.v1.SecretManagerService.service, wrap({
    createSecret({ request: r }, cb) {
      const name = `${String(r.parent)}/secrets/${String(r.secretId)}`;
      if (secrets.has(name)) return cb(fail(grpc.status.ALREADY_EXISTS, `Secret [${name}] already exists.`));
      secrets.set(name, { name, versions: [] });
      cb(null, { name });
    },
    addSecretVersion({ request: r }, cb) {
      const s = secrets.get(String(r.parent));
      if (!s) return cb(fail(grpc.status.NOT_FOUND, `Secret [${String(r.parent)}] not found.`));
      s.versions.push(bytes(r.payload?.data));
      cb(null, { name: `${s.name}/versions/${s.versions.length}`, state: 'ENABLED' });
    },
    getSecret({ request: r }, cb) {
      const s = secrets.get(String(r.name));
      return s ? cb(null, { name: s.name }) : cb(fail(grpc.status.NOT_FOUND, `Secret [${String(r.name)}] not found.`));
    },
    accessSecretVersion({ request: r }, cb) {
      const m = /^(.*)\/versions\/([^/]+)$/.exec(String(r.name));
      const s = m ? secrets.get(m[1] as string) : undefined;
      const data = s && m ? (m[2] === 'latest' ? s.versions.at(-1) : s.versions[Number(m[2]) - 1]) : undefined;
      if (!s || !m || !data) return cb(fail(grpc.status.NOT_FOUND, `Secret Version [${String(r.name)}] not found or has no versions.`));
      const version = m[2] === 'latest' ? s.versions.length : Number(m[2]);
      cb(null, { name: `${s.name}/versions/${version}`, payload: { data, dataCrc32c: String(crc32c(data)) } });
    },
    listSecrets({ request: r }, cb) {
      const prefix = `${String(r.parent)}/secrets/`;
      const all = [...secrets.keys()].filter((n) => n.startsWith(prefix)).sort();
      const start = r.pageToken ? Number(r.pageToken) : 0;
      const size = r.pageSize > 0 ? Math.min(r.pageSize, pageSize) : pageSize;
      const page = all.slice(start, start + size).map((name) => ({ name }));
      cb(null, { secrets: page, nextPageToken: start + size < all.length ? String(start + size) : '', totalSize: all.length });
    },
  }));

  const port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${options.port ?? 0}`,
    grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));

  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    get failWith() { return state.failWith; },
    set failWith(v) { state.failWith = v; },
    calls,
    addKey(name) {
      keys.set(name, { primary: 1, versions: new Map([[1, randomBytes(32)]]) });
    },
    rotateKey(name) {
      const key = keys.get(name);
      if (!key) throw new Error(`no fake key ${name}`);
      key.primary += 1;
      key.versions.set(key.primary, randomBytes(32));
    },
    putSecret(project, id, value) {
      const name = secretName(project, id);
      const s = secrets.get(name) ?? { name, versions: [] };
      s.versions.push(Buffer.from(value));
      secrets.set(name, s);
    },
    deleteSecret(project, id) {
      secrets.delete(secretName(project, id));
    },
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
