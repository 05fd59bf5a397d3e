/**
 * CSV files for the archive, each what a page or the log already shows, in a form a clerk files:
 *   GET /api/v1/notices/{id}/organisations.csv   a published list's organisations (public)
 *   GET /api/v1/ballots/{ballotId}/result.csv     a tallied ballot's counts and winners (public: logged)
 *   GET /api/v1/cycles/{cycleId}/objections.csv   the objection register (staff, supervisors), without
 *                                                 the objectors' identities, which never leave the system
 * PDF: every page prints on A4 (the notice, the 计票结果报告单, the 会议纪要), and `npm run print` renders
 * any of them to PDF with Chromium.
 * @module
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { newRouter, problemResponses } from '../openapi.js';
import { route } from '../auth/guard.js';
import { CycleId } from '../cycles/routes.js';
import { getCycle } from '../cycles/queries.js';
import { NoticeId } from '../notices/responses.js';
import { publicNotice } from '../notices/read.js';
import { noticeNotFound } from '../notices/rows.js';
import { BallotId } from '../votes/route-params.js';
import { getBallot } from '../votes/ballots.js';
import { AWARD_NAMES } from '../votes/rules.js';
import { DECISION_NAMES, listObjections } from '../objections/queries.js';
import { Problem } from '../errors.js';
import { attachment, toCsv } from './csv.js';
import type { AppEnv } from '../deps.js';

const csvContent = { 'text/csv': { schema: { type: 'string' as const } } };

function csvResponse(c: Context<AppEnv>, body: string, filename: string, fallback: string, cache: 'no-store' | 'no-cache') {
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': attachment(filename, fallback),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': cache,
  });
}

/** A file name from a title: what a file system refuses becomes 「_」. */
const fileName = (title: string, suffix: string) => `${title.replace(/[\\/:*?"<>|\r\n]+/g, '_').slice(0, 80)}${suffix}.csv`;

const STATUS_NAMES: Record<string, string> = { received: '已受理', verifying: '核查中', decided: '已作出结论', 'result-published': '已公布核查结果', published: '已公布' };

export const archiveRoutes = newRouter()
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/notices/{id}/organisations.csv',
      roles: ['public'],
      tags: ['notices'],
      summary: 'A published notice’s organisations as CSV for the archive (序号, 组织名称, 统一社会信用代码, 奖项)',
      request: { params: z.object({ id: NoticeId }) },
      responses: { 200: { description: 'CSV, UTF-8 with a byte-order mark', content: csvContent }, ...problemResponses(400, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const n = await publicNotice(c.env.deps, id, c.env.deps.clock.now());
      if (!n?.document) throw noticeNotFound(id);
      const rows = n.document.organisations.map((o, i) => [i + 1, o.name, o.code ?? '', o.award ? AWARD_NAMES[o.award].zh : '']);
      return csvResponse(c, toCsv(['序号', '组织名称', '统一社会信用代码', '奖项'], rows), fileName(n.document.title, '（名单）'), `${id}.csv`, 'no-cache');
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/ballots/{ballotId}/result.csv',
      roles: ['public'],
      tags: ['votes'],
      summary: 'A tallied ballot’s result as CSV for the archive: each candidate’s 同意/不同意/弃权, 回避, the attendance its rule counted, passed and elected',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 200: { description: 'CSV, UTF-8 with a byte-order mark', content: csvContent }, ...problemResponses(400, 404, 409) },
    }),
    async (c) => {
      const { ballotId } = c.req.valid('param');
      const b = await getBallot(c.env.deps.db, ballotId);
      if (b.phase !== 'tallied' || !b.result) throw new Problem('conflict', { en: `Ballot ${ballotId} is not tallied yet.`, zh: `投票 ${ballotId} 尚未计票。` });
      const r = b.result;
      const names = new Map(b.candidates.map((x) => [x.id, x.name]));
      const rows = r.candidates.map((x, i) => [i + 1, names.get(x.candidateId) ?? x.candidateId, x.for, x.against, x.abstain, x.recused ?? 0, x.present ?? r.present, x.passed ? '是' : '否', r.winners.includes(x.candidateId) ? '当选' : '']);
      const header = ['序号', '候选组织', '同意', '不同意', '弃权', '回避', '表决人数', '达到通过规则', '结果'];
      return csvResponse(c, toCsv(header, rows), fileName(b.title, '（计票结果）'), `${ballotId}-result.csv`, 'no-cache');
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/objections.csv',
      roles: ['staff', 'supervisor'],
      tags: ['objections'],
      summary: 'The cycle’s objection register as CSV for the archive (no objector identities), soonest due first',
      request: { params: z.object({ cycleId: CycleId }) },
      responses: { 200: { description: 'CSV, UTF-8 with a byte-order mark', content: csvContent }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      const deps = c.env.deps;
      const cycle = await getCycle(deps.db, cycleId);
      const list = await listObjections(deps.db, deps.clock.now(), { cycleId });
      const rows = list.map((o) => [
        o.trackingNo,
        o.receivedDate,
        o.noticeId,
        o.organisation,
        o.kind === 'unit' ? '单位' : '个人',
        o.dueDate,
        o.workingDaysLeft ?? '',
        o.overdue ? '已逾期' : '',
        o.assignedUnits.join('；'),
        STATUS_NAMES[o.status] ?? o.status,
        o.decision ? DECISION_NAMES[o.decision] : '',
        o.resultNoticeId ?? '',
        o.receiptLogIndex,
      ]);
      const header = ['受理编号', '收到日期', '所涉公示', '所涉组织', '异议人类别', '核查截止日', '剩余工作日', '逾期', '核查单位', '状态', '核查结论', '核查结果公告', '受理记录日志序号'];
      return csvResponse(c, toCsv(header, rows), `${cycle.name}异议登记表.csv`, `${cycleId}-objections.csv`, 'no-store');
    },
  );
