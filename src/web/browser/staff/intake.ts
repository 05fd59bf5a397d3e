// Staff console, notices tab: where and how objections are received for the cycle (受理单位, 联系人, 电话,
// 地址, 邮编, and optionally 邮箱 and 传真). Every list with a 公示 prints them, so a list cannot be published
// before they are set; the form shows what is saved and saves changes for lists published afterwards.
import { ApiError, alertBox, field, h, tr } from '../dom.js';
import { act, call, say, staff } from './context.js';
import type { IntakeDetailsJson } from '../../../notices/responses.js';

type Intake = IntakeDetailsJson;

const REQUIRED = ['unit', 'contactPerson', 'phone', 'address', 'postcode'] as const;
const OPTIONAL = ['email', 'fax'] as const;

/** The intake form, filled with the saved details (none yet: a notice that lists need them). */
export async function intakeForm(): Promise<HTMLElement> {
  let saved: Intake | null = null;
  try {
    saved = await call<Intake>(`/api/v1/cycles/${staff.cycleId}/objection-intake`);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const input = (k: keyof Intake, required: boolean) =>
    h('input', { id: `intake-${k}`, value: saved?.[k] ?? '', ...(required ? { required: true } : {}), ...(k === 'postcode' ? { pattern: '[0-9]{6}', inputmode: 'numeric' } : {}), ...(k === 'email' ? { type: 'email' } : {}) });
  const inputs = Object.fromEntries([...REQUIRED.map((k) => [k, input(k, true)]), ...OPTIONAL.map((k) => [k, input(k, false)])]) as Record<keyof Intake, HTMLInputElement>;
  return h(
    'form',
    {
      class: 'form',
      id: 'intake-form',
      onsubmit: act(
        () => {
          const body: Record<string, string> = {};
          for (const k of [...REQUIRED, ...OPTIONAL]) if (inputs[k].value.trim()) body[k] = inputs[k].value.trim();
          return call(`/api/v1/cycles/${staff.cycleId}/objection-intake`, { method: 'PUT', json: body });
        },
        () => say('ok', tr('setIntakeSaved')),
      ),
    },
    h('h3', {}, tr('setIntakeTitle')),
    saved ? null : alertBox('warn', tr('setIntakeMissing')),
    field(tr('setIntakeUnit'), inputs.unit),
    field(tr('setIntakeContact'), inputs.contactPerson),
    field(tr('setIntakePhone'), inputs.phone),
    field(tr('setIntakeAddress'), inputs.address),
    field(tr('setIntakePostcode'), inputs.postcode),
    field(tr('setIntakeEmail'), inputs.email),
    field(tr('setIntakeFax'), inputs.fax),
    h('div', {}, h('button', { type: 'submit' }, tr('setIntakeSave'))),
  );
}
