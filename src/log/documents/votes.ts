/**
 * Documents of a ballot, from its preparation to its result: prepared or withdrawn, the vote opening
 * (secret: the key; show of hands: voting), token issuance closing, the co-signer's served list, the
 * bulletin, the result, 回避 and the 计票人/监票人 confirmations.
 * @module
 */
import * as z from 'zod';
import { RulesSchema } from '../../votes/rules.js';
import { AwardSchema, BallotKindSchema, CandidateSchema, ChoicesSchema, MemberRefSchema, SupervisorRefSchema, TallySchema, count, hex, index } from './shared.js';

/** 回避 as the result restates it: who, from which candidate, and the recusal's entry. */
const ResultRecusalSchema = z.strictObject({ memberId: z.string(), name: z.string(), candidateId: z.string(), logIndex: index });

export const ResultSchema = z.strictObject({
  present: count,
  seats: count,
  rules: RulesSchema,
  /** With 回避: `recused` members and the reduced `present` the candidate's pass rule counted against. */
  candidates: z.array(z.strictObject({ candidateId: z.string(), for: count, against: count, abstain: count, passed: z.boolean(), recused: count.optional(), present: count.optional() })),
  winners: z.array(z.string()),
  vacancies: count,
  runoff: z.strictObject({ required: z.literal(true), candidates: z.array(z.string()), seats: count, forCount: count }).nullable(),
});

/** What every stage of a ballot restates from its preparation (checked equal by the verifier). */
const ballotSettings = {
  ballotId: z.string(),
  cycleId: z.string(),
  award: AwardSchema,
  seats: z.number().int().min(1),
  rules: RulesSchema,
  candidates: z.array(CandidateSchema),
};

/** 回避 of a member present from one candidate, with the recusal's own entry. */
const RecusalRefSchema = z.strictObject({ memberId: z.string(), candidateId: z.string(), logIndex: index });

/**
 * The vote opens: who is present (checked in at that moment), against the whole group; the adopted
 * 表决办法 it runs under; the 回避 of members present (only when there are any).
 */
const ballotOpening = {
  ...ballotSettings,
  membersTotal: count,
  present: count,
  eligible: z.array(MemberRefSchema),
  procedureLogIndex: index,
  recusals: z.array(RecusalRefSchema).optional(),
};

/** A secret ballot's recusal class: the key that signs the tokens of members recused from exactly `recused`. */
export const KeyClassSchema = z.strictObject({
  recused: z.array(z.string()).min(1),
  /** For a co-issued ballot, the sum of the class's two keys (no proof of its own, as for the ballot's key). */
  publicKey: hex(48),
  proofOfPossession: hex(96).nullable(),
  members: count,
  coIssuance: z.strictObject({ bureauPublicKey: hex(48), bureauProofOfPossession: hex(96), cosignerPublicKey: hex(48), cosignerProofOfPossession: hex(96) }).optional(),
});


/** A ballot prepared: award, decision method (三(三)6), seats (三(一)), rules and candidates, fixed before the vote. */
export const BallotPreparedDocument = z.strictObject({
  ballotId: z.string(),
  cycleId: z.string(),
  meetingId: z.string(),
  award: AwardSchema,
  kind: BallotKindSchema,
  title: z.string(),
  seats: z.number().int().min(1),
  rules: RulesSchema,
  candidates: z.array(CandidateSchema),
  runoffOf: z.string().nullable(),
});

/**
 * A prepared ballot withdrawn before its vote opened (no key, no hands): it holds no seats (三(一)) and
 * never opens. Names its ballot-prepared entry; the reason is printed as staff gave it.
 */
export const BallotWithdrawnDocument = z.strictObject({
  ballotId: z.string(),
  cycleId: z.string(),
  meetingId: z.string(),
  award: AwardSchema,
  seats: z.number().int().min(1),
  preparedLogIndex: index,
  reason: z.string().min(1),
  withdrawnAt: z.string(),
});

/** 无记名投票 opens: the members present and the ballot's BLS public key with its proof of possession, before any token. */
export const BallotKeyDocument = z.strictObject({
  ...ballotOpening,
  kind: z.literal('secret'),
  phase: z.literal('issuing'),
  ciphersuite: z.string(),
  /** The key tokens verify under: for a co-issued ballot, the sum of the two keys in coIssuance. */
  publicKey: hex(48),
  /** Null for a co-issued ballot (nobody holds the aggregate's secret key; each share's key has one). */
  proofOfPossession: hex(96).nullable(),
  /** The Ed25519 key (hex) that signs cast receipts (src/votes/receipts.ts). */
  receiptKey: hex(32).optional(),
  /** 2-of-2 issuance (crypto/cosign.ts): both keys with their proofs, and the co-signer's signed approval of the list. */
  coIssuance: z
    .strictObject({
      bureauPublicKey: hex(48),
      bureauProofOfPossession: hex(96),
      cosignerPublicKey: hex(48),
      cosignerProofOfPossession: hex(96),
      /** The co-signer's "hzqa-cosigner/v1 ballot-key" statement (C2SP signed note, src/cosigner/statements.ts). */
      cosignerApproval: z.string(),
    })
    .optional(),
  /** 回避: the key of each recusal class, co-issued like the ballot's own key when it is. */
  keyClasses: z.array(KeyClassSchema).optional(),
});

