// The verifier against a corrupt bureau: each manipulation below is built as the bureau would do it —
// the log rewritten and re-signed with the bureau's own log key (relog), so that signatures, hashes
// and inclusion proofs all verify and only a content check can catch it — or, where the bureau
// controls something outside the log (the bundle's calendar table, its database, what its server
// serves), by changing exactly that. The suite states how many it tries and requires every one
// detected, by the check that names it; the honest cycle passes every check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { decide, tally } from '../../src/votes/rules.js';
import { countersignMessage } from '../../src/votes/messages.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../crypto/bytes.js';
import { parseBundle, verifyBundle, type CheckId, type ExportBundle, type LiveView, type LogState, type VerifyReport } from '../../src/verify/index.js';
import { canonical, sha256Text } from '../../src/verify/canonical.js';
import { OFFICIAL_YEARS, shortHash } from '../../src/calendar/table.js';
import { recusalMessage, supervisorTallyMessage, tallyMessage } from '../../src/votes/messages.js';
import { buildCycle, clone, entryAt, exportBundle, indexesOf, relog, type BuiltCycle, type Doc, type LogItem } from './support.js';

let c: BuiltCycle;
let full: ExportBundle;

const run = (b: ExportBundle, opts: { state?: LogState | null; witness?: boolean; live?: LiveView | null } = {}) =>
  verifyBundle(parseBundle(JSON.parse(JSON.stringify(b))), {
    logKey: c.logKey,
    witnessKeys: opts.witness ? [c.witness.verifierKey] : [],
    state: opts.state ?? null,
    now: c.now,
    live: opts.live ?? null,
  });
const failed = (r: VerifyReport) => [...new Set(r.checks.filter((x) => x.status === 'fail').map((x) => x.id))].sort();
const signer = () => c.h.deps.keys.logSignerKey;
const forge = (edit: (items: LogItem[], bundle: ExportBundle) => void) => relog(full, signer(), edit);
const at = (type: string, ballotId?: string) => indexesOf(full, type, ballotId);
const first = (type: string, ballotId?: string) => {
  const [index] = at(type, ballotId);
  if (index === undefined) throw new Error(`no ${type}`);
  return index;
};
const noticeOf = (items: LogItem[], type: string) => {
  const item = items.find((i) => i.type === 'notice' && i.doc.type === type);
  if (!item) throw new Error(`no ${type} notice`);
  return item;
};

interface Manipulation {
  /** The class of attack (the numbering of the verifier's blind spots). */
  kind: string;
  name: string;
  build: () => Promise<{ bundle: ExportBundle; options?: { state?: LogState | null; witness?: boolean; live?: LiveView | null } }>;
  /** The check that must fail (others may fail too). */
  caughtBy: CheckId;
}

