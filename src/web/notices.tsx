// The public pages: the notice board, a notice (verified in the browser against the public log), the
// objection form, its printable receipt, and the status look-up.
import { limitText } from '../http/sizes.js';
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';
import { listNotices, type NoticeView } from '../notices/views.js';
import { publicNotice, publicNoticeWithReceipts } from '../notices/read.js';
import { NOTICE_ID } from '../notices/responses.js';
import { verifierKeyOf } from '../log/checkpoint.js';
import { Layout, beijing, jsonBlock, langOf, render, timeLeft } from './layout.js';
import { AWARD_LABEL, t, type Lang } from './page-text.js';
import { NO_EVIDENCE_ZH } from '../objections/objector.js';
import { chineseDate, objectionRules } from '../notices/intake-details.js';
import { NOTICE_TYPES, NOTICE_TYPE_NAMES, type IntakeDetails } from '../notices/model.js';
import { listCycles } from '../cycles/queries.js';
import { CycleId } from '../cycles/routes.js';
import { z } from '@hono/zod-openapi';


/** A notice's time as notices print it: 2026年3月2日 10:00 in Chinese, 2026-03-02 10:00 in English. */
function noticeTime(lang: Lang, iso: string | null): string {
  const at = beijing(iso);
  return lang === 'zh' ? at.replace(/^(\d{4}-\d{2}-\d{2})/, (d) => chineseDate(d)) : at;
}

function WindowLine(p: { lang: Lang; n: NoticeView; now: Date }) {
  const w = p.n.window;
  if (!w) return null;
  const left = timeLeft(p.lang, w.closesAt, p.now);
  return (
    <dl class="facts">
      <dt>{t(p.lang, 'window')}</dt>
      <dd>
        {p.lang === 'zh' ? (
          // Notices date their window as a printed notice does: 2026年3月2日至2026年3月10日.
          t(p.lang, 'windowRange', { start: chineseDate(w.start), end: chineseDate(w.end), days: w.workingDays })
        ) : (
          <>
            {t(p.lang, 'windowRange', { start: w.start, end: w.end, days: w.workingDays })}
            <span class="print-only">（{chineseDate(w.start)}至{chineseDate(w.end)}）</span>
          </>
        )}
      </dd>
      <dt class="no-print">{t(p.lang, 'timeLeft')}</dt>
      <dd class="no-print">
        {p.n.open ? (
          <strong class="open" data-closes-at={w.closesAt} data-now={p.now.toISOString()}>
            {left}
          </strong>
        ) : p.n.correctedBy.length ? (
          <span class="closed">{t(p.lang, 'noticeCorrected')}</span>
        ) : (
          <span class="closed">{t(p.lang, 'closedOn', { end: w.end })}</span>
        )}
      </dd>
    </dl>
  );
}

/** 异议须知 and the intake details, as every windowed list prints them (fixed wording, then the office). */
function IntakeBlock(p: { lang: Lang; intake: IntakeDetails; window: { start: string; end: string } }) {
  const i = p.intake;
  const row = (k: Parameters<typeof t>[1], v: string | undefined) =>
    v ? (
      <>
        <dt>{t(p.lang, k)}</dt>
        <dd>{v}</dd>
      </>
    ) : null;
  return (
    <section aria-labelledby="objection-rules" class="objection-rules">
      <h2 id="objection-rules">{t(p.lang, 'noticeRules')}</h2>
      {objectionRules(p.window).map((para, k) => (
        <p>
          {k + 1}. {para}
        </p>
      ))}
      <dl class="facts intake">
        {row('intakeUnit', i.unit)}
        {row('intakeContact', i.contactPerson)}
        {row('intakePhone', i.phone)}
        {row('intakeAddress', i.address)}
        {row('intakePostcode', i.postcode)}
        {row('intakeEmail', i.email)}
        {row('intakeFax', i.fax)}
      </dl>
    </section>
  );
}

function typeName(lang: Lang, n: NoticeView) {
  return n.typeName[lang];
}

function NoticeItem(p: { lang: Lang; n: NoticeView; now: Date }) {
  const n = p.n;
  return (
    <li class="notice-item">
      <h3>
        <a href={`/notices/${n.id}`}>{n.title}</a>
      </h3>
      <p class="meta">
        {/* A notice without a window has no state to show: its kind is printed once, as the others' is. */}
        {n.window ? (
          <>
            <span class={`badge ${n.open ? 'badge-open' : 'badge-closed'}`}>
              {n.open ? t(p.lang, 'noticesOpen') : n.correctedBy.length ? t(p.lang, 'badgeCorrected') : t(p.lang, 'noticesClosed')}
            </span>{' '}
          </>
        ) : null}
        {typeName(p.lang, n)} · {t(p.lang, 'publishedAt')} {noticeTime(p.lang, n.publishedAt)}
      </p>
      <WindowLine lang={p.lang} n={n} now={p.now} />
    </li>
  );
}