/** 举手表决 opens: the members present, who alone may raise hands. */
export const BallotVotingDocument = z.strictObject({
  ...ballotOpening,
  kind: z.literal('show-of-hands'),
  phase: z.literal('voting'),
});

/** Token issuance closes, casting opens: the members served a token, by name. */
export const BallotPhaseDocument = z.strictObject({
  ballotId: z.string(),
  phase: z.literal('casting'),
  issued: count,
  served: z.array(MemberRefSchema),
  /** A co-issued ballot: the index of the co-signer's own served list (cosigner-served). */
  cosignerServedLogIndex: index.optional(),
});

/** A co-issued ballot's issuance closed at the co-signer: its served list, signed by it ("hzqa-cosigner/v1 served"). */
export const CosignerServedDocument = z.strictObject({
  ballotId: z.string(),
  served: z.array(z.string()),
  statement: z.string(),
});

/** Casting closed: every secret ballot (token, unblinded signature, choices) in token order, and the tally. */
export const BallotBulletinDocument = z.strictObject({
  ...ballotSettings,
  ciphersuite: z.string(),
  publicKey: hex(48),
  proofOfPossession: hex(96).nullable(),
  keyClasses: z.array(KeyClassSchema).optional(),
  keyLogIndex: index,
  membersTotal: count,
  present: count,
  issued: count,
  served: z.array(MemberRefSchema),
  ballots: z.array(z.strictObject({ token: hex(32), message: z.string().regex(/^[0-9a-f]*$/), signature: hex(96), choices: ChoicesSchema, recused: z.array(z.string()).min(1).optional() })),
  tally: TallySchema,
});

/** The result of a ballot under its own rules (三(一), 三(三)6): from the bulletin, or from the named record's hash. */
export const BallotResultDocument = z.discriminatedUnion('kind', [
  z.strictObject({
    ...ballotSettings,
    kind: z.literal('secret'),
    present: count,
    issued: count,
    cast: count,
    tally: TallySchema,
    result: ResultSchema,
    bulletinLogIndex: index.nullable(),
    recusals: z.array(ResultRecusalSchema).optional(),
  }),
  z.strictObject({
    ...ballotSettings,
    kind: z.literal('show-of-hands'),
    present: count,
    votes: count,
    staffRecorded: count,
    tally: TallySchema,
    result: ResultSchema,
    recordHash: hex(32),
    recusals: z.array(ResultRecusalSchema).optional(),
  }),
]);

/** 回避: a member takes no part in the vote on one candidate, signed by the member's tablet or the chair's. */
export const RecusalDocument = z.strictObject({
  ballotId: z.string(),
  meetingId: z.string(),
  memberId: z.string(),
  name: z.string(),
  unit: z.string(),
  candidateId: z.string(),
  candidateName: z.string(),
  declaredBy: z.enum(['member', 'chair']),
  signerMemberId: z.string(),
  signerName: z.string(),
  deviceKey: hex(32),
  signature: hex(64),
  reason: z.string(),
});

/**
 * A 计票人/监票人 confirms a result: Ed25519 over the result entry's index and document hash — a member
 * by the tablet that checked in, a supervisor named 监票人 by the device registered to their account for
 * the cycle (its supervisor-device entry).
 */
export const TallyConfirmationDocument = z.union([
  z.strictObject({
    ballotId: z.string(),
    resultLogIndex: index,
    resultDocHash: hex(32),
    memberId: z.string(),
    name: z.string(),
    unit: z.string(),
    role: z.enum(['counter', 'scrutineer']),
    deviceKey: hex(32),
    checkinLogIndex: index,
    signature: hex(64),
  }),
  z.strictObject({
    ballotId: z.string(),
    resultLogIndex: index,
    resultDocHash: hex(32),
    supervisor: SupervisorRefSchema,
    role: z.literal('scrutineer'),
    deviceKey: hex(32),
    deviceLogIndex: index,
    signature: hex(64),
  }),
]);
