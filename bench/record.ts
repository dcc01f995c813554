// Record level, without Kafka: 1 KB JSON records (bytes, as KafkaJS hands them over) with three encrypted
// fields through the record layer the middleware uses (parse, encrypt or decrypt the fields, serialise).
import { compileTopicRules, decryptPart, encryptPart, type CompiledPart } from '../src/record';
import { measure } from './lib/measure';
import { compare, type Row } from './lib/report';
import { RECORD_FIELDS, benchEngine, benchKeys, record1k } from './lib/fixtures';

const POOL = 256;

export async function recordBench(log: (s: string) => void = () => undefined): Promise<Row[]> {
  const keys = benchKeys();
  const engine = await benchEngine(keys);
  const rows: Row[] = [];
  try {
    for (const [label, algorithm, keyId] of [['AES_GCM', 'TINK/AES_GCM', 'gcm'], ['AES_GCM_SIV', 'TINK/AES_GCM_SIV', 'siv']] as const) {
      log(`record: ${label}`);
      const fields = RECORD_FIELDS.map((f) => ({ ...f, algorithm, keyId }));
      const part = compileTopicRules([{ topic: 't', value: { fields } }]).route('t')?.value as CompiledPart;
      const plain = Array.from({ length: POOL }, (_, i) => Buffer.from(JSON.stringify(record1k(i))));
      const sealed = await Promise.all(plain.map((b) => encryptPart(engine, b, part, 'value')));
      let i = 0;
      let j = 0;
      let m = 0;
      const next = (): number => (i = (i + 1) % POOL);
      const [enc, dec, json] = await measure([
        { name: 'encrypt', async: true, op: () => encryptPart(engine, plain[next()], part, 'value') },
        { name: 'decrypt', async: true, op: () => decryptPart(engine, sealed[(j = (j + 1) % POOL)], part, 'value') },
        // What any consumer of JSON records pays anyway: parse and serialise the same bytes.
        { name: 'json', op: () => Buffer.from(JSON.stringify(JSON.parse((plain[(m = (m + 1) % POOL)] as Buffer).toString()))) },
      ]);
      const base = 'JSON.parse + JSON.stringify of the same record, no encryption';
      rows.push(compare(`record 1 KB, 3 fields ${label}`, 'encrypt (bytes in, bytes out)', 'records/s', enc!, base, json!,
        label === 'AES_GCM' ? 'record_enc_vs_json' : undefined));
      rows.push(compare(`record 1 KB, 3 fields ${label}`, 'decrypt (bytes in, bytes out)', 'records/s', dec!, base, json!,
        label === 'AES_GCM' ? 'record_dec_vs_json' : undefined));
    }
  } finally {
    await engine.close();
  }
  return rows;
}
