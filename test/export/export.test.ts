// GET /api/v1/cycles/{id}/export: one bundle of everything public about a cycle, the named
// show-of-hands records only for staff and supervisors, a consistency proof on request, and the
// checkpoint a witness cosigned on request; the verifier follows the log as it grows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, utf8Decode } from '../../crypto/bytes.js';
import { checkRecord, checkTree, recordHash } from '../../crypto/tlog.js';
import { openNote, newVerifier, parseCheckpoint } from '../../crypto/note.js';
import { TABLE_VERSION } from '../../src/calendar/table.js';
import { parseBundle, verifyBundle, sha256Text, canonical, type ExportBundle } from '../../src/verify/index.js';
import { buildCycle, exportBundle, type BuiltCycle } from '../verify/support.js';
import { draftNotice, publish } from '../notices/support.js';

let c: BuiltCycle;
let pub: ExportBundle;

beforeAll(async () => {
  c = await buildCycle();
  pub = await exportBundle(c);
}, 600_000); // a whole cycle through the API: slow on a loaded machine
afterAll(async () => c?.t.close());

const cp = (b: ExportBundle) => parseCheckpoint(openNote(b.log.checkpoint, [newVerifier(c.logKey)]).text);

describe('the cycle export', () => {
  it('public: every entry of the cycle with its inclusion proof and document, the calendar, record hashes only', () => {
    expect(pub).toMatchObject({ format: 'hzqa-cycle-export/v1', cycleId: '2026', audience: 'public', handsRecordsIncluded: false });
    expect(pub.log.verifierKey).toBe(c.logKey);
    const checkpoint = cp(pub);
    expect(checkpoint.size).toBe(pub.log.size);
    expect(pub.log.pendingEntries).toBe(0);
    expect(pub.entries.length).toBe(checkpoint.size); // this log holds one cycle only
    for (const e of pub.entries) {
      const bytes = fromBase64(e.entry);
      checkRecord(e.proof.map(fromBase64), checkpoint.size, checkpoint.hash, e.index, recordHash(bytes));
      const entry = JSON.parse(utf8Decode(bytes)) as { cycle: string | null; doc: string; type: string };
      // The cycle's entries, and the calendar's (no cycle) that its deadlines were computed with.
      expect(entry.cycle === '2026' || (entry.cycle === null && (entry.type === 'calendar-table' || entry.type === 'calendar-override'))).toBe(true);
      expect(sha256Text(pub.documents[entry.doc]!)).toBe(entry.doc);
    }
    expect(Object.keys(pub.contents!).sort()).toEqual(
      ['ballot-bulletin', 'ballot-key', 'ballot-phase', 'ballot-prepared', 'ballot-result', 'ballot-voting', 'ballot-withdrawn', 'calendar-override', 'calendar-table', 'checkin', 'deadline-correction', 'meeting-close', 'meeting-minutes', 'meeting-open', 'meeting-procedure', 'meeting-procedure-decided', 'member-enrolled', 'member-registered', 'notice', 'objection-assigned', 'objection-decision', 'objection-finding', 'objection-receipt', 'supervisor-device', 'tally-confirmation'].sort(), // the roster and enrollments are logged; an answered objection's units, findings and decision; the calendar entries the deadlines used, and a due date they moved; the supervisor's device that confirmed a staff-recorded hand, and its confirmation of a count as 监票人
    );
    expect(pub.handsRecords).toHaveLength(2);
    for (const r of pub.handsRecords) expect(r.record).toBeNull();
    expect(pub.handsRecordsNote.zh).toMatch(/仅含其 SHA-256/);
    expect(pub.calendar).toMatchObject({ tableVersion: TABLE_VERSION, overrides: [{ date: '2026-03-12', kind: 'off' }], noticeWindowMode: 'including', objectionDueMode: 'after' });
    expect(pub.calendar.version.startsWith(`${TABLE_VERSION}+local.`)).toBe(true);
    expect(pub.log.checkpoint).toMatch(/— supervisors\.example\/witness /);
    // Nothing about objectors.
    expect(JSON.stringify(pub)).not.toContain('张三');
    expect(JSON.stringify(pub)).not.toContain('13800000000');
  });

  it('staff and supervisors get the named records, which hash to what the results logged; members and the public do not', async () => {
    for (const token of [c.supervisor, c.staff]) {
      const b = await exportBundle(c, { token });
      expect(b.handsRecordsIncluded).toBe(true);
      for (const r of b.handsRecords) {
        expect(sha256Text(canonical(r.record)!)).toBe(r.recordHash);
        // 创新奖: four hands (one recorded by staff); 优胜奖: three (that member's tablet still failed).
        expect((r.record as { votes: unknown[] }).votes).toHaveLength(r.ballotId === c.excellenceId ? 3 : 4);
      }
    }
    await c.tablets[0]!.signIn();
    const member = await exportBundle(c, { token: c.tablets[0]!.session! });
    expect(member.audience).toBe('public');
    expect(member.handsRecords.every((r) => r.record === null)).toBe(true);
    expect((await c.h.request('/api/v1/cycles/2026/export', { headers: { authorization: 'Bearer hzqa_a_nonsense-token' } })).status).toBe(401);
    expect((await c.h.request('/api/v1/cycles/2099/export')).status).toBe(404);
    expect((await c.h.request(`/api/v1/cycles/2026/export?from=${pub.log.size + 1}`)).status).toBe(422);
    expect((await c.h.request('/api/v1/cycles/2026/export?from=x')).status).toBe(400);
  });

  it('follows the log as it grows: ?from gives the consistency proof, ?witness the checkpoint that witness cosigned', async () => {
    const opts = { logKey: c.logKey, witnessKeys: [c.witness.verifierKey], now: c.now };
    const first = verifyBundle(parseBundle(pub), opts);
    expect(first.ok).toBe(true);
    const state = first.newState!;

    // The log grows: a correction of the material-review list is published. (A revocation did this before;
    // a revocation now needs the city government's decision, which this cycle has not reached.)
    c.h.clock.set('2026-03-10T02:00:00Z');
    const listed = await c.h.request('/api/v1/notices?cycleId=2026&type=material-review');
    const original = ((await listed.json()) as { notices: { id: string }[] }).notices[0]!;
    const correction = await draftNotice(c.h, c.staff, { corrects: original.id, title: '拟进入材料评审组织名单公示（更正）' });
    await publish(c.h, c.staff, correction.id);

    // Without ?from the bundle carries no proof: with a saved state the check fails (never skipped,
    // never passed silently, and the unproven checkpoint is not saved).
    const plain = await exportBundle(c);
    expect(plain.log.size).toBe(state.size + 1);
    const skipped = verifyBundle(parseBundle(plain), { ...opts, witnessKeys: [], state });
    expect(skipped.checks.find((x) => x.id === 'log-consistency')!.status).toBe('fail');
    expect(skipped.newState).toBeNull();

    const grown = await exportBundle(c, { query: `?from=${state.size}` });
    expect(grown.log.consistency).toMatchObject({ from: state.size, to: state.size + 1 });
    checkTree(grown.log.consistency!.proof.map(fromBase64), cp(grown).size, cp(grown).hash, state.size, fromBase64(state.hash));
    const second = verifyBundle(parseBundle(grown), { ...opts, witnessKeys: [], state });
    expect(second.checks.find((x) => x.id === 'log-consistency')!.status).toBe('pass');
    expect(second.ok).toBe(true);
    // The witness has not cosigned the new checkpoint yet.
    expect(verifyBundle(parseBundle(grown), { ...opts, state }).checks.find((x) => x.id === 'witness-cosignatures')!.status).toBe('fail');

    // ?witness=: the latest checkpoint the witness cosigned; the newer entry is pending.
    const witnessed = await exportBundle(c, { query: '?witness=supervisors.example/witness' });
    expect(witnessed.log.size).toBe(state.size);
    expect(witnessed.log.pendingEntries).toBe(1);
    const third = verifyBundle(parseBundle(witnessed), { ...opts, state });
    expect(third.ok).toBe(true);
    expect(third.checks.find((x) => x.id === 'entry-format')!.details[0]!.en).toMatch(/1 newer entries/);
  });
});
