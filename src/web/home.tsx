// The home page: links to the areas.
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';
import { Layout, langOf, render } from './layout.js';
import { t, type PageKey as MsgKey } from './page-text.js';
import { activeStaffCount } from '../auth/accounts.js';

const AREAS: { href: string; title: MsgKey; text: MsgKey }[] = [
  { href: '/notices', title: 'homePublic', text: 'homePublicText' },
  { href: '/tablet', title: 'homeTablet', text: 'homeTabletText' },
  { href: '/staff', title: 'homeStaff', text: 'homeStaffText' },
  { href: '/supervisor', title: 'homeSupervisor', text: 'homeSupervisorText' },
  { href: '/log/checkpoint', title: 'homeLog', text: 'homeLogText' },
];

export async function homePage(c: Context<AppEnv>) {
  const lang = langOf(c);
  const deps = c.env.deps;
  // First run: say where the one-time setup link is, until the first staff account exists.
  const firstRun = !!deps.localKeys?.setup && (await activeStaffCount(deps.db)) === 0;
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'navHome')} path="/">
          <h1>{t(lang, 'siteTitle')}</h1>
          {firstRun ? (
            <div class="alert alert-info" role="status" id="first-run">
              {t(lang, 'firstRunHint')}
            </div>
          ) : null}
          <p class="lead">{t(lang, 'homeIntro')}</p>
          <ul class="cards">
            {AREAS.map((a) => (
              <li class="card">
                <h2>
                  <a href={a.href}>{t(lang, a.title)}</a>
                </h2>
                <p>{t(lang, a.text)}</p>
              </li>
            ))}
          </ul>
    </Layout>,
  );
}