const MANIPULATIONS: Manipulation[] = [
  {
    kind: 'history',
    name: 'a rewritten history re-signed with the log key, checked with the witness key alone (no --state)',
    build: async () => ({ bundle: await forge((items) => void (noticeOf(items, 'material-review').doc.title += '(改)')), options: { witness: true } }),
    caughtBy: 'witness-cosignatures',
  },
  {
    kind: 'history',
    name: 'a saved state and a bundle without the consistency proof',
    build: async () => {
      const state = run(full, { witness: true }).newState;
      const longer = await forge((items) => void items.push(clone(items[items.length - 1]!)));
      return { bundle: longer, options: { state } };
    },
    caughtBy: 'log-consistency',
  },
  {
    kind: 'completeness',
    name: 'an entry left out of the bundle (a check-in of the meeting)',
    build: async () => {
      const bundle = clone(full);
      const gone = first('checkin');
      bundle.entries = bundle.entries.filter((e) => e.index !== gone);
      return { bundle };
    },
    caughtBy: 'log-completeness',
  },
  {
    kind: 'completeness',
    name: 'an entry of the cycle given only as another cycle’s header',
    build: async () => {
      const bundle = clone(full);
      const hidden = first('meeting-close');
      const entry = bundle.entries.find((e) => e.index === hidden)!;
      bundle.entries = bundle.entries.filter((e) => e.index !== hidden);
      bundle.otherEntries = [...(bundle.otherEntries ?? []), { index: hidden, entry: entry.entry }];
      return { bundle };
    },
    caughtBy: 'log-completeness',
  },
  {
    kind: 'completeness',
    name: 'a log row deleted in the database (the export has a gap)',
    build: async () => {
      // The bureau is the database's superuser: it switches the append-only guard off first.
      const gone = first('objection-receipt');
      await sql`alter table log_entry disable trigger all`.execute(c.t.db);
      await c.t.db.deleteFrom('log_entry').where('idx', '=', gone).execute();
      try {
        return { bundle: await exportBundle(c, { token: c.supervisor }) };
      } finally {
        const bytes = Buffer.from(full.entries.find((e) => e.index === gone)!.entry, 'base64');
        const e = entryAt(full, gone);
        await c.t.db.insertInto('log_entry').values({ idx: gone, type: e.type, cycle_id: e.cycle, doc_hash: e.doc, bytes }).execute();
        await sql`alter table log_entry enable trigger all`.execute(c.t.db);
      }
    },
    caughtBy: 'log-completeness',
  },
  {
    kind: 'rules',
    name: '质量奖 decided by a show of hands (the innovation ballot re-labelled quality)',
    build: async () => ({
      bundle: await forge((items) => {
        for (const item of items) {
          if (item.doc.ballotId === c.innovationId) item.doc.award = 'quality';
          for (const b of item.doc.ballots ?? []) if (b.ballotId === c.innovationId) b.award = 'quality';
        }
        for (const o of noticeOf(items, 'initial-winners').doc.organisations) if (o.name === '丁科技') o.award = 'quality';
      }),
    }),
    caughtBy: 'ballot-method',
  },
  {
    kind: 'rules',
    name: 'a second result entry for a ballot, with other winners',
    build: async () => ({
      bundle: await forge((items) => {
        const result = clone(items[first('ballot-result', c.excellenceId)]!);
        result.doc.result = { ...result.doc.result, winners: [], vacancies: 2 };
        items.push(result);
      }),
    }),
    caughtBy: 'ballot-entries',
  },
  {
    kind: 'rules',
    name: 'the bulletin in arrival order rather than token order',
    build: async () => ({ bundle: await forge((items) => void items[first('ballot-bulletin')]!.doc.ballots.reverse()) }),
    caughtBy: 'bulletin-token-order',
  },
  {
    kind: 'rules',
    name: 'two corrections of the same notice (a forked correction chain)',
    build: async () => ({
      bundle: await forge((items) => {
        const target = first('notice');
        const original = items[target]!;
        const targetHash = sha256Text(canonical(original.doc)!);
        for (const title of ['更正一', '更正二']) {
          const doc = { ...clone(original.doc), id: `${original.doc.id}-${title}`, title, corrects: { id: original.doc.id, logIndex: target, documentHash: targetHash } };
          items.push({ type: 'notice', cycle: original.cycle, refs: { corrects: target }, doc });
        }
        // Both are published later than everything else, with windows from their own dates.
        for (const item of items.slice(-2)) item.doc.publishedAt = '2026-03-09T11:00:00.000+08:00';
        for (const item of items.slice(-2)) item.doc.window = { ...item.doc.window, start: '2026-03-09', end: '2026-03-17', closesAt: '2026-03-17T23:59:59.999+08:00' };
      }),
    }),
    caughtBy: 'notice-corrections',
  },
  {
    kind: 'rules',
    name: 'a checkpoint whose origin is not the pinned key’s name',
    build: async () => {
      const bundle = clone(full);
      bundle.log.origin = 'evil.example/another-log';
      return { bundle: await relog(bundle, signer(), () => undefined) };
    },
    caughtBy: 'checkpoint-origin',
  },
  {
    kind: 'rules',
    name: 'an objection result back-dated before an earlier-logged notice',
    build: async () => ({
      bundle: await forge((items) => void (noticeOf(items, 'objection-result').doc.publishedAt = '2026-03-01T10:00:00.000+08:00')),
    }),
    caughtBy: 'entry-times',
  },
  {
    kind: 'lists',
    name: 'a list of initial winners naming an organisation that won no ballot',
    build: async () => ({
      bundle: await forge((items) => void noticeOf(items, 'initial-winners').doc.organisations.push({ name: '壬关系户', award: 'quality' })),
    }),
    caughtBy: 'notice-results',
  },
  {
    kind: 'lists',
    name: 'a list of initial winners bound to no ballot at all',
    build: async () => ({
      bundle: await forge((items) => {
        const notice = noticeOf(items, 'initial-winners');
        notice.doc.ballots = [];
        for (const key of Object.keys(notice.refs)) if (/^(result|bulletin)\./.test(key)) delete notice.refs[key];
      }),
    }),
    caughtBy: 'notice-results',
  },
  {
    kind: 'calendar',
    name: 'a 公示 window shortened by a local override in the bureau’s database',
    build: async () => {
      const bundle = clone(full);
      bundle.calendar.overrides.push({ date: '2026-03-04', kind: 'off', reason: '临时调整' });
      return {
        bundle: await relog(bundle, signer(), (items) => {
          const notice = noticeOf(items, 'material-review');
          // Logged as if 2026-03-04 were a day off: 7 working days end a day later… the bureau shortens instead.
          notice.doc.window = { ...notice.doc.window, end: '2026-03-09', closesAt: '2026-03-09T23:59:59.999+08:00' };
        }),
      };
    },
    caughtBy: 'notice-windows',
  },
  {
    kind: 'calendar',
    name: 'a State Council table in the bundle that differs from the verifier’s (re-hashed to its version)',
    build: async () => {
      const bundle = clone(full);
      const table = clone(OFFICIAL_YEARS) as unknown as Doc[];
      const year = table.find((y) => y.year === 2026)!;
      year.notice = { ...year.notice, title: `${year.notice.title}(修改)` };
      bundle.calendar.table = table;
      bundle.calendar.tableVersion = `cn-${table.map((y) => y.year).join('.')}@${shortHash({ OFFICIAL_YEARS: table, PROVISIONAL_FESTIVALS: bundle.calendar.provisionalFestivals })}`;
      return { bundle };
    },
    caughtBy: 'calendar-table',
  },
  {
    kind: 'calendar',
    name: 'a logged State Council table for 2026 that differs from the verifier’s (a make-up working day dropped)',
    build: async () => ({
      bundle: await forge((items) => {
        const table = items.find((i) => i.type === 'calendar-table' && i.doc.year === 2026)!;
        const withWork = table.doc.arrangements.find((a: Doc) => a.work.length > 0);
        withWork.work = withWork.work.slice(1);
      }),
    }),
    caughtBy: 'calendar-log',
  },
  {
    kind: 'calendar',
    name: 'a local working day logged after the list whose window it shortens, and named by that window',
    build: async () => ({
      bundle: await forge((items) => {
        items.push({ type: 'calendar-override', cycle: null, refs: {}, doc: { v: 'hzqa-calendar-override/v1', action: 'add', date: '2026-03-07', kind: 'work', reason: '补班', decidedBy: 'staff' } });
        const notice = noticeOf(items, 'material-review');
        notice.doc.window = { ...notice.doc.window, end: '2026-03-09', closesAt: '2026-03-09T23:59:59.999+08:00', calendarEntries: [...notice.doc.window.calendarEntries, items.length - 1] };
      }),
    }),
    caughtBy: 'deadline-entries',
  },
  {
    kind: 'calendar',
    name: 'a logged local day off left out of a later window (the list of initial winners ends a day early, the override not named)',
    build: async () => ({
      bundle: await forge((items) => {
        const notice = noticeOf(items, 'initial-winners');
        const override = items.findIndex((i) => i.type === 'calendar-override');
        notice.doc.window = { ...notice.doc.window, end: '2026-03-17', closesAt: '2026-03-17T23:59:59.999+08:00', calendarEntries: notice.doc.window.calendarEntries.filter((i: number) => i !== override) };
        delete notice.refs[`calendar.${notice.doc.window.calendarEntries.length}`];
      }),
    }),
    caughtBy: 'deadline-entries',
  },
  {
    kind: 'calendar',
    name: 'a list whose window names no calendar entries',
    build: async () => ({
      bundle: await forge((items) => {
        const notice = noticeOf(items, 'material-review');
        delete notice.doc.window.calendarEntries;
        for (const key of Object.keys(notice.refs)) if (key.startsWith('calendar.')) delete notice.refs[key];
      }),
    }),
    caughtBy: 'deadline-entries',
  },
  {
    kind: 'calendar',
    name: 'a pending objection’s due date moved later by a correction no calendar entry explains',
    build: async () => ({
      bundle: await forge((items) => {
        const correction = clone(items.find((i) => i.type === 'deadline-correction')!);
        correction.doc.previous = clone(correction.doc.current);
        correction.doc.current = { ...correction.doc.current, dueDate: '2026-03-20', dueEndsAt: '2026-03-20T23:59:59.999+08:00' };
        items.push(correction);
      }),
    }),
    caughtBy: 'objection-deadlines',
  },
  {
    kind: 'calendar',
    name: 'the local day off back-dated: the correction it caused logged before it',
    build: async () => ({
      bundle: await forge((items) => {
        // The override re-logged at the end (a later index), the correction and the window still naming the old one.
        const at = items.findIndex((i) => i.type === 'calendar-override');
        const moved = clone(items[at]!);
        items[at] = { type: 'calendar-override', cycle: null, refs: {}, doc: { ...moved.doc, date: '2026-04-30', reason: '另一项调整' } };
        items.push(moved);
        const correction = items.find((i) => i.type === 'deadline-correction')!;
        correction.doc.cause = items.length - 1;
        correction.refs.calendar = items.length - 1;
      }),
    }),
    caughtBy: 'objection-deadlines',
  },
  {
    kind: 'hands',
    name: 'a named record withheld from the supervisors’ export',
    build: async () => {
      const bundle = clone(full);
      bundle.handsRecords[0]!.record = null;
      return { bundle };
    },
    caughtBy: 'hands-record',
  },
  {
    kind: 'hands',
    name: 'every hand of a ballot re-declared “recorded by staff”, with invented choices, and the result re-logged',
    build: async () => ({
      bundle: await forge((items, bundle) => {
        const item = bundle.handsRecords.find((x) => x.ballotId === c.excellenceId)!;
        const record = item.record as Doc;
        for (const vote of record.votes) Object.assign(vote, { recordedBy: 'staff', staffName: '工作人员', signature: null, choices: { c01: 'against', c02: 'for', c03: 'for' } });
        const ids = record.candidates.map((x: Doc) => x.id);
        record.tally = tally(ids, record.votes.map((v: Doc) => v.choices));
        item.recordHash = sha256Text(canonical(record)!);
        const result = items[first('ballot-result', c.excellenceId)]!.doc;
        Object.assign(result, { tally: record.tally, staffRecorded: record.votes.length, recordHash: item.recordHash });
        result.result = decide(ids, record.tally, result.seats, result.present, result.rules);
        const list = noticeOf(items, 'initial-winners').doc;
        const names = new Map(record.candidates.map((x: Doc) => [x.id, x.name]));
        const ref = list.ballots.find((b: Doc) => b.ballotId === c.excellenceId);
        ref.winners = result.result.winners.map((id: string) => ({ candidateId: id, name: names.get(id) }));
        list.organisations = list.organisations.filter((o: Doc) => o.award !== 'excellence').concat(ref.winners.map((w: Doc) => ({ name: w.name, award: 'excellence' })));
      }),
    }),
    caughtBy: 'hands-signatures',
  },
  ...(
    [
      ['its choices changed after the supervisor confirmed them', (vote: Doc) => void (vote.choices = { c01: 'against', c02: 'for' })],
      ['its supervisor confirmation stripped', (vote: Doc) => void (vote.countersignature = null)],
      [
        'confirmed by a device key the bureau made (never registered in the log)',
        (vote: Doc) => {
          const secret = ed25519.utils.randomSecretKey();
          vote.countersignature = { deviceKey: toHex(ed25519.getPublicKey(secret)), signature: toHex(ed25519.sign(countersignMessage(c.innovationId, vote.memberId, vote.choices, vote.staffName ?? ''), secret)) };
        },
      ],
    ] as const
  ).map(
    ([what, change]): Manipulation => ({
      kind: 'hands',
      name: `a staff-recorded hand with ${what}, the record and result re-logged`,
      build: async () => ({
        bundle: await forge((items, bundle) => {
          const item = bundle.handsRecords.find((x) => x.ballotId === c.innovationId)!;
          const record = item.record as Doc;
          const vote = record.votes.find((v: Doc) => v.recordedBy === 'staff');
          change(vote);
          const ids = record.candidates.map((x: Doc) => x.id);
          record.tally = tally(ids, record.votes.map((v: Doc) => v.choices));
          item.recordHash = sha256Text(canonical(record)!);
          const result = items[first('ballot-result', c.innovationId)]!.doc;
          Object.assign(result, { tally: record.tally, recordHash: item.recordHash });
          result.result = decide(ids, record.tally, result.seats, result.present, result.rules);
        }),
      }),
      caughtBy: 'hands-signatures',
    }),
  ),
  {
    kind: 'live',
    name: 'the server serving a notice text other than the logged one',
    build: async () => {
      const live = await liveOf();
      const notice = live.notices[0]!;
      notice.document = { ...(notice.document as Doc), body: '(已悄然修改)' };
      return { bundle: full, options: { live } };
    },
    caughtBy: 'live-agrees',
  },
  {
    kind: 'live',
    name: 'the server showing an answered objection as pending',
    build: async () => {
      const live = await liveOf();
      const answered = live.receipts.find((r) => r.resultNoticeId !== null)!;
      answered.resultNoticeId = null;
      return { bundle: full, options: { live } };
    },
    caughtBy: 'live-agrees',
  },
  {
    kind: 'schemas',
    name: 'an entry of a type the verifier does not know',
    build: async () => ({ bundle: await forge((items) => void items.push({ type: 'calendar-secret-adjustment', cycle: '2026', refs: {}, doc: { date: '2026-03-04' } })) }),
    caughtBy: 'document-schemas',
  },
  {
    kind: 'schemas',
    name: 'a check-in document with a field its schema does not have',
    build: async () => ({ bundle: await forge((items) => void (items[first('checkin')]!.doc.proxyFor = '成员5')) }),
    caughtBy: 'document-schemas',
  },
  {
    kind: 'meeting',
    name: 'a 计票人 confirmation of a result signed by a real tablet whose member the meeting never named a teller',
    build: async () => ({
      bundle: await forge((items) => {
        const r = items.findIndex((x) => x.type === 'ballot-result' && x.doc.ballotId === c.innovationId);
        const chair = c.tablets[0]!;
        const checkin = items.findIndex((x) => x.type === 'checkin' && x.doc.memberId === chair.device.memberId);
        const docHash = sha256Text(canonical(items[r]!.doc)!);
        items.push({
          type: 'tally-confirmation',
          cycle: '2026',
          refs: { result: r },
          doc: {
            ballotId: c.innovationId,
            resultLogIndex: r,
            resultDocHash: docHash,
            memberId: chair.device.memberId,
            name: '成员1',
            unit: '成员单位1',
            role: 'counter',
            deviceKey: items[checkin]!.doc.deviceKey,
            checkinLogIndex: checkin,
            signature: chair.sign(tallyMessage(c.innovationId, r, docHash, 'counter', chair.device.memberId)),
          },
        });
      }),
    }),
    caughtBy: 'teller-signatures',
  },
  {
    kind: 'meeting',
    name: 'the supervisor 监票人’s confirmation re-signed with a key the bureau holds (not the device registered to the supervisor)',
    build: async () => ({
      bundle: await forge((items) => {
        const i = items.findIndex((x) => x.type === 'tally-confirmation' && x.doc.supervisor);
        const d = items[i]!.doc;
        const bureau = ed25519.utils.randomSecretKey();
        d.deviceKey = toHex(ed25519.getPublicKey(bureau));
        d.signature = toHex(ed25519.sign(supervisorTallyMessage(d.ballotId, d.resultLogIndex, d.resultDocHash, d.supervisor.accountId), bureau));
      }),
    }),
    caughtBy: 'teller-signatures',
  },
  {
    kind: 'meeting',
    name: 'the supervisor 监票人’s real signature carried over to another result (the secret ballot’s), as if the supervisor had confirmed that count',
    build: async () => ({
      bundle: await forge((items) => {
        const i = items.findIndex((x) => x.type === 'tally-confirmation' && x.doc.supervisor);
        const r = items.findIndex((x) => x.type === 'ballot-result' && x.doc.ballotId === c.secretId);
        const d = items[i]!.doc;
        d.ballotId = c.secretId;
        d.resultLogIndex = r;
        d.resultDocHash = sha256Text(canonical(items[r]!.doc)!);
        items[i]!.refs = { result: r };
      }),
    }),
    caughtBy: 'teller-signatures',
  },
  {
    kind: 'meeting',
    name: 'a 回避 signed by the member’s own tablet but logged after the vote opened (to set the member’s ballot aside)',
    build: async () => ({
      bundle: await forge((items) => {
        const m = c.tablets[1]!;
        const checkin = items.find((x) => x.type === 'checkin' && x.doc.memberId === m.device.memberId)!;
        items.push({
          type: 'recusal',
          cycle: '2026',
          refs: {},
          doc: {
            ballotId: c.secretId,
            meetingId: c.meetingId,
            memberId: m.device.memberId,
            name: '成员2',
            unit: '成员单位2',
            candidateId: 'c01',
            candidateName: '甲',
            declaredBy: 'member',
            signerMemberId: m.device.memberId,
            signerName: '成员2',
            deviceKey: checkin.doc.deviceKey,
            signature: m.sign(recusalMessage(c.secretId, m.device.memberId, 'c01')),
            reason: '',
          },
        });
      }),
    }),
    caughtBy: 'recusals',
  },
  {
    kind: 'procedure',
    name: 'a ballot withdrawal deleted from the log (the withdrawn 25 seats of 创新奖 still held when the real ballot was prepared)',
    build: async () => ({ bundle: await forge((items) => void items.splice(items.findIndex((x) => x.type === 'ballot-withdrawn'), 1)) }),
    caughtBy: 'award-seats-held',
  },
  {
    kind: 'procedure',
    name: 'a tallied ballot (优胜奖) logged as withdrawn, to set its result aside',
    build: async () => ({
      bundle: await forge((items) => {
        const prepared = items.findIndex((x) => x.type === 'ballot-prepared' && x.doc.ballotId === c.excellenceId);
        const p = items[prepared]!.doc;
        items.push({ type: 'ballot-withdrawn', cycle: '2026', refs: { prepared }, doc: { ballotId: c.excellenceId, cycleId: '2026', meetingId: p.meetingId, award: p.award, seats: p.seats, preparedLogIndex: prepared, reason: '撤回', withdrawnAt: '2026-03-04T10:00:00+08:00' } });
      }),
    }),
    caughtBy: 'ballot-withdrawn',
  },
  {
    kind: 'procedure',
    name: 'a list of initial winners that leaves out a tallied ballot (优胜奖) and its winners, coherent with the ballots it names',
    build: async () => ({
      bundle: await forge((items) => {
        const list = noticeOf(items, 'initial-winners').doc;
        const dropped = list.ballots.find((b: Doc) => b.ballotId === c.excellenceId);
        const names = new Set(dropped.winners.map((w: Doc) => w.name));
        list.ballots = list.ballots.filter((b: Doc) => b.ballotId !== c.excellenceId);
        list.organisations = list.organisations.filter((o: Doc) => !(o.award === 'excellence' && names.has(o.name)));
        const item = noticeOf(items, 'initial-winners');
        item.refs = Object.fromEntries(Object.entries(item.refs).filter(([k]) => !k.startsWith('result.') && !k.startsWith('bulletin.')));
        list.ballots.forEach((b: Doc, i: number) => {
          item.refs[`result.${i}`] = b.resultLogIndex;
          if (b.bulletinLogIndex !== null) item.refs[`bulletin.${i}`] = b.bulletinLogIndex;
        });
      }),
    }),
    caughtBy: 'initial-winners-derived',
  },
  {
    kind: 'procedure',
    name: 'a 审定 of the 拟授奖组织名单 logged as adopted while the 初选 list’s 公示 is still open and an objection unanswered',
    build: async () => ({
      bundle: await forge((items) => {
        const list = noticeOf(items, 'initial-winners');
        const at = (item: LogItem) => items.indexOf(item);
        const adopted = items.filter((i) => i.type === 'meeting-procedure-decided' && i.doc.adopted).at(-1)!;
        const rules = items[adopted.doc.procedureLogIndex]!.doc.rules;
        const proposal: Doc = {
          fixingId: 'af_forgedxxxxxx',
          cycleId: '2026',
          meetingId: c.meetingId,
          organisations: list.doc.organisations,
          initialWinners: { id: list.doc.id, logIndex: at(list), documentHash: sha256Text(canonical(list.doc)!) },
          removed: [],
          lists: items.filter((i) => i.type === 'notice' && i.doc.window).map((i) => ({ id: i.doc.id, logIndex: at(i), closesAt: i.doc.window.closesAt })),
          objections: [],
          rules,
          procedureLogIndex: at(adopted),
          proposedAt: '2026-03-10T12:00:00.000+08:00',
        };
        items.push({ type: 'award-fixing-proposed', cycle: '2026', refs: { initialWinners: at(list), procedure: at(adopted) }, doc: proposal });
        const proposalLogIndex = items.length - 1;
        const decided: Doc = { fixingId: 'af_forgedxxxxxx', cycleId: '2026', meetingId: c.meetingId, proposalLogIndex, proposalHash: sha256Text(canonical(proposal)!), adopted: true, mode: 'hands', for: 4, against: 0, abstain: 0, membersTotal: 5, present: 4, votes: [] };
        items.push({ type: 'award-fixing-decided', cycle: '2026', refs: { proposal: proposalLogIndex }, doc: decided });
      }),
    }),
    caughtBy: 'award-fixed',
  },
  {
    kind: 'procedure',
    name: 'the city government’s decision logged with no submission of the fixed list before it',
    build: async () => ({
      bundle: await forge((items) => {
        const list = noticeOf(items, 'initial-winners');
        items.push({ type: 'government-decision', cycle: '2026', refs: {}, doc: forgedDecision(list.doc.organisations, items.indexOf(list)) });
      }),
    }),
    caughtBy: 'government-decision',
  },
  {
    kind: 'procedure',
    name: 'a 表彰通报 naming an organisation the government’s decision did not award',
    build: async () => ({
      bundle: await forge((items) => {
        const list = noticeOf(items, 'initial-winners');
        items.push({ type: 'government-decision', cycle: '2026', refs: {}, doc: forgedDecision(list.doc.organisations, items.indexOf(list)) });
        const decisionIndex = items.length - 1;
        items.push({ type: 'notice', cycle: '2026', refs: { decision: decisionIndex }, doc: forgedNotice('commendation', '表彰通报', [...list.doc.organisations, { name: '从未获奖的某公司', award: 'quality' }], { commendation: { decision: { logIndex: decisionIndex, documentNumber: '杭政办函〔2026〕10号', date: '2026-03-10' } } }) });
      }),
    }),
    caughtBy: 'award-notice',
  },
  {
    kind: 'procedure',
    name: 'a revocation naming the 初选 list as the award, in a cycle the city government never decided',
    build: async () => ({
      bundle: await forge((items) => {
        const list = noticeOf(items, 'initial-winners');
        const winner = list.doc.organisations[0];
        const revocation = { basis: '六(三)', award: winner.award, approvalNumber: '杭政函〔2026〕3号', approvalDate: '2026-03-10', awardedBy: { id: list.doc.id, logIndex: items.indexOf(list), date: '2026-03-09' } };
        items.push({ type: 'notice', cycle: '2026', refs: {}, doc: forgedNotice('revocation', '撤销公告', [winner], { revocation }) });
      }),
    }),
    caughtBy: 'revocation-basis',
  },
  {
    kind: 'objections',
    name: 'the member unit that verified the objection rewritten to a company outside the judging group’s roster',
    build: async () => ({
      bundle: await forge((items) => {
        const outsider = '并非评审组成员单位的某公司';
        const assigned = items.find((x) => x.type === 'objection-assigned')!;
        const was = assigned.doc.units[0].unit;
        assigned.doc.units[0].unit = outsider;
        for (const x of items) if (x.type === 'objection-finding' && x.doc.unit === was) x.doc.unit = outsider;
        for (const x of items) if (x.type === 'objection-decision') for (const f of x.doc.findings) if (f.unit === was) f.unit = outsider;
      }),
    }),
    caughtBy: 'objection-units',
  },
  {
    kind: 'objections',
    name: 'a decision with no member unit assigned before it (the assignment moved to the other, pending objection)',
    build: async () => ({
      bundle: await forge((items) => {
        const assigned = items.find((x) => x.type === 'objection-assigned')!;
        const other = items.findIndex((x) => x.type === 'objection-receipt' && x.doc.trackingNo !== assigned.doc.trackingNo);
        assigned.doc.receiptLogIndex = other;
        assigned.doc.trackingNo = items[other]!.doc.trackingNo;
      }),
    }),
    caughtBy: 'objection-units',
  },
  {
    kind: 'objections',
    name: 'a decision citing as a unit’s finding an entry that is not that unit’s',
    build: async () => ({ bundle: await forge((items) => void (items.find((x) => x.type === 'objection-decision')!.doc.findings[0].unit = '成员单位2')) }),
    caughtBy: 'objection-findings',
  },
  {
    kind: 'objections',
    name: 'a result notice announcing 成立 where the logged decision was 不成立',
    build: async () => ({ bundle: await forge((items) => void (noticeOf(items, 'objection-result').doc.objections[0].decision = 'upheld')) }),
    caughtBy: 'objection-findings',
  },
  {
    kind: 'objections',
    name: 'the judging group’s reason for keeping an entry, logged for an objection that was not upheld',
    build: async () => ({
      bundle: await forge((items) => {
        const decision = items.findIndex((x) => x.type === 'objection-decision');
        const d = items[decision]!.doc;
        items.push({
          type: 'objection-hold-kept',
          cycle: '2026',
          refs: {},
          doc: { trackingNo: d.trackingNo, receiptLogIndex: d.receiptLogIndex, cycleId: '2026', decisionLogIndex: decision, entry: { noticeId: d.entry.noticeId, organisation: d.entry.organisation }, reason: '保留', recordedAt: '2026-03-20T10:00:00+08:00', recordedBy: '市场监管局 王工' },
        });
      }),
    }),
    caughtBy: 'objection-holds',
  },
  {
    kind: 'objections',
    name: 'a winner taken off the list of initial winners citing a rejected objection, in a list that corrects nothing',
    build: async () => ({
      bundle: await forge((items) => {
        const decision = items.findIndex((x) => x.type === 'objection-decision');
        const list = noticeOf(items, 'initial-winners').doc;
        const gone = list.organisations.pop();
        list.removed = [{ name: gone.name, award: gone.award, decisionLogIndex: decision }];
      }),
    }),
    caughtBy: 'objection-holds',
  },
  {
    kind: 'roster',
    name: 'a member taken off the roster after their tablet enrolled and they took part (the roster the quorum counted on, rewritten)',
    build: async () => ({
      bundle: await forge((items) => {
        const enrolled = items.find((x) => x.type === 'member-enrolled')!;
        const m = enrolled.doc;
        items.push({ type: 'member-removed', cycle: enrolled.cycle, refs: {}, doc: { memberId: m.memberId, cycleId: m.cycleId, name: m.name, unit: m.unit, reason: '工作调动', removedAt: '2026-03-10T02:00:00.000Z' } });
      }),
    }),
    caughtBy: 'roster-changes',
  },
  {
    kind: 'roster',
    name: 'a member’s unit corrected after the member checked in',
    build: async () => ({
      bundle: await forge((items) => {
        const checkin = items.find((x) => x.type === 'checkin')!;
        const m = checkin.doc;
        items.push({ type: 'member-amended', cycle: checkin.cycle, refs: {}, doc: { memberId: m.memberId, cycleId: '2026', name: m.name, unit: '另一单位', isChair: false, reason: '单位录入有误', amendedAt: '2026-03-10T02:00:00.000Z' } });
      }),
    }),
    caughtBy: 'roster-changes',
  },
];

