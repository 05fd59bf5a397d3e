// The shared page layout: header with navigation and the language switch, main, footer. No inline
// script or style anywhere (CSP script-src 'self'; style-src 'self'): the page's bundled script is
// /assets/web/<name>.js and its data travels in data-* attributes or a JSON block it reads.
import { createContext, useContext, type Child } from 'hono/jsx';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { HTML_LANG, isLang, t, type Lang, type PageKey as MsgKey } from './page-text.js';
import type { AppEnv } from '../deps.js';
import { integrityOf, manifestFile, type PublishedAssets } from '../assets/manifest.js';

/** The logged asset manifest of the build serving this page (render() provides it). */
const AssetsContext = createContext<PublishedAssets | undefined>(undefined);

/**
 * `integrity` of a served file, from the logged manifest: the browser refuses a file that differs
 * (W3C SRI). A page naming a file its build does not list is a bug, not something to serve.
 */
function integrity(assets: PublishedAssets | undefined, path: string): string | undefined {
  if (!assets) return undefined;
  const f = manifestFile(assets.manifest, path);
  if (!f) throw new Error(`${path} is not in the logged asset manifest #${assets.index}`);
  return integrityOf(f.sha256);
}

/** The page language: `?lang=` (remembered in the `lang` cookie), else the cookie, else Chinese. */
export function langOf(c: Context): Lang {
  const q = c.req.query('lang');
  if (isLang(q)) {
    setCookie(c, 'lang', q, { path: '/', sameSite: 'Lax', maxAge: 365 * 86400, httpOnly: false });
    return q;
  }
  const k = getCookie(c, 'lang');
  return isLang(k) ? k : 'zh';
}

const NAV: { href: string; key: MsgKey }[] = [
  { href: '/', key: 'navHome' },
  { href: '/notices', key: 'navNotices' },
  { href: '/objections/status', key: 'navStatus' },
  { href: '/tablet', key: 'navTablet' },
  { href: '/staff', key: 'navStaff' },
  { href: '/supervisor', key: 'navSupervisor' },
];

export interface PageProps {
  lang: Lang;
  title: string;
  /** The request path, for the language switch and the current navigation item. */
  path: string;
  /** Bundled page script: /assets/web/<script>.js */
  script?: string;
  /** A page area that hides the navigation (the tablet: a kiosk). */
  kiosk?: boolean;
  children?: Child;
}

export function Layout(p: PageProps) {
  const other: Lang = p.lang === 'zh' ? 'en' : 'zh';
  const assets = useContext(AssetsContext);
  const styles = '/assets/web/styles.css';
  const script = p.script ? `/assets/web/${p.script}.js` : undefined;
  const current = (href: string) => (href === '/' ? p.path === '/' : p.path === href || p.path.startsWith(href + '/'));
  return (
    <html lang={HTML_LANG[p.lang]}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${p.title} · ${t(p.lang, 'siteShort')}`}</title>
        {assets ? <meta name="asset-manifest" content={String(assets.index)} data-hash={assets.docHash} /> : null}
        <link rel="stylesheet" href={styles} integrity={integrity(assets, styles)} />
        {script ? <script type="module" src={script} integrity={integrity(assets, script)}></script> : null}
      </head>
      <body class={p.kiosk ? 'kiosk' : undefined}>
        <a class="skip" href="#main">
          {t(p.lang, 'skipToContent')}
        </a>
        <header class="site-header">
          <div class="bar">
            <a class="brand" href="/">
              <span class="emblem" aria-hidden="true">
                质
              </span>
              <span>{t(p.lang, 'siteTitle')}</span>
            </a>
            <a class="lang-switch" href={`${p.path}?lang=${other}`} lang={HTML_LANG[other]} hreflang={HTML_LANG[other]}>
              {t(p.lang, 'switchLang')}
            </a>
          </div>
          <nav aria-label={t(p.lang, 'mainNav')}>
            <ul>
              {NAV.map((n) => (
                <li>
                  <a href={n.href} aria-current={current(n.href) ? 'page' : undefined}>
                    {t(p.lang, n.key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {p.children}
        </main>
        <footer class="site-footer">
          <p>{t(p.lang, 'footer')}</p>
          <p>
            <a href="/log/checkpoint">{t(p.lang, 'footerCheckpoint')}</a> · <a href="/log/key">{t(p.lang, 'logKey')}</a> · <a href="/api/docs">{t(p.lang, 'navApi')}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

/** JSON for a `<script type="application/json">` block: `<` escaped so the block cannot be closed early. */
export function jsonBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** "12 天 3 小时" until `closesAt` from `now`. */
export function timeLeft(lang: Lang, closesAt: string, now: Date): string {
  const ms = new Date(closesAt).getTime() - now.getTime();
  if (ms <= 0) return '';
  const h = Math.floor(ms / 3_600_000);
  if (h >= 24) return t(lang, 'daysHoursLeft', { d: Math.floor(h / 24), h: h % 24 });
  return t(lang, 'hoursLeft', { h, m: Math.floor((ms % 3_600_000) / 60_000) });
}

/** An instant as Beijing wall time, "2026-03-02 10:00". */
export function beijing(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Sends a page: `<!doctype html>` and the rendered layout. */
export function render(c: Context, node: unknown, status: 200 | 404 = 200) {
  const assets = (c as Context<AppEnv>).env?.deps?.assets;
  return c.html(html`<!doctype html>${<AssetsContext.Provider value={assets}>{node as Child}</AssetsContext.Provider>}`, status);
}