// The board's search: by cycle, kind, state and organisation (name or 统一社会信用代码), as a GET form
// so that a search is a link that can be shared. A value the form cannot have produced is left out
// and said so, never an error page.
const BoardQuery = z.object({
  cycle: CycleId.optional().catch(undefined),
  kind: z.enum(NOTICE_TYPES).optional().catch(undefined),
  state: z.enum(['open', 'closed', 'other']).optional().catch(undefined),
  org: z.string().trim().max(100).optional().catch(undefined),
});
type BoardQuery = z.infer<typeof BoardQuery>;

function boardQuery(c: Context<AppEnv>): { query: BoardQuery; leftOut: boolean } {
  const raw = Object.fromEntries(['cycle', 'kind', 'state', 'org'].map((k) => [k, c.req.query(k) || undefined]));
  const query = BoardQuery.parse(raw);
  const leftOut = Object.entries(raw).some(([k, v]) => v !== undefined && query[k as keyof BoardQuery] === undefined);
  return { query, leftOut };
}

const mentions = (n: NoticeView, org: string) => {
  const needle = org.toLowerCase();
  return n.title.toLowerCase().includes(needle) || n.organisations.some((o) => o.name.toLowerCase().includes(needle) || (o.code ?? '').toLowerCase() === needle);
};

function BoardSearch(p: { lang: Lang; query: BoardQuery; cycles: { id: string; name: string }[] }) {
  const q = p.query;
  const option = (value: string, label: string, chosen: string | undefined) => (
    <option value={value} selected={chosen === value}>
      {label}
    </option>
  );
  return (
    <form class="board-search no-print" method="get" action="/notices" role="search" aria-labelledby="board-search">
      <h2 id="board-search">{t(p.lang, 'boardFilter')}</h2>
      <label>
        {t(p.lang, 'cycle')}
        <select name="cycle">
          {option('', t(p.lang, 'boardFilterAll'), q.cycle ?? '')}
          {p.cycles.map((cy) => option(cy.id, cy.name, q.cycle))}
        </select>
      </label>
      <label>
        {t(p.lang, 'boardFilterKind')}
        <select name="kind">
          {option('', t(p.lang, 'boardFilterAll'), q.kind ?? '')}
          {NOTICE_TYPES.map((k) => option(k, NOTICE_TYPE_NAMES[k][p.lang], q.kind))}
        </select>
      </label>
      <label>
        {t(p.lang, 'boardFilterState')}
        <select name="state">
          {option('', t(p.lang, 'boardFilterAll'), q.state ?? '')}
          {option('open', t(p.lang, 'noticesOpen'), q.state)}
          {option('closed', t(p.lang, 'noticesClosed'), q.state)}
          {option('other', t(p.lang, 'noticesOther'), q.state)}
        </select>
      </label>
      <label>
        {t(p.lang, 'boardFilterOrganisation')}
        <input type="search" name="org" maxlength={100} value={q.org ?? ''} />
      </label>
      <button type="submit">{t(p.lang, 'boardFilterApply')}</button> <a href="/notices">{t(p.lang, 'boardFilterClear')}</a>
    </form>
  );
}

export async function noticeBoard(c: Context<AppEnv>) {
  const lang = langOf(c);
  const { db, clock } = c.env.deps;
  const now = clock.now();
  const { query, leftOut } = boardQuery(c);
  const [found, cycles] = await Promise.all([listNotices(db, now, { limit: 500, cycleId: query.cycle, type: query.kind }), listCycles(db)]);
  const all = query.org ? found.filter((n) => mentions(n, query.org!)) : found;
  const open = all.filter((n) => n.open);
  const closed = all.filter((n) => !n.open && n.window);
  const other = all.filter((n) => !n.window);
  const searching = Boolean(query.cycle || query.kind || query.state || query.org);
  const shown = (state: 'open' | 'closed' | 'other') => !query.state || query.state === state;
  const section = (title: string, id: string, list: NoticeView[]) => (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} <span class="count">({list.length})</span>
      </h2>
      {list.length === 0 ? <p class="muted">{t(lang, 'noNotices')}</p> : <ul class="notice-list">{list.map((n) => <NoticeItem lang={lang} n={n} now={now} />)}</ul>}
    </section>
  );
  const count = (shown('open') ? open.length : 0) + (shown('closed') ? closed.length : 0) + (shown('other') ? other.length : 0);
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'noticesTitle')} path="/notices" script="common">
      <h1>{t(lang, 'noticesTitle')}</h1>
      <p class="lead">{t(lang, 'noticesIntro')}</p>
      <BoardSearch lang={lang} query={query} cycles={cycles.map((cy) => ({ id: cy.id, name: cy.name }))} />
      {leftOut ? (
        <p class="alert" role="alert">
          {t(lang, 'boardFilterInvalid')}
        </p>
      ) : null}
      {searching ? (
        <p class="board-found" role="status">
          {t(lang, 'boardFilterFound', { n: count })}
        </p>
      ) : null}
      {shown('open') ? section(t(lang, 'noticesOpen'), 'open-notices', open) : null}
      {shown('closed') ? section(t(lang, 'noticesClosed'), 'closed-notices', closed) : null}
      {shown('other') ? section(t(lang, 'noticesOther'), 'other-notices', other) : null}
    </Layout>,
  );
}

