// Reading an objection's multipart form (step 3a of intake.ts): every text field once, normalised and
// limited, the evidence files and the letter as Files; for one registered by staff, how and when it
// arrived. Nothing is written here.
import * as z from 'zod';
import { Problem, problem, zodIssues } from '../errors.js';
import { SafeText } from '../http/safe-text.js';
import { isIsoDate } from '../calendar/dates.js';
import { normalizeText } from './digest.js';
import { MAX_EVIDENCE_FILES } from './evidence.js';

/** Room for the text fields, part headers and boundaries on top of the evidence files' total. */
export const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export const TEXT_LIMITS = { name: 200, contact: 500, organisation: 200, facts: 20_000, reasons: 20_000, code: 40 } as const;

const text = (max: number) =>
  SafeText.transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `at most ${max} characters`)
        .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'no control characters'),
    );

const line = (max: number) => text(max).refine((s) => !s.includes('\n'), 'one line only');

export const IntakeFieldsSchema = z
  .object({
    kind: z.enum(['unit', 'person']),
    name: line(TEXT_LIMITS.name),
    contact: text(TEXT_LIMITS.contact),
    organisation: line(TEXT_LIMITS.organisation),
    facts: text(TEXT_LIMITS.facts),
    reasons: text(TEXT_LIMITS.reasons),
    declaration: z.literal('true', { message: 'must be "true": the objector declares the materials truthful (如实提供)' }),
    files: z.array(z.instanceof(File, { message: 'must be a file' })).max(MAX_EVIDENCE_FILES, `at most ${MAX_EVIDENCE_FILES} files`),
    // The objector's identity (objector.ts): a person's 居民身份证号码 and signature, a unit's
    // 统一社会信用代码 and contact person; the signed or sealed letter; or "未提供佐证材料".
    idNumber: line(TEXT_LIMITS.code).optional(),
    signature: line(TEXT_LIMITS.name).optional(),
    creditCode: line(TEXT_LIMITS.code).optional(),
    contactPerson: line(TEXT_LIMITS.name).optional(),
    noEvidence: z.literal('true', { message: 'must be "true" when given: no evidence is provided (未提供佐证材料)' }).optional(),
    letter: z.instanceof(File, { message: 'must be a file' }).optional(),
  })
  .strict();

export type IntakeFields = z.output<typeof IntakeFieldsSchema>;

const IsoDateField = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

/** Staff registering a paper objection add how and when it arrived. */
export const RegistrationFieldsSchema = z
  .object({
    channel: z.enum(['in-person', 'post', 'fax']),
    receivedDate: IsoDateField,
    postmarkDate: IsoDateField.optional(),
  })
  .strict()
  .refine((r) => (r.channel === 'post') === (r.postmarkDate !== undefined), { message: 'postmarkDate is given for post, and only for post', path: ['postmarkDate'] })
  .refine((r) => !r.postmarkDate || r.postmarkDate <= r.receivedDate, { message: 'the postmark cannot be later than the receipt', path: ['postmarkDate'] });

/** What staff read in the console when a registration is refused (the English is the API's). */
const REGISTRATION_ZH: Record<string, string> = {
  'postmarkDate is given for post, and only for post': '邮寄的须填写邮戳日期，其他方式不填',
  'the postmark cannot be later than the receipt': '邮戳日期不能晚于收到日期',
  'must be a date YYYY-MM-DD': '须为日期（年-月-日）',
};
const REGISTRATION_FIELD_ZH: Record<string, string> = { channel: '收到方式', receivedDate: '收到日期', postmarkDate: '邮戳日期' };
const registrationIssueZh = (i: { path: PropertyKey[]; message: string }) => {
  const field = REGISTRATION_FIELD_ZH[String(i.path[0])] ?? i.path.join('.');
  const zh = REGISTRATION_ZH[i.message];
  return !zh ? `${field}：${i.message}` : zh.startsWith('须') ? field + zh : zh;
};
export type RegistrationFields = z.output<typeof RegistrationFieldsSchema>;

const OPTIONAL_FIELDS = new Set(['idNumber', 'signature', 'creditCode', 'contactPerson', 'noEvidence', 'letter', 'postmarkDate']);

/** Step 3a: multipart form → validated fields (zod), each text field exactly once, `files` repeated. */
export async function parseIntakeForm(contentType: string | undefined, body: Uint8Array): Promise<IntakeFields>;
export async function parseIntakeForm(contentType: string | undefined, body: Uint8Array, registered: true): Promise<IntakeFields & { registration: RegistrationFields }>;
export async function parseIntakeForm(contentType: string | undefined, body: Uint8Array, registered = false): Promise<IntakeFields & { registration?: RegistrationFields }> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new Problem('unsupported-media-type', {
      en: 'Send the objection as multipart/form-data.',
      zh: '异议须以 multipart/form-data 格式提交。',
    });
  }
  let form: FormData;
  try {
    form = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': contentType }, body: body as BodyInit }).formData();
  } catch {
    throw problem('invalid-request', 'The multipart body cannot be parsed.', '无法解析 multipart 请求体。');
  }
  const raw: Record<string, unknown> = { files: [] };
  const seen = new Set<string>();
  // FormData values are strings or Files at runtime whatever the runtime's type declarations say.
  for (const [key, value] of form.entries() as IterableIterator<[string, unknown]>) {
    if (key === 'files' || key === 'files[]') {
      (raw.files as unknown[]).push(value);
      continue;
    }
    // An optional field left empty (or no file chosen) is the same as one not sent.
    if (OPTIONAL_FIELDS.has(key) && (value === '' || (value instanceof File && value.size === 0 && !value.name))) continue;
    if (seen.has(key)) throw problem('invalid-request', `Field "${key.slice(0, 40)}" is given more than once.`, `字段“${key.slice(0, 40)}”重复提交。`, { errors: [{ path: key.slice(0, 40), message: 'duplicate field' }] });
    seen.add(key);
    raw[key] = value;
  }
  let registration: RegistrationFields | undefined;
  if (registered) {
    const reg = RegistrationFieldsSchema.safeParse({ channel: raw.channel, receivedDate: raw.receivedDate, postmarkDate: raw.postmarkDate });
    if (!reg.success) {
      throw problem(
        'invalid-request',
        'The registration is invalid: ' + reg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        '登记信息无效：' + reg.error.issues.map(registrationIssueZh).join('；') + '。',
        { errors: zodIssues(reg.error.issues) },
      );
    }
    registration = reg.data;
    delete raw.channel;
    delete raw.receivedDate;
    delete raw.postmarkDate;
  }
  const r = IntakeFieldsSchema.safeParse(raw);
  if (r.success && registration) return { ...r.data, registration };
  if (!r.success) {
    throw problem(
      'invalid-request',
      'The objection is invalid: ' + r.error.issues.map((i) => `${i.path.join('.') || '(form)'}: ${i.message}`).join('; '),
      '异议内容无效:' + r.error.issues.map((i) => `${i.path.join('.') || '(表单)'}: ${i.message}`).join(';'),
      { errors: zodIssues(r.error.issues) },
    );
  }
  return r.data;
}
