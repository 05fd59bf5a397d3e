// 表彰通报 (四(二)): the public notice of the award, published after the city government's decision, listing
// exactly the organisations the decision awarded — the fixed 拟授奖组织名单. A draft may leave the list empty
// (it is filled from the decision) or type it; a typed list that differs is refused.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { problem } from '../errors.js';
import type { Commendation, Organisation } from '../notices/model.js';
import { approvals } from './approval.js';
import { sameOrganisations } from './awarded.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function commendationOf(db: Db, cycleId: string, typed: readonly Organisation[]): Promise<{ organisations: Organisation[]; commendation: Commendation }> {
  const { decision } = await approvals(db, cycleId);
  if (!decision) throw problem('conflict', 'The city government’s decision is not recorded yet: the 表彰通报 announces it.', '尚未登记市政府的决定，不能发布表彰通报。');
  const decided = decision.document.organisations;
  if (typed.length > 0 && !sameOrganisations(typed, decided)) {
    const names = new Set(decided.map((o) => `${o.award}\n${o.name}`));
    const typedKeys = new Set(typed.map((o) => `${o.award ?? ''}\n${o.name}`));
    const extra = typed.filter((o) => !names.has(`${o.award ?? ''}\n${o.name}`)).map((o) => o.name);
    const missing = decided.filter((o) => !typedKeys.has(`${o.award}\n${o.name}`)).map((o) => o.name);
    throw problem(
      'unprocessable',
      `The 表彰通报 must list exactly the organisations of the government's decision ${decision.document.documentNumber}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; not awarded: ${extra.join(', ')}` : ''}.`,
      `表彰通报须恰好列出市政府决定（${decision.document.documentNumber}）的获奖组织${missing.length ? `；缺少：${missing.join('、')}` : ''}${extra.length ? `；以下组织未获奖：${extra.join('、')}` : ''}。`,
      { missing, extra },
    );
  }
  return {
    organisations: decided.map((o) => ({ name: o.name, ...(o.code ? { code: o.code } : {}), award: o.award })),
    commendation: { decision: { logIndex: decision.logIndex, documentNumber: decision.document.documentNumber, date: decision.document.date } },
  };
}
