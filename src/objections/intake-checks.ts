// The submission's checks before anything is stored (steps 3b–3c of intake.ts): the objector's
// identity and the evidence rule, then each file's size and type judged by its content.
import type { Deps } from '../deps.js';
import { limitText, sizeText } from '../http/sizes.js';
import { Problem, problem } from '../errors.js';
import { beijingDate } from '../calendar/dates.js';
import { zipRefusal } from './zip-limits.js';
import { checkObjector, type ObjectorIdentity } from './objector.js';
import { sha256Hex } from './digest.js';
import { EVIDENCE_TYPES, sanitizeFileName, sniffEvidenceType, type EvidenceType } from './evidence.js';
import type { IntakeFields } from './intake-form.js';

export interface CheckedFile {
  position: number;
  sha256: string;
  size: number;
  type: EvidenceType;
  mediaType: string;
  fileName: string;
  data: Uint8Array;
}

/** Step 3b: sizes, total, and type by content (the letter, if any, is the last file). */
export async function checkEvidence(deps: Deps, files: File[]): Promise<CheckedFile[]> {
  const perFile = deps.config.EVIDENCE_FILE_LIMIT_BYTES;
  const total = deps.config.EVIDENCE_TOTAL_LIMIT_BYTES;
  let sum = 0;
  files.forEach((f, i) => {
    if (f.size === 0) throw problem('invalid-request', `Evidence file ${i + 1} is empty.`, `第 ${i + 1} 个佐证材料文件为空。`, { file: i + 1 });
    if (f.size > perFile) {
      const [size, limit] = [sizeText(f.size), limitText(perFile)];
      throw problem('payload-too-large', `Evidence file ${i + 1} is ${size.en}; each file may be at most ${limit.en}.`, `第 ${i + 1} 个佐证材料文件为 ${size.zh}，单个文件不得超过 ${limit.zh}。`, { limit: perFile, file: i + 1 });
    }
    sum += f.size;
  });
  if (sum > total) {
    const [size, limit] = [sizeText(sum), limitText(total)];
    throw problem('payload-too-large', `The evidence files total ${size.en}; at most ${limit.en} are accepted.`, `佐证材料合计 ${size.zh}，超过 ${limit.zh} 的上限。`, { limit: total });
  }
  const out: CheckedFile[] = [];
  for (const [i, f] of files.entries()) {
    const data = new Uint8Array(await f.arrayBuffer());
    const type = sniffEvidenceType(data);
    if (!type) {
      throw new Problem('unsupported-media-type', {
        en: `Evidence file ${i + 1} is not a PDF, JPEG, PNG, OFD or DOCX file (judged by its content, not its name).`,
        zh: `第 ${i + 1} 个佐证材料文件不是 PDF、JPEG、PNG、OFD 或 DOCX 文件（按文件内容判断，而非文件名）。`,
      }, { extensions: { file: i + 1, accepted: Object.values(EVIDENCE_TYPES).map((t) => t.mediaType) } });
    }
    if (type === 'docx' || type === 'ofd') {
      const refusal = zipRefusal(data);
      if (refusal) {
        throw new Problem(
          'unprocessable',
          { en: `Evidence file ${i + 1} is refused: ${refusal.en}.`, zh: `第 ${i + 1} 个佐证材料文件不予接收：${refusal.zh}。` },
          { extensions: { file: i + 1, reason: refusal.reason } },
        );
      }
    }
    out.push({
      position: i + 1,
      sha256: sha256Hex(data),
      size: data.byteLength,
      type,
      mediaType: EVIDENCE_TYPES[type].mediaType,
      fileName: sanitizeFileName(f.name ?? '', type, `evidence-${i + 1}`),
      data,
    });
  }
  return out;
}

export interface CheckedSubmission {
  files: CheckedFile[];
  /** The signed (个人) or sealed (单位) letter, stored as file position 0. */
  letter: CheckedFile | null;
  identity: ObjectorIdentity;
  noEvidence: boolean;
}

/**
 * Step 3c: the objector's identity and the evidence rule (objector.ts) are checked before any file is
 * read, so an anonymous objection or one without evidence is refused with nothing stored.
 */
export async function checkSubmission(deps: Deps, fields: IntakeFields, now: Date): Promise<CheckedSubmission> {
  const identity = checkObjector(
    {
      kind: fields.kind,
      name: fields.name,
      idNumber: fields.idNumber,
      signature: fields.signature,
      creditCode: fields.creditCode,
      contactPerson: fields.contactPerson,
      hasLetter: fields.letter !== undefined && fields.letter.size > 0,
      evidenceFiles: fields.files.length,
      noEvidence: fields.noEvidence === 'true',
    },
    beijingDate(now),
  );
  const all = await checkEvidence(deps, fields.letter ? [...fields.files, fields.letter] : fields.files);
  const last = fields.letter ? all.pop()! : null;
  const letter = last ? { ...last, position: 0, fileName: sanitizeFileName(fields.letter!.name ?? '', last.type, fields.kind === 'unit' ? 'sealed-letter' : 'signed-letter') } : null;
  return { files: all, letter, identity, noEvidence: fields.noEvidence === 'true' };
}
