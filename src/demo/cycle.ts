// client: a whole award cycle driven through the HTTP API only — members enrolled on simulated
// tablets, check-ins, a secret ballot with real blind tokens, a recorded show of hands for both other
// awards, the notices of all three lists, an objection with an evidence file and its verification
// result; with a clock to move, the 审定, the submission to the city government, its decision and the 表彰通报. Used by `npm run demo`, by the verifier's tests and by the browser tests.
import { EXAMPLE_INTAKE } from '../notices/intake-routes.js';
import { ApiError, ballotKeysOf, call, Tablet, type Fetch, type SecretReceipt } from '../protocol/tablet.js';
import type { Choices } from '../votes/rules.js';
import { countersignMessage } from '../votes/messages.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../crypto/bytes.js';
import { creditCodeCheckCharacter } from '../identity/codes.js';
import { runAwardStages, type AwardStages } from './award.js';

export interface DemoOptions {
  staffToken: string;
  /** A supervisor present: confirms the staff-recorded hand on their own device (a key made here). */
  supervisorToken: string;
  cycleId?: string;
  log?: (line: string) => void;
  /**
   * With a co-signer: a supervisor approves the eligible list on the co-signer (their device) when
   * opening issuance waits for it.
   */
  approve?: (ballotId: string) => Promise<void>;
  /**
   * Moves the server's clock (tests): the lists are then published weeks apart, each after the previous
   * one's 公示. Without it everything happens now, and each later list records why it did not wait.
   */
  advance?: (iso: string) => void;
}

export interface DemoCycle {
  cycleId: string;
  meetingId: string;
  tablets: Tablet[];
  absentCode: string;
  ballots: { quality: string; innovation: string; excellence: string };
  receipts: SecretReceipt[];
  notices: { materialReview: string; onsiteReview: string; objectionResult: string; initialWinners: string };
  /** With a clock to move: the 审定, the submission, the government's decision and the 表彰通报. */
  award: AwardStages | null;
  objection: { objectionId: string; trackingNo: string; accessCode: string; receiptLogIndex: number };
}

const UNITS = ['市政府办公厅', '市发展和改革委员会', '市经济和信息化局', '市科学技术局', '市财政局', '市生态环境局', '市市场监督管理局'];
const NAMES = ['陈主任', '林处长', '王处长', '赵处长', '孙处长', '周处长', '吴处长'];
// Applicants of the register with the award each applied for; codes made up for the demo, with a valid
// GB 32100 check character.
const APPLICANTS = [
  { name: '杭州西湖精密制造有限公司', body: '91330100MA2AAAAA1', award: 'quality' },
  { name: '杭州钱塘智能装备股份有限公司', body: '91330100MA2BBBBB2', award: 'quality' },
  { name: '杭州滨江数字医疗集团有限公司', body: '91330100MA2CCCCC3', award: 'quality' },
  { name: '杭州余杭绿色建材有限公司', body: '91330100MA2DDDDD4', award: 'quality' },
  { name: '杭州萧山现代物流有限公司', body: '91330100MA2EEEEE5', award: 'innovation' },
  { name: '杭州临平新材料科技有限公司', body: '91330100MA2FFFFF6', award: 'innovation' },
  { name: '杭州富阳环保工程有限公司', body: '91330100MA2GGGGG7', award: 'excellence' },
  { name: '杭州拱墅老字号食品有限公司', body: '91330100MA2HHHHH8', award: 'excellence' },
  { name: '杭州上城文旅服务有限公司', body: '91330100MA2JJJJJ9', award: 'excellence' },
].map((a) => ({ name: a.name, code: a.body + creditCodeCheckCharacter(a.body), award: a.award as 'quality' | 'innovation' | 'excellence' }));


/** A small but well-formed PDF, as an objector's evidence. */
export function demoEvidencePdf(): Uint8Array {
  const text = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n');
  return new TextEncoder().encode(text);
}

