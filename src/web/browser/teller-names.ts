// 监票人 as every page names them: the members named, then the supervisors named, each marked as of the
// supervisory group (评审工作监督小组).
import { tr } from './dom.js';

export const scrutineerNames = (p: { scrutineers: { name: string }[]; supervisorScrutineers: { name: string }[] }) =>
  [...p.scrutineers.map((t) => t.name), ...p.supervisorScrutineers.map((t) => `${t.name}（${tr('supGroupShort')}）`)].join('、') || tr('none');
