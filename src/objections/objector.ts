// Who objects: 三(三)7 lets "任何单位或个人" object, and Chinese offices take only identified, written
// objections — a person signs with their real name and gives their 居民身份证号码; a unit gives its name,
// 统一社会信用代码 and a contact person and seals its letter (加盖公章). Anonymous objections (匿名) are not
// accepted. The identity is encrypted at rest like the contact details and never made public.
import * as z from 'zod';
import { invalidField, problem } from '../errors.js';
import { CODE_PROBLEM_TEXT, checkCreditCode, checkIdNumber, normalizeCode } from '../identity/codes.js';

export type ObjectorKind = 'unit' | 'person';

/** What is encrypted (JSON) in objection.identity_enc, and read back through this schema. */
export const ObjectorIdentitySchema = z.object({
  kind: z.enum(['unit', 'person']),
  /** person: 居民身份证号码 (GB 11643). */
  idNumber: z.string().optional(),
  /** person: the typed signature (签名), when no signed letter is uploaded. */
  signature: z.string().optional(),
  /** unit: 统一社会信用代码 (GB 32100). */
  creditCode: z.string().optional(),
  /** unit: 联系人. */
  contactPerson: z.string().optional(),
});
export type ObjectorIdentity = z.output<typeof ObjectorIdentitySchema>;

export interface ObjectorFields {
  kind: ObjectorKind;
  name: string;
  idNumber?: string | undefined;
  signature?: string | undefined;
  creditCode?: string | undefined;
  contactPerson?: string | undefined;
  hasLetter: boolean;
  evidenceFiles: number;
  noEvidence: boolean;
}

/** Names that identify nobody. */
const ANONYMOUS = /^(匿名|无名氏?|佚名|不具名|某某|某人|某单位|群众|知情人|一群众|热心群众|anonymous|anon|n\/?a|none|x+|-+|\?+)$/i;

export const ANONYMOUS_REFUSAL = {
  en: 'Anonymous objections are not accepted. A person signs with their real name and gives their resident identity card number; a unit gives its name, unified social credit code and contact person, with its sealed letter.',
  zh: '匿名异议不予受理。个人须签署真实姓名并提供居民身份证号码；单位须写明单位名称、统一社会信用代码和联系人，并提交加盖公章的异议书。',
};

/**
 * Checks the objector's identity and the evidence rule; returns the identity to encrypt. Throws a 400
 * problem naming the field, with the anonymous-objection refusal when no identity is given at all.
 */
export function checkObjector(f: ObjectorFields, today: string): ObjectorIdentity {
  const id = f.kind === 'person' ? f.idNumber : f.creditCode;
  if (ANONYMOUS.test(f.name.trim()) || !id?.trim()) {
    throw problem('invalid-request', ANONYMOUS_REFUSAL.en, ANONYMOUS_REFUSAL.zh, { errors: [{ path: f.kind === 'person' ? 'idNumber' : 'creditCode', message: 'anonymous objection' }] });
  }
  let identity: ObjectorIdentity;
  if (f.kind === 'person') {
    const problem = checkIdNumber(id, today);
    if (problem) {
      const t = CODE_PROBLEM_TEXT[problem];
      throw invalidField('idNumber', `idNumber: the resident identity card number ${t.en}.`, `居民身份证号码${t.zh}。`);
    }
    if (f.creditCode || f.contactPerson) throw invalidField('kind', 'creditCode and contactPerson are for a unit’s objection.', '统一社会信用代码和联系人仅用于单位提出的异议。');
    const signature = f.signature?.trim();
    if (!f.hasLetter) {
      if (!signature) throw invalidField('signature', 'signature: sign with your real name (or upload your signed letter).', '请签署本人真实姓名（或上传本人签名的异议书）。');
      if (signature !== f.name.trim()) throw invalidField('signature', 'signature: the signature must be the name given above.', '签名须与所填姓名一致。');
    }
    identity = { kind: 'person', idNumber: normalizeCode(id), ...(signature ? { signature } : {}) };
  } else {
    const problem = checkCreditCode(id);
    if (problem) {
      const t = CODE_PROBLEM_TEXT[problem];
      throw invalidField('creditCode', `creditCode: the unified social credit code ${t.en}.`, `统一社会信用代码${t.zh}。`);
    }
    const contactPerson = f.contactPerson?.trim();
    if (!contactPerson) throw invalidField('contactPerson', 'contactPerson: a unit names its contact person.', '单位须写明联系人。');
    if (f.idNumber || f.signature) throw invalidField('kind', 'idNumber and signature are for a person’s objection; a unit seals its letter.', '居民身份证号码和签名仅用于个人提出的异议；单位须提交加盖公章的异议书。');
    if (!f.hasLetter) throw invalidField('letter', 'letter: a unit uploads the scan of its objection letter bearing its official seal (公章).', '单位须上传加盖公章的异议书扫描件。');
    identity = { kind: 'unit', creditCode: normalizeCode(id), contactPerson };
  }
  if (f.evidenceFiles === 0 && !f.noEvidence) {
    throw invalidField('files', 'files: attach at least one evidence file (佐证材料), or state explicitly that none is provided (noEvidence); the result notice will then say so.', '请至少上传一份佐证材料；如确无佐证材料，须明确勾选“未提供佐证材料”，核查结果公示将予注明。');
  }
  if (f.evidenceFiles > 0 && f.noEvidence) throw invalidField('noEvidence', 'noEvidence: evidence files are attached; do not also state that none is provided.', '已上传佐证材料，不能同时勾选“未提供佐证材料”。');
  return identity;
}

/** The wording every notice and result prints for an objection without evidence. */
export const NO_EVIDENCE_ZH = '未提供佐证材料';