export async function runDemoCycle(fetch: Fetch, options: DemoOptions): Promise<DemoCycle> {
  const log = options.log ?? (() => {});
  const cycleId = options.cycleId ?? 'demo-2026';
  const staff = <T>(path: string, json?: unknown, method?: string) =>
    call<T>(fetch, path, { method: method ?? (json === undefined ? 'GET' : 'POST'), token: options.staffToken, ...(json !== undefined ? { json } : {}) });

  await staff('/api/v1/cycles', { id: cycleId, name: `${cycleId} 杭州市政府质量奖评审` });
  await staff(`/api/v1/cycles/${cycleId}/objection-intake`, EXAMPLE_INTAKE, 'PUT');
  log(`cycle ${cycleId}`);

  // 评审组: one member per member unit; the first is the chair (牵头领导). The last stays away.
  const codes: string[] = [];
  for (let i = 0; i < UNITS.length; i++) {
    const r = await staff<{ enrollmentCode: string }>(`/api/v1/cycles/${cycleId}/members`, { name: NAMES[i], unit: UNITS[i], isChair: i === 0 });
    codes.push(r.enrollmentCode);
  }
  const tablets: Tablet[] = [];
  for (const code of codes.slice(0, -1)) {
    const t = await Tablet.enroll(fetch, code);
    await t.signIn();
    tablets.push(t);
  }
  log(`${tablets.length} tablets enrolled; one member not enrolled`);

  // The register of applicants (三(三)1–2): every list and ballot of the cycle is drawn from it.
  for (const a of APPLICANTS) await staff(`/api/v1/cycles/${cycleId}/applicants`, { creditCode: a.code, name: a.name, award: a.award });
  log(`register: ${APPLICANTS.length} applicants`);
  const advance = (iso: string) => options.advance?.(iso);
  // Without a clock to move, a later list cannot wait for the previous 公示: it says so, in the log.
  const early = options.advance ? {} : { sequenceOverride: '演示：全部步骤于同一时刻完成，未等待上一名单公示期满' };

  // 三(三)7: the two review lists are publicly announced for 7 working days.
  const publishList = async (type: string, title: string, body: string, organisations: { name: string; code?: string; award?: string }[], extra: Record<string, unknown> = {}) => {
    const draft = await staff<{ id: string }>('/api/v1/notices', { cycleId, type, title, body, ...(organisations.length ? { organisations } : {}), ...(type === 'onsite-review' || type === 'initial-winners' ? early : {}), ...extra });
    const published = await staff<{ id: string; window: { start: string; end: string } | null }>(`/api/v1/notices/${draft.id}/publish`, {});
    log(`notice ${type} ${published.id}${published.window ? ` ${published.window.start}..${published.window.end}` : ''}`);
    return published.id;
  };
  const materialReview = await publishList(
    'material-review',
    `${cycleId} 杭州市政府质量奖拟进入材料评审组织名单公示`,
    '根据《杭州市政府质量奖管理办法》,经资格审查,下列组织拟进入材料评审程序,现予以公示。',
    APPLICANTS.map((a) => ({ name: a.name, code: a.code })),
  );
  // 材料评审 takes weeks: the on-site list goes out after the material list's 公示 (2026-03-02 … 03-10).
  advance('2026-03-23T02:00:00Z');
  const onsiteReview = await publishList(
    'onsite-review',
    `${cycleId} 杭州市政府质量奖拟进入现场评审组织名单公示`,
    '经材料评审,下列组织拟进入现场评审,现予以公示。公示期内如有异议,请提供相应的事实、理由及其佐证材料。',
    APPLICANTS.filter((_, i) => i !== 6).map((a) => ({ name: a.name })),
  );

  // An objection from the public, with a PDF, during the window; the bureau verifies it.
  const form = new FormData();
  const fields = {
    kind: 'person',
    name: '张三',
    contact: '13800000000',
    organisation: APPLICANTS[4]!.name,
    facts: '该公司2025年曾因产品抽检不合格被通报。',
    reasons: '不符合申报条件第4项(近3年各级质量安全监督检查合格)。',
    declaration: 'true',
    // A made-up number with a valid GB 11643 check digit (demo data, not a real person's).
    idNumber: '330106199003071236',
    signature: '张三',
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('files', new File([demoEvidencePdf() as Uint8Array<ArrayBuffer>], '抽检通报.pdf', { type: 'application/pdf' }));
  const receipt = await call<{ objectionId: string; trackingNo: string; accessCode: string; receiptLogIndex: number; dueDate: string }>(
    fetch,
    `/api/v1/notices/${onsiteReview}/objections`,
    { method: 'POST', body: form },
  );
  log(`objection ${receipt.trackingNo}, due ${receipt.dueDate}`);
  const o = `/api/v1/objections/${receipt.objectionId}`;
  await staff(`${o}/assignment`, { units: ['市市场监督管理局', '市经济和信息化局'] });
  // Each member unit's finding is recorded (public, logged); the decision cites them.
  await staff(`${o}/findings`, { unit: '市市场监督管理局', findings: '经核查抽检档案，该通报涉及的不合格项已于当年整改并复检合格。' });
  await staff(`${o}/findings`, { unit: '市经济和信息化局', findings: '经核查，该通报所涉问题不属于重大质量事故。' });
  await staff(`${o}/decision`, { decision: 'rejected', summary: '经核查,异议不成立。' });
  const objectionResult = await publishList('objection-result', `${cycleId} 异议核查结果公示`, '经核查,现将异议核查结果公示如下。', [], { objectionIds: [receipt.objectionId] });

  // 三(三)5: after the on-site review, each award's 候选组织建议名单, reviewed by the member units.
  const onsiteNames = APPLICANTS.filter((_, i) => i !== 6);
  for (const award of ['quality', 'innovation', 'excellence'] as const) {
    await staff(`/api/v1/cycles/${cycleId}/candidate-lists`, { award, creditCodes: onsiteNames.filter((a) => a.award === award).map((a) => a.code), reviewedBy: UNITS });
  }
  log('候选组织建议名单 of the three awards fixed');

  // 全体会议, once the on-site list's 公示 (03-23 … 03-31) is over: six of seven check in (quorum 2/3).
  advance('2026-04-08T01:00:00Z');
  for (const t of tablets) await t.signIn();
  const meeting = await staff<{ id: string }>(`/api/v1/cycles/${cycleId}/meetings`, { title: `${cycleId} 评审组全体会议` });
  for (const t of tablets) await t.checkIn(meeting.id);
  // The meeting adopts its 表决办法 (default rules) by a signed show of hands before the first vote.
  const procedure = await staff<{ procedureId: string; documentHash: string }>(`/api/v1/meetings/${meeting.id}/procedure`, { counters: [], scrutineers: [] });
  for (const t of tablets) await t.voteProcedure({ id: procedure.procedureId, meetingId: meeting.id, documentHash: procedure.documentHash }, 'for');
  await call(fetch, `/api/v1/procedures/${procedure.procedureId}/close`, { method: 'POST', token: tablets[0]!.session! });
  log(`meeting ${meeting.id}: ${tablets.length} checked in`);

  // 质量奖: secret ballot, real blind tokens, 2 seats among 4 candidates.
  const quality = await staff<{ id: string }>(`/api/v1/cycles/${cycleId}/ballots`, {
    meetingId: meeting.id,
    award: 'quality',
    title: '质量奖',
    seats: 2,
    candidates: APPLICANTS.slice(0, 4).map((a) => ({ name: a.name })),
  });
  const openIssuing = () => call<{ ballot: Parameters<typeof ballotKeysOf>[0] }>(fetch, `/api/v1/ballots/${quality.id}/phase`, { method: 'POST', token: tablets[0]!.session!, json: { to: 'issuing' } });
  const opened = await openIssuing().catch(async (e: unknown) => {
    // Co-issued: issuance opens once a supervisor approved the list on the co-signer.
    if (!(e instanceof ApiError && e.problem.awaitingApproval && options.approve)) throw e;
    await options.approve(quality.id);
    log(`co-signer: the supervisory group approved the list of ballot ${quality.id}`);
    return openIssuing();
  });
  const keys = ballotKeysOf(opened.ballot);
  const tokens = [];
  for (const t of tablets) tokens.push(await t.obtainToken(quality.id, keys));
  await call(fetch, `/api/v1/ballots/${quality.id}/phase`, { method: 'POST', token: tablets[0]!.session!, json: { to: 'casting' } });
  const secretChoices: Choices[] = [
    { c01: 'for', c02: 'for', c03: 'against', c04: 'abstain' },
    { c01: 'for', c02: 'against', c03: 'for', c04: 'against' },
    { c01: 'for', c02: 'for', c03: 'against', c04: 'against' },
    { c01: 'for', c02: 'for', c03: 'abstain', c04: 'against' },
    { c01: 'against', c02: 'for', c03: 'for', c04: 'abstain' },
    { c01: 'for', c02: 'abstain', c03: 'against', c04: 'for' },
  ];
  const receipts: SecretReceipt[] = [];
  for (let i = 0; i < tokens.length; i++) receipts.push(await Tablet.cast(fetch, quality.id, tokens[i]!, secretChoices[i % secretChoices.length]!, keys.receiptKey));
  for (const to of ['closed', 'tallied']) await call(fetch, `/api/v1/ballots/${quality.id}/phase`, { method: 'POST', token: tablets[0]!.session!, json: { to } });
  log(`quality secret ballot ${quality.id}: ${receipts.length} ballots`);

  // 创新奖 and 优胜奖: recorded show of hands; one raised hand recorded by staff (a tablet failed), confirmed
  // by a supervisor present on their device (registered for the cycle, so logged, before the votes).
  const supervisorDevice = ed25519.utils.randomSecretKey();
  const supervisorDeviceKey = toHex(ed25519.getPublicKey(supervisorDevice));
  await call(fetch, `/api/v1/cycles/${cycleId}/supervisor-devices`, { method: 'POST', token: options.supervisorToken, json: { deviceKey: supervisorDeviceKey } });
  const hands = async (award: 'innovation' | 'excellence', seats: number, candidates: string[], votes: Choices[]) => {
    const b = await staff<{ id: string }>(`/api/v1/cycles/${cycleId}/ballots`, { meetingId: meeting.id, award, seats, candidates: candidates.map((name) => ({ name })) });
    await staff(`/api/v1/ballots/${b.id}/phase`, { to: 'voting' });
    for (let i = 0; i < tablets.length; i++) {
      if (i === tablets.length - 1) await staff(`/api/v1/ballots/${b.id}/hands/${tablets[i]!.device.memberId}`, { choices: votes[i % votes.length] });
      else await tablets[i]!.raiseHands(b.id, votes[i % votes.length]!);
    }
    // A supervisor present confirms the staff-recorded hand on their own device before the tally.
    const record = await call<{ votes: { memberId: string; choices: Choices; recordedBy: string; staffName: string | null }[] }>(fetch, `/api/v1/ballots/${b.id}/record`, { token: options.supervisorToken });
    for (const v of record.votes.filter((x) => x.recordedBy === 'staff')) {
      const signature = toHex(ed25519.sign(countersignMessage(b.id, v.memberId, v.choices, v.staffName ?? ''), supervisorDevice));
      await call(fetch, `/api/v1/ballots/${b.id}/hands/${v.memberId}/confirmation`, { method: 'POST', token: options.supervisorToken, json: { deviceKey: supervisorDeviceKey, signature } });
    }
    await staff(`/api/v1/ballots/${b.id}/phase`, { to: 'tallied' });
    log(`${award} show of hands ${b.id}`);
    return b.id;
  };
  const innovation = await hands('innovation', 2, [APPLICANTS[4]!.name, APPLICANTS[5]!.name], [
    { c01: 'for', c02: 'for' },
    { c01: 'for', c02: 'against' },
    { c01: 'for', c02: 'for' },
  ]);
  const excellence = await hands('excellence', 2, [APPLICANTS[7]!.name, APPLICANTS[8]!.name], [
    { c01: 'for', c02: 'for' },
    { c01: 'for', c02: 'against' },
  ]);

  // 初选授奖组织名单: built from the three results, linking their bulletins and records.
  const initialWinners = await publishList(
    'initial-winners',
    `${cycleId} 杭州市政府质量奖初选授奖组织名单公示`,
    '经评审组全体会议无记名投票和举手表决,产生初选授奖组织如下,现予以公示。',
    [],
    { ballotIds: [quality.id, innovation, excellence] },
  );

  // After the 公示 (三(三)8, 四(二)): only with a clock to move, since the 审定 waits for the 公示 to close.
  const award = options.advance ? await runAwardStages(fetch, { cycleId, staffToken: options.staffToken, tablets, firstMeetingId: meeting.id, initialWinners, advance: options.advance, log }) : null;

  return {
    award,
    cycleId,
    meetingId: meeting.id,
    tablets,
    absentCode: codes[codes.length - 1]!,
    ballots: { quality: quality.id, innovation, excellence },
    receipts,
    notices: { materialReview, onsiteReview, objectionResult, initialWinners },
    objection: { objectionId: receipt.objectionId, trackingNo: receipt.trackingNo, accessCode: receipt.accessCode, receiptLogIndex: receipt.receiptLogIndex },
  };
}
