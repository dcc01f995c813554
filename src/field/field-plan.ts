// A compiled field config: the settings of one configured path after falling back to the global ones,
// worked out once per config (not per record).
import type { EngineSettings } from '../config/settings';
import type { CipherAlgorithm, FieldConfig, FieldMode } from '../config/types';
import { alphabetFor } from '../cipher/fpe-alphabets';

export interface FieldPlan {
  readonly path: string;
  readonly segments: readonly string[];
  readonly algorithm: CipherAlgorithm;
  readonly mode: FieldMode;
  /** Static key id, or a dynamic expression (starts with the dynamic prefix); '' when none is configured. */
  readonly keyId: string;
  readonly dynamicKeyId: boolean;
  readonly fpeTweak: string;
  readonly fpeAlphabet: string;
}

export interface CompiledFields {
  /** Configured paths that are not inside another configured path: the walk starts from these. */
  readonly roots: readonly FieldPlan[];
  /** Every configured path, for overrides met while walking an ELEMENT-mode container. */
  readonly byPath: ReadonlyMap<string, FieldPlan>;
}

export function planField(fc: FieldConfig, s: EngineSettings): FieldPlan {
  const algorithm = fc.algorithm ?? s.cipherAlgorithm;
  const keyId = fc.keyId ?? s.cipherDataKeyIdentifier;
  const isFpe = algorithm === 'CUSTOM/MYSTO_FPE_FF3_1';
  const alphabetType = fc.fpeAlphabetType ?? s.fpe.alphabetType;
  return {
    path: fc.name,
    segments: fc.name.split(s.pathDelimiter),
    algorithm,
    mode: fc.fieldMode ?? s.fieldMode,
    keyId,
    dynamicKeyId: keyId.startsWith(s.dynamicKeyIdPrefix),
    fpeTweak: fc.fpeTweak ?? s.fpe.tweak,
    // A per-field CUSTOM type without its own alphabet falls back to the global custom alphabet (the Java SMT does not).
    fpeAlphabet: isFpe ? alphabetFor(alphabetType, fc.fpeAlphabetCustom ?? s.fpe.alphabetCustom) : '',
  };
}

export function compileFields(fields: readonly FieldConfig[], s: EngineSettings): CompiledFields {
  const byPath = new Map<string, FieldPlan>();
  for (const fc of fields) byPath.set(fc.name, planField(fc, s));
  const d = s.pathDelimiter;
  const roots = [...byPath.values()].filter((plan) => {
    for (let i = plan.path.indexOf(d); i > 0; i = plan.path.indexOf(d, i + d.length)) {
      if (byPath.has(plan.path.slice(0, i))) return false;
    }
    return true;
  });
  return { roots, byPath };
}

/** Settings for a child met inside an ELEMENT-mode container: its own config if it has one, else the parent's. */
export function childPlan(parent: FieldPlan, childPath: string, compiled: CompiledFields): FieldPlan {
  return compiled.byPath.get(childPath) ?? { ...parent, path: childPath };
}
