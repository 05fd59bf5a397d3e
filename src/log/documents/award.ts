/**
 * After the 公示: the judging group's 审定 of the 拟授奖组织名单 (三(三)8), the bureau's submission to the
 * city government and the government's decision (三(三)8, 四(二)). The 表彰通报 that follows is a notice
 * (notices.ts, type commendation) naming the decision.
 * @module
 */
import * as z from 'zod';
import { RulesSchema } from '../../votes/rules.js';
import { AwardSchema, ChoiceSchema, count, hex, index, isoDate } from './shared.js';

/** An organisation of the 拟授奖组织名单: its name, 统一社会信用代码 (from the register, when the cycle keeps one) and award. */
export const AwardedOrganisationSchema = z.strictObject({ name: z.string(), code: z.string().optional(), award: AwardSchema });

/** A document file kept by the bureau and served by its hash: SHA-256 of the bytes, size, type and name. */
export const StoredFileSchema = z.strictObject({ sha256: hex(32), size: count, mediaType: z.string(), name: z.string() });

/**
 * A 文号 as Chinese official documents print it: issuer's abbreviation, the year in 〔〕, the number, 号
 * (杭政办函〔2024〕10号, 杭市监〔2026〕12号).
 */
export const DocumentNumberSchema = z.string().regex(/^[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号$/, '文号 such as 杭政办函〔2024〕10号');

/**
 * 审定 put to the meeting: the 拟授奖组织名单 the judging group is asked to fix, and what it rests on — the
 * cycle's current 初选授奖组织名单, the entries removed from the derived winners by correction notices,
 * every 公示 of the cycle (each window closed before this entry), every objection of the cycle with its
 * published result, and the meeting's adopted 表决办法 whose rules decide it.
 */
export const AwardFixingProposedDocument = z.strictObject({
  fixingId: z.string(),
  cycleId: z.string(),
  meetingId: z.string(),
  organisations: z.array(AwardedOrganisationSchema),
  initialWinners: z.strictObject({ id: z.string(), logIndex: index, documentHash: hex(32) }),
  removed: z.array(z.strictObject({ name: z.string(), award: AwardSchema, by: z.strictObject({ id: z.string(), logIndex: index }) })),
  lists: z.array(z.strictObject({ id: z.string(), logIndex: index, closesAt: z.string() })),
  objections: z.array(z.strictObject({ trackingNo: z.string(), receiptLogIndex: index, resultLogIndex: index })),
  rules: RulesSchema,
  procedureLogIndex: index,
  proposedAt: z.string(),
});

const fixingDecided = { fixingId: z.string(), cycleId: z.string(), meetingId: z.string(), proposalLogIndex: index, proposalHash: hex(32), adopted: z.boolean() };
const fixingCounts = { for: count, against: count, abstain: count, membersTotal: count, present: count };

/**
 * The meeting's decision on the 审定: by the members' signed hands, or by the chair's signed record that a
 * supervisor confirmed, under the adopted 表决办法's quorum and pass rule; or withdrawn by staff (a new
 * proposal follows). Adopted, it fixes the 拟授奖组织名单.
 */
export const AwardFixingDecidedDocument = z.discriminatedUnion('mode', [
  z.strictObject({
    ...fixingDecided,
    ...fixingCounts,
    mode: z.literal('hands'),
    votes: z.array(z.strictObject({ memberId: z.string(), name: z.string(), choice: ChoiceSchema, signature: hex(64), deviceKey: hex(32), checkinLogIndex: index })),
  }),
  z.strictObject({
    ...fixingDecided,
    ...fixingCounts,
    mode: z.literal('chair-record'),
    chair: z.strictObject({ memberId: z.string(), name: z.string(), deviceKey: hex(32), for: count, against: count, abstain: count, signature: hex(64), checkinLogIndex: index }),
    /** The supervisor who confirmed the record, with the device key registered in the log (its entry) and its signature over it. */
    confirmedBy: z.strictObject({ accountId: count, name: z.string(), deviceKey: hex(32).optional(), deviceLogIndex: index.optional(), signature: hex(64).optional() }),
  }),
  z.strictObject({ ...fixingDecided, mode: z.literal('withdrawn'), adopted: z.literal(false) }),
]);

/** 提请市政府审议批准 (三(三)8): the bureau's dated submission with its 文号 and file, of the fixed list. */
export const AwardSubmissionDocument = z.strictObject({
  cycleId: z.string(),
  /** The adopted 审定: its proposal (the fixed list) and the meeting's decision. */
  fixing: z.strictObject({ proposalLogIndex: index, decidedLogIndex: index }),
  organisations: z.array(AwardedOrganisationSchema),
  date: isoDate,
  documentNumber: DocumentNumberSchema,
  title: z.string().min(1),
  file: StoredFileSchema,
  recordedAt: z.string(),
});

/** The city government's decision on the submission (四(二)): date, 文号, the organisations awarded, its file. */
export const GovernmentDecisionDocument = z.strictObject({
  cycleId: z.string(),
  submission: z.strictObject({ logIndex: index, documentHash: hex(32) }),
  organisations: z.array(AwardedOrganisationSchema),
  date: isoDate,
  documentNumber: DocumentNumberSchema,
  title: z.string().min(1),
  file: StoredFileSchema,
  recordedAt: z.string(),
});
