// The pages driven by their bundled scripts: the member's tablet, the staff console, the supervisors'
// dashboard. The server renders the shell and pins what the script must not take from an API answer
// (the log's verifier key) in data-* attributes.
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';
import { verifierKeyOf } from '../log/checkpoint.js';
import { Layout, langOf, render } from './layout.js';
import { t } from './page-text.js';

/** The verifier key of the witness the deployment requires (LOG_WITNESS_REQUIRED), if configured. */
function requiredWitnessKey(config: AppEnv['Bindings']['deps']['config']): string | undefined {
  const name = config.LOG_WITNESS_REQUIRED;
  if (!name || !config.WITNESS_KEYS) return undefined;
  return config.WITNESS_KEYS.split(',')
    .map((k) => k.trim())
    .find((k) => k.split('+')[0] === name);
}

export function tabletPage(c: Context<AppEnv>) {
  const lang = langOf(c);
  const deps = c.env.deps;
  const witness = deps.config.LOG_WITNESS_REQUIRED;
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'tabletTitle')} path="/tablet" script="tablet" kiosk>
      <div
        id="app"
        class="tablet"
        data-log-key={verifierKeyOf(deps.keys.logSignerKey)}
        data-log-prefix={deps.config.LOG_PREFIX}
        data-witness-required={witness}
        data-witness-key={witness ? requiredWitnessKey(deps.config) : undefined}
      >
        <h1>{t(lang, 'tabletTitle')}</h1>
        <p class="muted">{t(lang, 'loading')}</p>
        <noscript>{t(lang, 'needScript')}</noscript>
      </div>
    </Layout>,
  );
}

export function staffPage(c: Context<AppEnv>) {
  const lang = langOf(c);
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'staffTitle')} path="/staff" script="staff">
      <div id="app" class="console" data-role="staff">
        <h1>{t(lang, 'staffTitle')}</h1>
        <p class="muted">{t(lang, 'loading')}</p>
        <noscript>{t(lang, 'needScript')}</noscript>
      </div>
    </Layout>,
  );
}

export function supervisorPage(c: Context<AppEnv>) {
  const lang = langOf(c);
  const deps = c.env.deps;
  return render(
    c,
    <Layout lang={lang} title={t(lang, 'supervisorTitle')} path="/supervisor" script="supervisor">
      <div id="app" class="console" data-role="supervisor" data-log-key={verifierKeyOf(deps.keys.logSignerKey)} data-log-prefix={deps.config.LOG_PREFIX} data-cosigner-key={deps.config.COSIGNER_KEY}>
        <h1>{t(lang, 'supervisorTitle')}</h1>
        <p class="muted">{t(lang, 'loading')}</p>
        <noscript>{t(lang, 'needScript')}</noscript>
      </div>
    </Layout>,
  );
}

/** The meeting screen for the projector: opened with the display link the staff create (key in the #fragment). */
export function meetingScreenPage(c: Context<AppEnv>) {
  const id = c.req.param('id') ?? '';
  return render(
    c,
    <Layout lang="zh" title="会场屏幕" path={c.req.path} script="screen" kiosk>
      <div id="app" class="screen" data-meeting={id}>
        <h1>会场屏幕</h1>
        <p class="muted">正在连接……</p>
        <noscript>本页需要启用 JavaScript。</noscript>
      </div>
    </Layout>,
  );
}