/** A government decision as a bureau would forge it: the 初选 list as the awarded list, a well-formed 文号 and file hash. */
function forgedDecision(organisations: Doc[], listIndex: number): Doc {
  return {
    cycleId: '2026',
    submission: { logIndex: listIndex, documentHash: '0'.repeat(64) },
    organisations,
    date: '2026-03-10',
    documentNumber: '杭政办函〔2026〕10号',
    title: '关于2026年度杭州市政府质量奖评审结果的通报',
    file: { sha256: '1'.repeat(64), size: 1000, mediaType: 'application/pdf', name: '通报.pdf' },
    recordedAt: '2026-03-10T12:00:00.000+08:00',
  };
}

/** A notice without a window, published on 2026-03-10. */
function forgedNotice(type: string, typeName: string, organisations: Doc[], extra: Doc): Doc {
  return { v: 'hzqa-notice/v1', id: `n_forged${type.slice(0, 6)}`, cycleId: '2026', type, typeName, title: typeName, body: '……', organisations, corrects: null, window: null, ...extra, publishedAt: '2026-03-10T12:00:00.000+08:00', issuer: '杭州市市场监督管理局' };
}

/** What the server serves now, as the CLI reads it with --url. */
async function liveOf(): Promise<LiveView> {
  const get = async (path: string) => (await c.h.request(path)).json() as Promise<Doc>;
  const notices = ((await get('/api/v1/notices?cycleId=2026&limit=500')).notices as Doc[]).filter((n) => n.logIndex !== null);
  const receipts = [];
  for (const n of notices) receipts.push(...((await get(`/api/v1/notices/${n.id}/receipts`)).receipts as Doc[]));
  const bulletin = await get(`/api/v1/ballots/${c.secretId}/bulletin`);
  return {
    notices: notices.map((n) => ({ id: n.id, logIndex: n.logIndex, documentHash: n.documentHash, document: n.document })),
    bulletins: [{ ballotId: c.secretId, logIndex: bulletin.logIndex, ballots: (bulletin.ballots as Doc[]).map((b) => ({ token: b.token, choices: b.choices })) }],
    receipts: receipts.map((r) => ({ trackingNo: r.trackingNo, receiptLogIndex: r.receiptLogIndex, receiptDocumentHash: r.receiptDocumentHash, dueDate: r.dueDate, resultNoticeId: r.resultNoticeId })),
  };
}

