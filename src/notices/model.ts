// Notice types, their windows, and the published document's shape.
import type { WorkdayMode } from '../calendar/workdays.js';

export const NOTICE_TYPES = ['material-review', 'onsite-review', 'initial-winners', 'objection-result', 'revocation', 'commendation'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export const NOTICE_TYPE_NAMES: Record<NoticeType, { zh: string; en: string }> = {
  'material-review': { zh: '拟进入材料评审名单', en: 'Organisations proposed for material review' },
  'onsite-review': { zh: '拟进入现场评审名单', en: 'Organisations proposed for on-site review' },
  'initial-winners': { zh: '初选授奖组织名单', en: 'Initially selected award winners' },
  'objection-result': { zh: '异议核查结果', en: 'Result of objection verification' },
  revocation: { zh: '撤销公告', en: 'Announcement of revocation' },
  commendation: { zh: '表彰通报', en: 'Announcement of the award winners' },
};

/**
 * The three lists of 三(三)7 are each 公示 for 7 working days, during which anyone may object. The
 * regulation gives objection results (三(三)7 "对核查结果进行公示") and revocations (六(三), 六(五)
 * "予以公告") no period and no objection procedure: they are published without a window and take no
 * objections (a disagreement with them is a matter for the supervisory group or administrative review,
 * outside this module).
 */
export const WINDOW_TYPES: readonly NoticeType[] = ['material-review', 'onsite-review', 'initial-winners'];
export const NOTICE_WINDOW_WORKING_DAYS = 7;

export const hasWindow = (type: NoticeType) => WINDOW_TYPES.includes(type);

export type { Award as AwardKind } from '../votes/awards.js';
import type { Award as AwardKind } from '../votes/awards.js';

export interface Organisation {
  name: string;
  /** 统一社会信用代码, when given. */
  code?: string;
  award?: AwardKind;
}

export interface Revocation {
  basis: '六(三)' | '六(五)';
  award: AwardKind;
  /** The city government's approval (批准文件), as free text (older notices). */
  approval?: string;
  /** The city government's approval: its 文号 and date (YYYY-MM-DD), required for a new revocation. */
  approvalNumber?: string;
  approvalDate?: string;
  /** 六(五): the date of the accident or violation, within two years of the award. */
  eventDate?: string;
  /** The city government's decision that awarded it (its 文号, log index and date), filled at publication. */
  awardedBy?: { id: string; logIndex: number; date: string };
}

export interface NoticeWindow {
  /** First day of the window (day 1 of 7): the publication day or a later working day. */
  start: string;
  /** Last day of the window (the 7th working day). */
  end: string;
  mode: WorkdayMode;
  /** 24:00 Beijing time of `end`, as its last millisecond: YYYY-MM-DDT23:59:59.999+08:00. */
  closesAt: string;
  workingDays: number;
  calendarVersion: string;
  /** Log indexes of the calendar entries the window was counted with. */
  calendarEntries?: number[];
  /** The first day staff chose, when later than the earliest allowed. */
  chosenFirstDay?: string;
}

export interface Commendation {
  decision: { logIndex: number; documentNumber: string; date: string };
}

export interface BallotRef {
  ballotId: string;
  award: AwardKind;
  kind: 'secret' | 'show-of-hands';
  winners: { candidateId: string; name: string }[];
  resultLogIndex: number;
  bulletinLogIndex: number | null;
}

export interface ObjectionResultRef {
  trackingNo: string;
  receiptLogIndex: number;
  receivedDate: string;
  dueDate: string;
  organisation: string;
  decision: 'upheld' | 'partly-upheld' | 'rejected';
  summary: string;
  /** The objector stated that no evidence was provided: printed as 未提供佐证材料. */
  noEvidence?: boolean;
  /** The objection-decision entry in force, which this result restates. */
  decisionLogIndex?: number;
}

/** The published document (`hzqa-notice/v1`): its canonical JSON is what the public log hashes. */
export interface NoticeDocument {
  v: 'hzqa-notice/v1';
  id: string;
  cycleId: string;
  type: NoticeType;
  typeName: string;
  title: string;
  body: string;
  organisations: Organisation[];
  corrects: { id: string; logIndex: number; documentHash: string } | null;
  window: NoticeWindow | null;
  ballots?: BallotRef[];
  objections?: ObjectionResultRef[];
  revocation?: Revocation;
  drawnFrom?: { id: string; logIndex: number; documentHash: string };
  /** 表彰通报: the city government's decision it announces (四(二)). */
  commendation?: Commendation;
  sequenceOverride?: { reason: string };
  /** A correction of a list of initial winners: winners taken off by upheld objections (their logged decisions). */
  removed?: { name: string; award?: AwardKind; decisionLogIndex: number }[];
  publishedAt: string;
  issuer: string;
  /** Windowed lists: where and how objections are received (printed with the 异议须知). */
  intake?: IntakeDetails;
  /** The 落款: issuer and date in 年月日 form. */
  signOff?: { issuer: string; date: string };
}

export interface IntakeDetails {
  unit: string;
  contactPerson: string;
  phone: string;
  address: string;
  postcode: string;
  email?: string;
  fax?: string;
}

export const ISSUER = '杭州市市场监督管理局';

