// The home page: links to the areas.
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';
import { Layout, langOf, render } from './layout.js';
import { t, type MsgKey } from './i18n.js';

const AREAS: { href: string; title: MsgKey; text: MsgKey }[] = [
  { href: '/notices', title: 'homePublic', text: 'homePublicText' },
  { href: '/tablet', title: 'homeTablet', text: 'homeTabletText' },
  { href: '/staff', title: 'homeStaff', text: 'homeStaffText' },
  { href: '/supervisor', title: 'homeSupervisor', text: 'homeSupervisorText' },
  { href: '/log/checkpoint', title: 'homeLog', text: 'homeLogText' },
];

export function homePage(c: Context<AppEnv>) {
  const lang = langOf(c);
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'navHome')} path="/">
          <h1>{t(lang, 'siteTitle')}</h1>
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
