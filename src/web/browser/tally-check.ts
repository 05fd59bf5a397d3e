// What a 计票人 or 监票人 is shown before signing, on a tablet or on the supervisors' page: the result
// entry as the public log has it (checked against the pinned log key), its figures — 实到/发出/收回/
// 有效/无效 and each candidate's 同意/不同意/弃权 — taken from the logged document, and whether they are
// the figures of the tally sheet the office prints (src/votes/report.ts). Only matching figures are
// offered for signature.
import { call, type Fetch } from '../../protocol/tablet.js';
import { h, table, tr } from './dom.js';
import { verifyEntry } from './logverify.js';
import type { TallySheetJson } from '../../votes/conduct-responses.js';
import type { DocumentOf } from '../../log/documents/index.js';

/** The 计票结果报告单 as the route answers it. */
export type Sheet = TallySheetJson;

/** The logged result, as the log's schema defines it. */
type ResultDoc = DocumentOf<'ballot-result'>;

export async function fetchSheet(f: Fetch, ballotId: string) {
  return call<Sheet>(f, `/api/v1/ballots/${ballotId}/tally-sheet`);
}

/** The logged result of `ballotId`, checked against the log key, and whether the sheet states its figures. */
export async function checkResult(log: { logKey: string; prefix: string; witnessKey?: string }, ballotId: string, sheet: Sheet) {
  const checked = await verifyEntry({ ...log, index: sheet.resultLogIndex });
  const doc = checked.document as ResultDoc | null;
  if (!doc || checked.entry.type !== 'ballot-result' || doc.ballotId !== ballotId) throw new Error(tr('notVerified'));
  const returned = doc.kind === 'secret' ? doc.cast : doc.votes;
  const figures = { present: doc.present, issued: doc.kind === 'secret' ? doc.issued : doc.present, returned, valid: returned, invalid: 0 };
  const same =
    checked.entry.doc === sheet.resultDocHash &&
    (Object.keys(figures) as (keyof typeof figures)[]).every((k) => figures[k] === sheet.counts[k]) &&
    doc.result.candidates.length === sheet.candidates.length &&
    doc.result.candidates.every((c, i) => {
      const s = sheet.candidates[i]!;
      return s.candidateId === c.candidateId && s.for === c.for && s.against === c.against && s.abstain === c.abstain;
    });
  return { docHash: checked.entry.doc, doc, figures, same };
}

/** The figures as shown to the teller: the counts line and each candidate's row. */
export function figuresView(r: Awaited<ReturnType<typeof checkResult>>, name: (candidateId: string) => string, ids: { counts: string; table: string }) {
  const f = r.figures;
  return [
    h('p', { class: 'teller-counts', id: ids.counts }, `${tr('countPresent')} ${f.present}　${tr('countIssued')} ${f.issued}　${tr('countReturned')} ${f.returned}　${tr('countValid')} ${f.valid}　${tr('countInvalid')} ${f.invalid}`),
    table(
      [tr('candidate'), tr('for'), tr('against'), tr('abstain')],
      r.doc.result.candidates.map((c) => [name(c.candidateId), String(c.for), String(c.against), String(c.abstain)]),
      { id: ids.table },
    ),
  ];
}
