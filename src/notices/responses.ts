// The JSON shapes of the notice routes (src/notices/routes.ts): a notice as staff and the public read it,
// the list, a draft's preview; the organisation and revocation shapes are shared with the request
// bodies. Pages import the types (`import type`), so they read what the server declares.
import { z } from '@hono/zod-openapi';
import { NOTICE_TYPES } from './model.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { AWARDS } from '../votes/awards.js';

/** A notice's id as the routes accept it. */
export const NOTICE_ID = /^n_[A-Za-z0-9_-]{12}$/;
export const NoticeId = z.string().regex(NOTICE_ID).openapi({ example: 'n_AbCdEfGhIjKl' });

export const NoticeType = z.enum(NOTICE_TYPES).openapi({
  description:
    'material-review 拟进入材料评审名单 · onsite-review 拟进入现场评审名单 · initial-winners 初选授奖组织名单 (the three lists of 三(三)7, 公示 7 working days, objections accepted) · objection-result 异议核查结果 · revocation 撤销公告 (六(三), 六(五); no window)',
});
const Award = z.enum(AWARDS);

export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'no control characters');

export const OrganisationSchema = z
  .object({
    name: line(200),
    code: z
      .string()
      .regex(/^[0-9A-Z]{18}$/, '统一社会信用代码: 18 digits or capital letters')
      .optional(),
    award: Award.optional(),
  })
  .strict()
  .openapi('NoticeOrganisation');

export const RevocationSchema = z
  .object({
    basis: z.enum(['六(三)', '六(五)']),
    award: Award,
    approval: line(300).optional(),
    approvalNumber: line(100).optional().openapi({ description: 'The city government’s approval: 文号, e.g. 杭政函〔2027〕5号 (required to publish)' }),
    approvalDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().openapi({ description: 'The approval’s date (required to publish)' }),
    eventDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().openapi({ description: '六(五): the date of the accident or violation (within two years of the award)' }),
  })
  .strict()
  .openapi('Revocation');

const WindowSchema = z
  .object({
    start: z.string().openapi({ example: '2026-03-02' }),
    end: z.string().openapi({ example: '2026-03-10' }),
    mode: z.enum(['after', 'including']),
    closesAt: z.string().openapi({ example: '2026-03-10T23:59:59.999+08:00' }),
    workingDays: z.number().int(),
    calendarVersion: z.string(),
  })
  .openapi('NoticeWindow');

export const NoticeSchema = z
  .object({
    id: NoticeId,
    cycleId: z.string(),
    type: NoticeType,
    typeName: z.object({ zh: z.string(), en: z.string() }),
    status: z.enum(['draft', 'published']),
    title: z.string(),
    body: z.string(),
    organisations: z.array(OrganisationSchema),
    corrects: z.string().nullable(),
    correctedBy: z.array(z.string()),
    window: WindowSchema.nullable(),
    open: z.boolean(),
    closed: z.boolean(),
    publishedAt: z.string().nullable(),
    logIndex: z.number().int().nullable(),
    documentHash: z.string().nullable(),
    document: NoticeDocumentSchema.nullable().openapi({ description: 'The published document; SHA-256 of its canonical JSON is documentHash' }),
    draft: z
      .object({ ballotIds: z.array(z.string()), objectionIds: z.array(z.string()), revocation: RevocationSchema.nullable() })
      .optional(),
  })
  .openapi('Notice');

export const NoticeListSchema = z.object({ notices: z.array(NoticeSchema) });

export const NoticePreviewSchema = z
  .object({
    organisations: z.array(z.object({ name: z.string(), code: z.string().optional(), award: z.string().optional() })),
    objections: z
      .array(z.object({ trackingNo: z.string(), organisation: z.string(), receivedDate: z.string(), dueDate: z.string(), decision: z.string(), summary: z.string(), noEvidence: z.boolean().optional() }))
      .nullable(),
  })
  .openapi('NoticePreview');

export type NoticeJson = z.infer<typeof NoticeSchema>;
export type NoticeListJson = z.infer<typeof NoticeListSchema>;
export type NoticePreviewJson = z.infer<typeof NoticePreviewSchema>;

/** Where and how objections are received for a cycle (受理单位, 联系人, 电话, 地址, 邮编, 邮箱, 传真). */
export const IntakeDetails = z
  .object({
    unit: z.string().trim().min(1).max(100).openapi({ example: '杭州市市场监督管理局质量发展处' }),
    contactPerson: z.string().trim().min(1).max(50),
    phone: z.string().trim().min(1).max(50),
    address: z.string().trim().min(1).max(200),
    postcode: z.string().regex(/^\d{6}$/, '6 digits'),
    email: z.string().trim().email().max(100).optional(),
    fax: z.string().trim().min(1).max(50).optional(),
  })
  .strict()
  .openapi('ObjectionIntakeDetails');
export type IntakeDetailsJson = z.infer<typeof IntakeDetails>;
