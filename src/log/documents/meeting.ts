/**
 * Documents of the 全体会议: opening (with the roster), check-ins, the 表决办法 and the meeting's decision
 * on it, the minutes, and the close.
 * @module
 */
import * as z from 'zod';
import { RulesSchema } from '../../votes/rules.js';
import { AwardSchema, BallotKindSchema, ChoiceSchema, MemberRefSchema, SupervisorRefSchema, count, hex, index } from './shared.js';

/** 全体会议 opened: the meeting and the judging group's roster at that moment (quorum counts against it). */
export const MeetingOpenDocument = z.strictObject({
  meetingId: z.string(),
  cycleId: z.string(),
  title: z.string(),
  roster: z.array(MemberRefSchema),
  membersTotal: count,
});

/** The meeting closed: no check-in, ballot or hand after this entry belongs to it. */
export const MeetingCloseDocument = z.strictObject({ meetingId: z.string() });

/** 签到: a member present at the meeting, signed by the member's tablet (Ed25519 device key). */
export const CheckinDocument = z.strictObject({
  meetingId: z.string(),
  memberId: z.string(),
  name: z.string(),
  unit: z.string(),
  deviceKey: hex(32),
  signature: hex(64),
});

/** 表决办法 put to the meeting: quorum and pass rule (the meeting's, and each prepared ballot's), 计票人 and 监票人. */
export const MeetingProcedureDocument = z.strictObject({
  procedureId: z.string(),
  meetingId: z.string(),
  cycleId: z.string(),
  rules: RulesSchema,
  ballots: z.array(z.strictObject({ ballotId: z.string(), title: z.string(), rules: RulesSchema })),
  counters: z.array(MemberRefSchema),
  scrutineers: z.array(MemberRefSchema),
  /** 监票人 from the supervisory group's attendees (each with a device registered for the cycle). */
  supervisorScrutineers: z.array(SupervisorRefSchema).optional(),
});

const ProcedureCounts = { for: count, against: count, abstain: count, membersTotal: count, present: count };
const procedureDecided = { procedureId: z.string(), meetingId: z.string(), procedureLogIndex: index, procedureHash: hex(32), adopted: z.boolean() };

/**
 * The meeting's decision on a 表决办法: by the members' signed hands, by the chair's signed record that a
 * supervisor confirmed, or withdrawn (replaced by a new proposal). Adopted with 同意 from more than half present.
 */
export const MeetingProcedureDecidedDocument = z.discriminatedUnion('mode', [
  z.strictObject({
    ...procedureDecided,
    ...ProcedureCounts,
    mode: z.literal('hands'),
    votes: z.array(z.strictObject({ memberId: z.string(), name: z.string(), choice: ChoiceSchema, signature: hex(64), deviceKey: hex(32), checkinLogIndex: index })),
  }),
  z.strictObject({
    ...procedureDecided,
    ...ProcedureCounts,
    mode: z.literal('chair-record'),
    chair: z.strictObject({ memberId: z.string(), name: z.string(), deviceKey: hex(32), for: count, against: count, abstain: count, signature: hex(64), checkinLogIndex: index }),
    confirmedBy: z.strictObject({ accountId: count, name: z.string() }),
  }),
  z.strictObject({ ...procedureDecided, mode: z.literal('withdrawn'), adopted: z.literal(false) }),
]);

/** 会议纪要, logged when the meeting closes: attendance, the 表决办法 and its adoption, each vote and its result. */
export const MeetingMinutesDocument = z.strictObject({
  meetingId: z.string(),
  cycleId: z.string(),
  title: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  openLogIndex: index.nullable(),
  closeLogIndex: index,
  membersTotal: count,
  checkedIn: count,
  attendees: z.array(z.strictObject({ name: z.string(), unit: z.string(), checkedInAt: z.string().nullable() })),
  absent: z.array(z.strictObject({ name: z.string(), unit: z.string() })),
  chair: z.strictObject({ id: z.string(), name: z.string(), unit: z.string() }).nullable(),
  procedure: z
    .strictObject({
      status: z.enum(['proposed', 'adopted', 'rejected']),
      rules: RulesSchema,
      rulesText: z.string(),
      counters: z.array(z.string()),
      scrutineers: z.array(z.string()),
      logIndex: index,
      documentHash: hex(32),
      adoption: z
        .strictObject({
          mode: z.string().nullable(),
          for: count.nullable(),
          against: count.nullable(),
          abstain: count.nullable(),
          present: count.nullable(),
          adopted: z.boolean(),
          confirmedBy: z.string().nullable(),
          logIndex: index,
        })
        .nullable(),
    })
    .nullable(),
  votes: z.array(
    z.strictObject({
      ballotId: z.string(),
      title: z.string(),
      award: AwardSchema,
      kind: BallotKindSchema,
      seats: count,
      phase: z.string(),
      present: count.nullable(),
      winners: z.array(z.string()),
      runoff: z.array(z.string()).nullable(),
      recusals: z.array(z.strictObject({ name: z.string(), candidateName: z.string() })),
      /** Supervisors named 监票人 carry their group's name after theirs; `confirmedAt` from when it was recorded. */
      confirmations: z.array(z.strictObject({ name: z.string(), role: z.enum(['counter', 'scrutineer']), confirmedAt: z.string().optional() })),
      resultLogIndex: index.nullable(),
    }),
  ),
});
