// The papers the meeting files, print-ready on A4 in the official layout: the 计票结果报告单 of a vote
// and the 会议纪要 of the meeting. Each carries the log index and document hash of what it prints and a
// QR code of the entry's verification address, so the signed paper in the archive can be checked
// against the public log. `npm run print` renders them to PDF with Chromium.
import type { Context } from 'hono';
import encodeQR from 'qr';
import type { AppEnv } from '../deps.js';
import { Problem } from '../errors.js';
import { getEntry } from '../log/index.js';
import { tallySheet, minutesDocument } from '../votes/report.js';
import { Layout, beijing, render } from './layout.js';

type Sheet = Awaited<ReturnType<typeof tallySheet>>;

const KIND_ZH = { secret: '无记名投票', 'show-of-hands': '举手表决' } as const;

/** The address anyone opens to fetch the entry, its document and its inclusion proof. */
const entryUrl = (c: Context, index: number) => `${new URL(c.req.url).origin}/api/v1/log/entries/${index}`;

function Qr(p: { text: string; label: string }) {
  // Inline SVG in HTML needs no namespace declaration: the page names no outside address but its own.
  const svg = encodeQR(p.text, 'svg', { ecc: 'medium', border: 2 }).replace(/ xmlns="[^"]*"/, '');
  return (
    <figure class="qr">
      <span class="qr-code" role="img" aria-label={p.label} dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption>{p.text}</figcaption>
    </figure>
  );
}

