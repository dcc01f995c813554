// The contract each Schema Registry format (Avro, JSON Schema, Protobuf) implements for the record codec:
// payload ↔ plain JSON-like record (what the engine encrypts), and derivation of the encrypted schema.
import type { CompiledFields, FieldPlan } from '../field/field-plan';
import type { JsonObject } from '../paths/field-path';
import type { SrSchemaType } from './sr-client';

export interface DecodedRecord {
  readonly record: JsonObject;
  /** Which message of the schema the payload holds ('' except Protobuf, where it is the message-index path). */
  readonly variant: string;
}

export interface DerivedSchema {
  /** Schema text to register. */
  readonly schema: string;
  /** The configured fields found in this schema (top-level roots and configured children below ELEMENT roots). */
  readonly encrypted: readonly FieldPlan[];
}

/** One parsed registry schema. */
export interface SrSchema {
  readonly type: SrSchemaType;
  /** `payload` is what follows the 5-byte prefix. */
  decode(payload: Buffer): DecodedRecord;
  /** Encodes a plain record under this schema; a record that does not fit throws SchemaMismatchError (paths only, no values). */
  encode(record: JsonObject, variant: string): Buffer;
  /** This schema with the fields the engine would encrypt turned into strings, or undefined when none of them exists. */
  deriveEncrypted(fields: CompiledFields, delimiter: string, variant: string): DerivedSchema | undefined;
}

export interface SrFormat {
  readonly type: SrSchemaType;
  /** `hasReferences`: the registry lists schema references (imports); formats that cannot resolve them refuse. */
  parse(schema: string, id: number, hasReferences: boolean): SrSchema;
}

/** Plans whose field exists, collected during derivation. */
export class FoundPlans {
  private readonly plans = new Map<string, FieldPlan>();
  add(plan: FieldPlan): void { this.plans.set(plan.path, plan); }
  list(): FieldPlan[] { return [...this.plans.values()]; }
}
