// Staff console reminder, above every tab: objections of the chosen cycle past their 5-working-day
// verification deadline, and those due within 2 working days, so that none is found late.
import type { ObjectionListJson } from '../../../objections/responses.js';
import { alertBox, h, replace, tr } from '../dom.js';
import { call, staff } from './context.js';

const DUE_SOON_WORKING_DAYS = 2;

export const reminders = h('div', { id: 'reminders' });

export async function drawReminders(openObjections: () => void) {
  if (!staff.cycleId) return replace(reminders);
  const { objections } = await call<ObjectionListJson>(`/api/v1/objections?cycleId=${encodeURIComponent(staff.cycleId)}`);
  const pending = objections.filter((o) => o.status !== 'published');
  const overdue = pending.filter((o) => o.overdue).length;
  const soon = pending.filter((o) => !o.overdue && o.workingDaysLeft !== null && o.workingDaysLeft <= DUE_SOON_WORKING_DAYS).length;
  if (!overdue && !soon) return replace(reminders);
  const parts = [overdue ? tr('remindOverdue', { n: overdue }) : '', soon ? tr('remindDueSoon', { n: soon }) : ''].filter(Boolean);
  replace(reminders, alertBox('warn', tr('remindTitle'), parts.join('；'), '。', h('button', { type: 'button', class: 'link', onclick: openObjections }, tr('remindOpen'))));
}