function SignatureLines(p: { roles: { role: string; names?: string[] }[] }) {
  return (
    <table class="signatures">
      <tbody>
        {p.roles.map((r) => (
          <tr>
            <th scope="row">{r.role}（签字）：</th>
            <td class="sign-line">{r.names?.length ? <span class="muted">{r.names.join('、')}</span> : null}</td>
            <th scope="row">日期：</th>
            <td class="date-line">　　年　　月　　日</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LogReference(p: { c: Context; index: number; hash: string; what: string }) {
  return (
    <section class="log-ref" aria-label="日志核验">
      <div>
        <p>
          {p.what}已记入公开日志：<strong id="log-index">第 {p.index} 条</strong>
        </p>
        <p>
          文档哈希（SHA-256）：<code id="doc-hash">{p.hash}</code>
        </p>
        <p class="muted">核验方法：扫描二维码或访问右侧地址，取得该条目及其包含证明，比对文档哈希与本页所载一致。</p>
      </div>
      <Qr text={entryUrl(p.c, p.index)} label={`日志第 ${p.index} 条核验地址二维码`} />
    </section>
  );
}

export async function tallySheetPage(c: Context<AppEnv>) {
  const id = c.req.param('id')!;
  if (!/^b_[A-Za-z0-9_-]{12}$/.test(id)) throw new Problem('not-found', { en: `No ballot ${id}.`, zh: `没有投票 ${id}。` });
  const s: Sheet = await tallySheet(c.env.deps.db, id);
  const role = { counter: '计票人', scrutineer: '监票人' } as const;
  const passed = (r: Sheet['candidates'][number]) => (s.winners.some((w) => w.candidateId === r.candidateId) ? '当选' : r.passed ? '通过（名额已满或待决选）' : '未通过');
  return render(
    c,
    <Layout lang="zh" title={`${s.title || s.awardName.zh}计票结果报告单`} path={c.req.path} kiosk>
      <article class="paper" id="tally-sheet">
        <header class="paper-head">
          <p class="paper-org">杭州市政府质量奖评审组</p>
          <h1>计票结果报告单</h1>
          <p class="paper-sub">{s.meetingTitle}</p>
        </header>
        <table class="paper-table facts">
          <tbody>
            <tr>
              <th scope="row">表决事项</th>
              <td>{s.title || `${s.awardName.zh}表决`}（{s.awardName.zh}）</td>
              <th scope="row">表决方式</th>
              <td>{KIND_ZH[s.kind]}</td>
            </tr>
            <tr>
              <th scope="row">名额</th>
              <td>{s.seats} 名</td>
              <th scope="row">投票编号</th>
              <td>
                <code>{s.ballotId}</code>
              </td>
            </tr>
            <tr>
              <th scope="row">表决办法</th>
              <td colspan={3} id="rules-text">
                {s.rulesText.zh}
              </td>
            </tr>
          </tbody>
        </table>
        <table class="paper-table counts" id="counts">
          <thead>
            <tr>
              <th scope="col">应到</th>
              <th scope="col">实到</th>
              <th scope="col">发出</th>
              <th scope="col">收回</th>
              <th scope="col">有效</th>
              <th scope="col">无效</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{s.counts.expected}</td>
              <td>{s.counts.present}</td>
              <td>{s.counts.issued}</td>
              <td>{s.counts.returned}</td>
              <td>{s.counts.valid}</td>
              <td>{s.counts.invalid}</td>
            </tr>
          </tbody>
        </table>
        <p class="note">注：无效票为 0——服务器不接受超额或不完整的选票，投票人当场得到提示并可重新投票。</p>
        <table class="paper-table candidates" id="candidate-counts">
          <thead>
            <tr>
              <th scope="col">序号</th>
              <th scope="col">候选组织</th>
              <th scope="col">同意</th>
              <th scope="col">不同意</th>
              <th scope="col">弃权</th>
              <th scope="col">回避</th>
              <th scope="col">计票基数</th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {s.candidates.map((r, i) => (
              <tr>
                <td>{i + 1}</td>
                <td class="name">{r.name}</td>
                <td>{r.for}</td>
                <td>{r.against}</td>
                <td>{r.abstain}</td>
                <td>{r.recused ?? 0}</td>
                <td>{r.present ?? s.counts.present}</td>
                <td>{passed(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p id="winners">
          当选：{s.winners.length ? s.winners.map((w) => w.name).join('、') : '无'}
          {s.vacancies ? `；空缺 ${s.vacancies} 名` : ''}
          {s.runoff ? `；${s.runoff.names.join('、')} 同意票相同，须就剩余 ${s.runoff.seats} 个名额决选` : ''}
        </p>
        {s.recusals.length ? (
          <p id="recusals">
            回避：
            {s.recusals.map((r) => `${r.name}（对${r.candidateName}，${r.declaredBy === 'chair' ? '主持人决定' : '本人申请'}，日志第 ${r.logIndex} 条）`).join('；')}
          </p>
        ) : null}
        <section class="confirmations" aria-label="计票人、监票人电子确认">
          <h2>计票人、监票人电子确认</h2>
          {s.confirmations.length ? (
            <table class="paper-table" id="confirmations">
              <thead>
                <tr>
                  <th scope="col">身份</th>
                  <th scope="col">姓名</th>
                  <th scope="col">单位</th>
                  <th scope="col">确认时间（北京时间）</th>
                  <th scope="col">日志序号</th>
                </tr>
              </thead>
              <tbody>
                {s.confirmations.map((x) => (
                  <tr>
                    <td>{role[x.role]}</td>
                    <td>{x.name}</td>
                    <td>{x.unit}</td>
                    <td>{beijing(x.confirmedAt)}</td>
                    <td>第 {x.logIndex} 条</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">尚无确认。</p>
          )}
          <p class="muted">每项确认为该计票人或监票人平板设备密钥（Ed25519）对本结果日志条目序号与文档哈希的签名；监督小组成员担任监票人的，为其在监督页面登记的设备密钥的签名。</p>
        </section>
        <SignatureLines
          roles={[
            { role: '计票人', names: s.counters.map((t) => t.name) },
            { role: '监票人', names: [...s.scrutineers.map((t) => t.name), ...s.supervisorScrutineers.map((t) => `${t.name}（监督小组）`)] },
            { role: '主持人', names: s.chair ? [s.chair.name] : [] },
            { role: '记录人' },
          ]}
        />
        <LogReference c={c} index={s.resultLogIndex} hash={s.resultDocHash} what="本表决结果" />
      </article>
    </Layout>,
  );
}

export async function minutesPage(c: Context<AppEnv>) {
  const id = c.req.param('id')!;
  if (!/^mt_[A-Za-z0-9_-]{12}$/.test(id)) throw new Problem('not-found', { en: `No meeting ${id}.`, zh: `没有会议 ${id}。` });
  const db = c.env.deps.db;
  const m = await minutesDocument(db, id);
  const row = await db.selectFrom('meeting').select('minutes_log_index').where('id', '=', id).executeTakeFirst();
  const entry = row?.minutes_log_index != null ? await getEntry(db, Number(row.minutes_log_index)) : null;
  const adoption = m.procedure?.adoption;
  return render(
    c,
    <Layout lang="zh" title={`${m.title}会议纪要`} path={c.req.path} kiosk>
      <article class="paper" id="minutes">
        <header class="paper-head">
          <p class="paper-org">杭州市政府质量奖评审组</p>
          <h1>会议纪要</h1>
          <p class="paper-sub">{m.title}</p>
        </header>
        {entry ? null : <p class="draft">草稿：会议结束时记入公开日志，此前内容可能变化。</p>}
        <p>
          会议于 {beijing(m.openedAt)} 开始{m.closedAt ? `，${beijing(m.closedAt)} 结束` : ''}（北京时间）。应到成员 {m.membersTotal} 人，实到 {m.checkedIn} 人。
          {m.chair ? `主持人：${m.chair.name}。` : ''}
        </p>
        <p>出席：{m.attendees.map((a) => `${a.name}（${a.unit}）`).join('、') || '无'}。</p>
        {m.absent.length ? <p>缺席：{m.absent.map((a) => `${a.name}（${a.unit}）`).join('、')}。</p> : null}
        <h2>一、表决办法</h2>
        {m.procedure ? (
          <p id="procedure">
            {m.procedure.rulesText}。计票人：{m.procedure.counters.join('、') || '无'}；监票人：{m.procedure.scrutineers.join('、') || '无'}。
            {adoption
              ? adoption.mode === 'hands'
                ? `经出席成员举手表决（平板签名），同意 ${adoption.for} 人、不同意 ${adoption.against} 人、弃权 ${adoption.abstain} 人，${adoption.adopted ? '通过' : '未通过'}（日志第 ${adoption.logIndex} 条）。`
                : `经主持人记录举手表决结果，同意 ${adoption.for} 人、不同意 ${adoption.against} 人、弃权 ${adoption.abstain} 人，监督小组 ${adoption.confirmedBy ?? ''} 确认，${adoption.adopted ? '通过' : '未通过'}（日志第 ${adoption.logIndex} 条）。`
              : '尚未表决。'}
          </p>
        ) : (
          <p>未提出表决办法。</p>
        )}
        <h2>二、表决事项及结果</h2>
        <ol class="votes">
          {m.votes.map((v) => (
            <li>
              {v.title || v.award}（{KIND_ZH[v.kind]}，名额 {v.seats} 名{v.present !== null ? `，出席 ${v.present} 人` : ''}）：
              {v.phase === 'tallied' ? `当选 ${v.winners.join('、') || '无'}${v.runoff ? `；${v.runoff.join('、')} 票数相同，须决选` : ''}` : '尚未计票'}
              {v.recusals.length ? `；回避：${v.recusals.map((r) => `${r.name}（对${r.candidateName}）`).join('、')}` : ''}
              {v.confirmations.length ? `；计票确认：${v.confirmations.map((x) => `${x.role === 'counter' ? '计票人' : '监票人'}${x.name}`).join('、')}` : ''}
              {v.confirmations.some((x) => x.confirmedAt) ? `（确认时间依次为 ${v.confirmations.map((x) => beijing(x.confirmedAt)).join('、')}）` : ''}
              {v.resultLogIndex !== null ? `（日志第 ${v.resultLogIndex} 条）` : ''}
            </li>
          ))}
        </ol>
        <SignatureLines roles={[{ role: '主持人', names: m.chair ? [m.chair.name] : [] }, { role: '记录人' }]} />
        {entry ? <LogReference c={c} index={entry.index} hash={entry.docHash} what="本会议纪要" /> : null}
      </article>
    </Layout>,
  );
}