beforeAll(async () => {
  c = await buildCycle();
  full = await exportBundle(c, { token: c.supervisor });
}, 600_000);
afterAll(async () => c?.t.close());

describe('a corrupt bureau, re-signing with its own log key', () => {
  it('the honest cycle passes every check, live comparison included, and is anchored by the witness', async () => {
    const r = run(full, { witness: true, live: await liveOf() });
    expect(failed(r)).toEqual([]);
    expect(r.anchored).toBe(true);
    expect(r.checks.find((x) => x.id === 'live-agrees')?.status).toBe('pass');
    expect(r.checks.find((x) => x.id === 'log-completeness')?.status).toBe('pass');
    // The calendar: the 2026 table and a local day off in the log, five deadlines naming them (two windows, two clocks, one correction).
    for (const id of ['calendar-log', 'deadline-entries', 'objection-deadlines'] as const) expect(r.checks.find((x) => x.id === id)?.status, id).toBe('pass');
    expect(r.checks.find((x) => x.id === 'calendar-log')!.message.en).toMatch(/^1 State Council table entry agree.*, 1 override entry coherent/);
    expect(r.checks.find((x) => x.id === 'deadline-entries')!.message.en).toMatch(/^5 deadline/);
    expect(r.checks.find((x) => x.id === 'objection-deadlines')!.message.en).toMatch(/2 due date\(s\) and 1 correction/);
    // Without a state or a witness the same honest run is not anchored, and nothing is saved.
    const bare = run(full);
    expect(bare.anchored).toBe(false);
    expect(bare.newState).toBeNull();
    expect(bare.checks.find((x) => x.id === 'log-consistency')?.remedy?.en).toMatch(/--state.*--first-run.*--witness-key/);
  });

  const results: { name: string; detected: boolean }[] = [];
  for (const m of MANIPULATIONS) {
    it(`[${m.kind}] ${m.name} — caught by ${m.caughtBy}`, async () => {
      const { bundle, options } = await m.build();
      const r = run(bundle, options);
      const detected = !r.ok && failed(r).includes(m.caughtBy);
      results.push({ name: m.name, detected });
      expect(failed(r)).toContain(m.caughtBy);
      expect(r.newState).toBeNull(); // a manipulated history is never saved as the state
    });
  }

  it(`${MANIPULATIONS.length} manipulations tried, ${MANIPULATIONS.length} detected`, () => {
    expect(results).toHaveLength(MANIPULATIONS.length);
    const detected = results.filter((r) => r.detected).length;
    console.log(`verifier: ${MANIPULATIONS.length} manipulations tried, ${detected} detected`);
    expect(detected).toBe(MANIPULATIONS.length);
  });

  it('a rewritten history without a state or witness is not anchored: not saved, and the CLI would exit 3', async () => {
    const r = run(await forge((items) => void (noticeOf(items, 'material-review').doc.title += '(改)')));
    expect(r.ok).toBe(true); // its content is coherent: only an anchor can tell
    expect(r.anchored).toBe(false);
    expect(r.newState).toBeNull();
  });
});
