// A stand-in for the engine at the RecordCipher seam: reversible, deterministic "ciphertext" that names its key
// id, a configurable set of known key ids (to simulate a consumer lacking a key) and injectable retriable faults.
import type { FieldConfig } from '../../src/config/types';
import { KeyNotFoundError, KmsError } from '../../src/errors';
import type { RecordCipher } from '../../src/record';

type Doc = Record<string, unknown>;

export class FakeRecordCipher implements RecordCipher {
  /** Decryptions that fail with a retriable KmsError before succeeding again. */
  retriableFaults = 0;
  calls = 0;

  constructor(private readonly knownKeys: readonly string[] = ['k1'], private readonly defaultKey = 'k1') {}

  async encryptValue(value: unknown, field: FieldConfig): Promise<unknown> {
    this.calls++;
    const keyId = field.keyId ?? this.defaultKey;
    if (!this.knownKeys.includes(keyId)) throw new KeyNotFoundError('KEY_NOT_FOUND', `no keyset '${keyId}'`, { fieldPath: field.name });
    const tagged = Buffer.isBuffer(value) ? { b: value.toString('base64') } : { j: value };
    const body = Buffer.from(JSON.stringify(tagged), 'utf8').map((x) => x ^ 0x5a);
    return `k2~${keyId}~${Buffer.from(body).toString('base64')}`;
  }

  async decryptValue(value: unknown, field: FieldConfig): Promise<unknown> {
    this.calls++;
    if (this.retriableFaults > 0) {
      this.retriableFaults--;
      throw new KmsError('KMS_TIMEOUT', 'key service timed out', { retriable: true, fieldPath: field.name });
    }
    const m = typeof value === 'string' ? /^k2~([^~]+)~(.*)$/.exec(value) : null;
    if (m === null) throw new KeyNotFoundError('NOT_CIPHERTEXT', 'not a ciphertext', { fieldPath: field.name });
    if (!this.knownKeys.includes(m[1] as string)) throw new KeyNotFoundError('KEY_NOT_FOUND', `no keyset '${m[1]}'`, { fieldPath: field.name });
    const tagged = JSON.parse(Buffer.from(Buffer.from(m[2] as string, 'base64').map((x) => x ^ 0x5a)).toString('utf8')) as { b?: string; j?: unknown };
    return tagged.b !== undefined ? Buffer.from(tagged.b, 'base64') : tagged.j;
  }

  encryptRecord(record: Doc, fields: readonly FieldConfig[] = []): Promise<Doc> {
    return this.walk(record, fields, (v, f) => this.encryptValue(v, f));
  }

  decryptRecord(record: Doc, fields: readonly FieldConfig[] = []): Promise<Doc> {
    return this.walk(record, fields, (v, f) => this.decryptValue(v, f));
  }

  private async walk(record: Doc, fields: readonly FieldConfig[], fn: (v: unknown, f: FieldConfig) => Promise<unknown>): Promise<Doc> {
    const out = structuredClone(record);
    for (const f of fields) {
      const path = f.name.split('.');
      let node: Doc | undefined = out;
      for (const seg of path.slice(0, -1)) node = node?.[seg] as Doc | undefined;
      const leaf = path[path.length - 1] as string;
      if (node !== undefined && node[leaf] !== undefined && node[leaf] !== null) node[leaf] = await fn(node[leaf], f);
    }
    return out;
  }
}
