// client: the demo's stages after the 公示 (三(三)8, 四(二)) through the HTTP API — once the 初选 list's 公示 is
// over, the first meeting closed, a second meeting adopts its 表决办法 and fixes the 拟授奖组织名单 (审定) by the
// members' signed hands; the bureau submits it to the city government; the government decides; the 表彰通报
// is published. Needs a clock to move (the 审定 waits for the 公示 to close).
import { call, type Fetch, type Tablet } from '../protocol/tablet.js';
import { demoEvidencePdf } from './cycle.js';

export interface AwardStagesInput {
  cycleId: string;
  staffToken: string;
  tablets: Tablet[];
  firstMeetingId: string;
  initialWinners: string;
  advance: (iso: string) => void;
  log: (line: string) => void;
}

export interface AwardStages {
  meetingId: string;
  fixingId: string;
  commendation: string;
  decision: { documentNumber: string; date: string; logIndex: number };
}

const base64 = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};

/** The day after `date` (YYYY-MM-DD), 10:00 Beijing, as an instant. */
const dayAfter = (date: string) => new Date(Date.parse(`${date}T10:00:00+08:00`) + 86400_000).toISOString();

export async function runAwardStages(fetch: Fetch, input: AwardStagesInput): Promise<AwardStages> {
  const { cycleId, log } = input;
  const staff = <T>(path: string, json?: unknown) => call<T>(fetch, path, { method: json === undefined ? 'GET' : 'POST', token: input.staffToken, ...(json !== undefined ? { json } : {}) });

  // The 初选 list's 公示 is over: the first meeting is closed, and the judging group meets again.
  const list = await staff<{ window: { end: string } }>(`/api/v1/notices/${input.initialWinners}`);
  await staff(`/api/v1/meetings/${input.firstMeetingId}/close`, {});
  input.advance(dayAfter(list.window.end));
  for (const t of input.tablets) await t.signIn();
  const meeting = await staff<{ id: string }>(`/api/v1/cycles/${cycleId}/meetings`, { title: `${cycleId} 评审组审定会议` });
  for (const t of input.tablets) await t.checkIn(meeting.id);
  const procedure = await staff<{ procedureId: string; documentHash: string }>(`/api/v1/meetings/${meeting.id}/procedure`, { counters: [], scrutineers: [] });
  for (const t of input.tablets) await t.voteProcedure({ id: procedure.procedureId, meetingId: meeting.id, documentHash: procedure.documentHash }, 'for');
  await staff(`/api/v1/procedures/${procedure.procedureId}/close`, {});

  // 审定: the 拟授奖组织名单 put to the meeting; each member signs on the tablet; staff close the hands.
  const fixing = await staff<{ fixingId: string; documentHash: string; document: { organisations: unknown[] } }>(`/api/v1/meetings/${meeting.id}/award-fixing`, {});
  for (const t of input.tablets) await t.voteAwardFixing({ id: fixing.fixingId, meetingId: meeting.id, documentHash: fixing.documentHash }, 'for');
  const fixed = await staff<{ adopted: boolean; logIndex: number }>(`/api/v1/award-fixings/${fixing.fixingId}/close`, {});
  log(`审定 ${fixing.fixingId}: ${fixing.document.organisations.length} organisations, adopted ${fixed.adopted}`);
  await staff(`/api/v1/meetings/${meeting.id}/close`, {});

  // 提请市政府审议批准, then the city government's decision some weeks later.
  const year = cycleId.match(/\d{4}/)?.[0] ?? '2026';
  const submissionDate = dayAfter(list.window.end).slice(0, 10);
  const pdf = base64(demoEvidencePdf());
  await staff(`/api/v1/cycles/${cycleId}/award/submission`, {
    date: submissionDate,
    documentNumber: `杭市监〔${year}〕18号`,
    title: `关于提请审定${year}年度杭州市政府质量奖获奖组织名单的请示`,
    file: { name: '请示.pdf', contentBase64: pdf },
  });
  log(`submission 杭市监〔${year}〕18号 of ${submissionDate}`);
  const decisionInstant = new Date(Date.parse(`${submissionDate}T10:00:00+08:00`) + 21 * 86400_000);
  input.advance(decisionInstant.toISOString());
  const decisionDate = decisionInstant.toISOString().slice(0, 10);
  const decision = await staff<{ logIndex: number; document: { documentNumber: string; date: string } }>(`/api/v1/cycles/${cycleId}/award/decision`, {
    date: decisionDate,
    documentNumber: `杭政办函〔${year}〕10号`,
    title: `关于${year}年度杭州市人民政府质量奖评审结果的通报`,
    file: { name: `杭政办函〔${year}〕10号.pdf`, contentBase64: pdf },
  });
  log(`decision 杭政办函〔${year}〕10号 of ${decisionDate}`);

  // The 表彰通报: its list is the decision's.
  const draft = await staff<{ id: string }>('/api/v1/notices', {
    cycleId,
    type: 'commendation',
    title: `关于${year}年度杭州市政府质量奖获奖组织的表彰通报`,
    body: `经评审组审定、市政府批准（杭政办函〔${year}〕10号），下列组织获${year}年度杭州市政府质量奖，予以通报表彰。`,
  });
  const commendation = await staff<{ id: string }>(`/api/v1/notices/${draft.id}/publish`, {});
  log(`notice commendation ${commendation.id}`);
  return { meetingId: meeting.id, fixingId: fixing.fixingId, commendation: commendation.id, decision: { documentNumber: decision.document.documentNumber, date: decision.document.date, logIndex: decision.logIndex } };
}
