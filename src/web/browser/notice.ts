// A notice page: "已在公开日志中验证" computed here, in the browser. The document this page shows is
// hashed (canonical JSON, SHA-256), that hash must be the one in log entry `data-log-index`, the entry
// must be in the tree of a checkpoint signed by the log key pinned in `data-log-key`, and what the
// page displays must be that document.
import { $, h, replace, tr, colon } from './dom.js';
import { hashOf, verifyEntry, VerifyError } from './logverify.js';
import { startCountdowns } from './countdown.js';
import type { DocumentOf } from '../../log/documents/index.js';

/** The notice as the log's schema defines it. */
type NoticeDoc = DocumentOf<'notice'>;

const norm = (s: string) => s.replace(/\s+/g, '');

/** What the page shows must be the document it hashes. */
function shownMatches(doc: NoticeDoc): boolean {
  const text = (sel: string) => norm($(sel)?.textContent ?? '');
  if (text('[data-doc-field="title"]') !== norm(doc.title)) return false;
  if (text('[data-doc-field="issuer"]') !== norm(doc.issuer)) return false;
  if (text('[data-doc-field="body"]') !== norm(doc.body)) return false;
  const orgs = [...document.querySelectorAll('[data-doc-org]')].map((e) => norm(e.textContent ?? ''));
  return orgs.length === doc.organisations.length && doc.organisations.every((o, i) => orgs[i] === norm(o.name));
}

async function verify(box: HTMLElement, article: HTMLElement, attempt = 0): Promise<void> {
  const show = (ok: boolean, detail: string) => {
    box.dataset.verified = ok ? 'true' : 'false';
    replace(
      box,
      h('span', { class: `verify-mark ${ok ? 'ok' : 'bad'}` }, ok ? `✓ ${tr('verified')}` : `✗ ${tr('notVerified')}`),
      h('span', { class: 'verify-detail' }, detail),
    );
  };
  try {
    const raw = $('#notice-document')?.textContent ?? 'null';
    const doc = JSON.parse(raw) as NoticeDoc;
    const index = Number(article.dataset.logIndex);
    const v = await verifyEntry({ logKey: article.dataset.logKey!, prefix: article.dataset.logPrefix ?? '/log', index });
    if (hashOf(doc) !== v.entry.doc) throw new VerifyError('docMismatch');
    if (v.document !== null && hashOf(v.document) !== hashOf(doc)) throw new VerifyError('docMismatch');
    if (!shownMatches(doc)) throw new VerifyError('shownMismatch');
    const witnesses = v.checkpoint.cosigners.length ? ` ${tr('cosignedBy')}${colon}${v.checkpoint.cosigners.join(', ')}` : '';
    show(true, tr('verifiedDetail', { size: v.checkpoint.size, index }) + witnesses);
  } catch (e) {
    if (e instanceof VerifyError && e.reason === 'notLogged' && attempt < 5) {
      replace(box, h('span', { class: 'verify-mark pending' }, tr('notLogged')));
      setTimeout(() => void verify(box, article, attempt + 1), 1500);
      return;
    }
    const reason = e instanceof VerifyError ? tr(e.reason) : e instanceof Error ? e.message : String(e);
    show(false, reason);
    console.warn('notice verification failed', e);
  }
}

const article = $('#notice');
const box = $('#verify');
if (article && box) void verify(box, article);
startCountdowns();