async function publishedNotice(c: Context<AppEnv>): Promise<NoticeView | null> {
  const id = c.req.param('id') ?? '';
  if (!NOTICE_ID.test(id)) return null;
  const n = await publicNotice(c.env.deps, id, c.env.deps.clock.now());
  return n?.document ? n : null;
}

function notFoundPage(c: Context<AppEnv>, lang: Lang) {
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'notFoundTitle')} path={c.req.path}>
      <h1>{t(lang, 'notFoundTitle')}</h1>
      <p>
        <a href="/notices">{t(lang, 'noticesTitle')}</a>
      </p>
    </Layout>,
    404,
  );
}

export async function noticePage(c: Context<AppEnv>) {
  const lang = langOf(c);
  const deps = c.env.deps;
  const now = deps.clock.now();
  const id = c.req.param('id') ?? '';
  const found = NOTICE_ID.test(id) ? await publicNoticeWithReceipts(deps, id, now) : null;
  if (!found?.notice.document) return notFoundPage(c, lang);
  const { notice: n, receipts } = found;
  const doc = n.document!;
  const paragraphs = doc.body.split(/\n+/);
  // Linked notices are named by their titles, as a printed notice would.
  const linked = [...(doc.corrects ? [doc.corrects.id] : []), ...n.correctedBy];
  const titles = new Map(
    linked.length ? (await deps.db.selectFrom('notice').select(['id', 'title']).where('id', 'in', linked).execute()).map((r) => [r.id, r.title]) : [],
  );
  // The code column only when the list gives codes (a cycle without a register may not).
  const withCodes = doc.organisations.some((o) => o.code);
  return render(
    c,
    <Layout lang={lang} title={doc.title} path={c.req.path} script="notice">
      <article class="notice" id="notice" data-log-index={String(n.logIndex)} data-log-key={verifierKeyOf(deps.keys.logSignerKey)} data-log-prefix={deps.config.LOG_PREFIX}>
        <p class="kicker">{lang === 'zh' ? doc.typeName : `${typeName(lang, n)} · ${doc.typeName}`}</p>
        <h1 data-doc-field="title">{doc.title}</h1>
        <div class="verify no-print" id="verify" role="status" aria-live="polite">
          <span class="verify-mark pending">{t(lang, 'verifying')}</span>
        </div>
        <dl class="facts">
          <dt>{t(lang, 'issuer')}</dt>
          <dd data-doc-field="issuer">{doc.issuer}</dd>
          <dt>{t(lang, 'publishedAt')}</dt>
          <dd>{noticeTime(lang, doc.publishedAt)}</dd>
          {doc.corrects ? (
            <>
              <dt>{t(lang, 'corrects')}</dt>
              <dd>
                <a href={`/notices/${doc.corrects.id}`}>{titles.get(doc.corrects.id) ?? doc.corrects.id}</a>
              </dd>
            </>
          ) : null}
          {n.correctedBy.length ? (
            <>
              <dt>{t(lang, 'correctedBy')}</dt>
              <dd>
                {n.correctedBy.map((id) => (
                  <a href={`/notices/${id}`}>{titles.get(id) ?? id} </a>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
        <WindowLine lang={lang} n={n} now={now} />
        <div class="notice-body" data-doc-field="body">
          {paragraphs.map((para) => (
            <p>{para}</p>
          ))}
        </div>
        {doc.organisations.length ? (
          <section aria-labelledby="orgs">
            <h2 id="orgs">{t(lang, 'organisations')}</h2>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t(lang, 'orgName')}</th>
                  {withCodes ? <th scope="col">{t(lang, 'orgCode')}</th> : null}
                  <th scope="col">{t(lang, 'award')}</th>
                </tr>
              </thead>
              <tbody>
                {doc.organisations.map((o, i) => (
                  <tr>
                    <td>{i + 1}</td>
                    <td data-doc-org={String(i)}>{o.name}</td>
                    {withCodes ? <td class="mono">{o.code ?? ''}</td> : null}
                    <td>{o.award ? AWARD_LABEL[o.award]![lang] : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {doc.objections?.length ? (
          <section aria-labelledby="results">
            <h2 id="results">{t(lang, 'decision')}</h2>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t(lang, 'trackingNo')}</th>
                  <th scope="col">{t(lang, 'objectTo')}</th>
                  <th scope="col">{t(lang, 'decision')}</th>
                  <th scope="col">{t(lang, 'resultSummary')}</th>
                </tr>
              </thead>
              <tbody>
                {doc.objections.map((o) => (
                  <tr>
                    <td class="mono">{o.trackingNo}</td>
                    <td>{o.organisation}</td>
                    <td>{t(lang, `dec_${o.decision}`)}</td>
                    <td>
                      {o.summary}
                      {o.noEvidence ? <span class="no-evidence">（{NO_EVIDENCE_ZH}）</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {doc.window && doc.intake ? <IntakeBlock lang={lang} intake={doc.intake} window={doc.window} /> : null}
        {doc.signOff ? (
          <div class="sign-off">
            <p>{doc.signOff.issuer}</p>
            <p>{doc.signOff.date}</p>
          </div>
        ) : null}
        {n.open ? (
          <p class="no-print">
            <a class="button primary" href={`/notices/${n.id}/objection`}>
              {t(lang, 'objectNow')}
            </a>
          </p>
        ) : null}
        {receipts.length ? (
          <section aria-labelledby="receipts" class="no-print">
            <h2 id="receipts">{t(lang, 'receiptsTitle')}</h2>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t(lang, 'trackingNo')}</th>
                  <th scope="col">{t(lang, 'receivedDate')}</th>
                  <th scope="col">{t(lang, 'dueDate')}</th>
                  <th scope="col">{t(lang, 'status')}</th>
                </tr>
              </thead>
              <tbody>
                {receipts.map((r) => (
                  <tr>
                    <td class="mono">{r.trackingNo}</td>
                    <td>{r.receivedDate}</td>
                    <td>
                      {r.dueDate}
                      {r.provisionalNote ? <span class="provisional">（{r.provisionalNote[lang]}）</span> : null}
                    </td>
                    <td>{r.resultPublished ? t(lang, 'resultPublished') : r.overdue ? t(lang, 'overdue') : t(lang, 'st_received')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        <details class="proof no-print">
          <summary>{t(lang, 'verifyTitle')}</summary>
          <dl class="facts">
            <dt>{t(lang, 'logIndex')}</dt>
            <dd class="mono">{String(n.logIndex)}</dd>
            <dt>{t(lang, 'documentHash')}</dt>
            <dd class="mono break">{n.documentHash}</dd>
            <dt>{t(lang, 'logKey')}</dt>
            <dd class="mono break">{verifierKeyOf(deps.keys.logSignerKey)}</dd>
          </dl>
        </details>
        <script type="application/json" id="notice-document" dangerouslySetInnerHTML={{ __html: jsonBlock(doc) }}></script>
      </article>
    </Layout>,
  );
}

export async function objectionFormPage(c: Context<AppEnv>) {
  const lang = langOf(c);
  const n = await publishedNotice(c);
  if (!n || !n.window) return notFoundPage(c, lang);
  const doc = n.document!;
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'objectionTitle')} path={c.req.path} script="objection">
      <h1>{t(lang, 'objectionTitle')}</h1>
      <p class="kicker">
        <a href={`/notices/${n.id}`}>{doc.title}</a>
      </p>
      <WindowLine lang={lang} n={n} now={c.env.deps.clock.now()} />
      {!n.open ? (
        <p class="alert alert-warn">{t(lang, 'objectionClosed')}</p>
      ) : (
        <form id="objection-form" class="form" data-notice-id={n.id} enctype="multipart/form-data" method="post" action={`/api/v1/notices/${n.id}/objections`}>
          <p>{t(lang, 'objectionIntro')}</p>
          <fieldset>
            <legend>{t(lang, 'objectorKind')}</legend>
            <label class="choice">
              <input type="radio" name="kind" value="person" checked /> {t(lang, 'kindPerson')}
            </label>
            <label class="choice">
              <input type="radio" name="kind" value="unit" /> {t(lang, 'kindUnit')}
            </label>
          </fieldset>
          <label for="f-name">{t(lang, 'objectorName')}</label>
          <input id="f-name" name="name" required maxlength={200} autocomplete="name" />
          <fieldset id="person-identity" data-kind="person">
            <legend>{t(lang, 'personIdentity')}</legend>
            <label for="f-id">{t(lang, 'idNumber')}</label>
            <input id="f-id" name="idNumber" maxlength={18} minlength={18} pattern="[0-9]{17}[0-9Xx]" autocomplete="off" class="mono" />
            <label for="f-signature">{t(lang, 'signature')}</label>
            <input id="f-signature" name="signature" maxlength={200} autocomplete="off" />
          </fieldset>
          <fieldset id="unit-identity" data-kind="unit" disabled>
            <legend>{t(lang, 'unitIdentity')}</legend>
            <label for="f-credit">{t(lang, 'creditCode')}</label>
            <input id="f-credit" name="creditCode" maxlength={18} minlength={18} autocomplete="off" class="mono" />
            <label for="f-contact-person">{t(lang, 'contactPerson')}</label>
            <input id="f-contact-person" name="contactPerson" maxlength={200} />
          </fieldset>
          <label for="f-letter">{t(lang, 'letter')}</label>
          <input id="f-letter" name="letter" type="file" accept=".pdf,.png,.jpg,.jpeg,.ofd,application/pdf,image/png,image/jpeg" />
          <p class="muted small">{t(lang, 'identityPrivate')}</p>
          <label for="f-contact">{t(lang, 'contact')}</label>
          <input id="f-contact" name="contact" required maxlength={500} />
          <label for="f-org">{t(lang, 'objectTo')}</label>
          <select id="f-org" name="organisation" required>
            {doc.organisations.map((o) => (
              <option value={o.name}>{o.name}</option>
            ))}
          </select>
          <label for="f-facts">{t(lang, 'facts')}</label>
          <textarea id="f-facts" name="facts" required rows={5}></textarea>
          <label for="f-reasons">{t(lang, 'reasons')}</label>
          <textarea id="f-reasons" name="reasons" required rows={4}></textarea>
          <label for="f-files">{t(lang, 'evidence')}</label>
          <input id="f-files" name="files" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.docx,.ofd,application/pdf,image/png,image/jpeg" aria-describedby="evidence-limits" />
          <p class="muted small" id="evidence-limits">
            {t(lang, 'evidenceLimits', { file: limitText(c.env.deps.config.EVIDENCE_FILE_LIMIT_BYTES)[lang], total: limitText(c.env.deps.config.EVIDENCE_TOTAL_LIMIT_BYTES)[lang] })}
          </p>
          <label class="choice">
            <input type="checkbox" name="noEvidence" value="true" /> {t(lang, 'noEvidence')}
          </label>
          <label class="choice">
            <input type="checkbox" name="declaration" value="true" required /> {t(lang, 'declaration')}
          </label>
          <div id="form-error" class="alert alert-error" role="alert" hidden></div>
          <button type="submit" class="primary">
            {t(lang, 'submit')}
          </button>
        </form>
      )}
    </Layout>,
  );
}

/** The printable receipt: shown from this tab's sessionStorage (the access code never goes in a URL). */
export function receiptPage(c: Context<AppEnv>) {
  const lang = langOf(c);
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'receiptTitle')} path={c.req.path} script="objection">
      <div id="receipt" class="receipt" data-page="receipt">
        <h1>{t(lang, 'receiptTitle')}</h1>
        <noscript>{t(lang, 'needScript')}</noscript>
      </div>
    </Layout>,
  );
}

export function statusPage(c: Context<AppEnv>) {
  const lang = langOf(c);
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'statusTitle')} path={c.req.path} script="objection">
      <h1>{t(lang, 'statusTitle')}</h1>
      <p>{t(lang, 'statusIntro')}</p>
      <form id="status-form" class="form narrow">
        <label for="s-no">{t(lang, 'trackingNo')}</label>
        <input id="s-no" name="trackingNo" required autocomplete="off" class="mono" />
        <label for="s-code">{t(lang, 'accessCode')}</label>
        <input id="s-code" name="accessCode" required autocomplete="off" class="mono" />
        <button type="submit" class="primary">
          {t(lang, 'lookUp')}
        </button>
      </form>
      <div id="status-result" role="status" aria-live="polite"></div>
    </Layout>,
  );
}
