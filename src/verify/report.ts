/**
 * The verifier's readable report, in Chinese or English: one line per check (by name), its findings
 * indented below, and a verdict. Pure: the CLI prints it, the dashboard page can show it.
 * @module
 */
import type { CheckResult, Status, VerifyReport } from './checks.js';

export type Lang = 'zh' | 'en';

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–' };
const WORD: Record<Lang, Record<Status, string>> = {
  en: { pass: 'PASS', fail: 'FAIL', warn: 'NOTE', skip: 'SKIP' },
  zh: { pass: '通过', fail: '不通过', warn: '注意', skip: '跳过' },
};

export function formatReport(r: VerifyReport, lang: Lang = 'zh'): string {
  const lines: string[] = [];
  if (lang === 'zh') {
    lines.push(`杭州市政府质量奖 · 独立验证报告（周期 ${r.cycleId}）`);
    lines.push(`检查点：${r.checkpoint ? `${r.checkpoint.origin}，大小 ${r.checkpoint.size}，根哈希 ${r.checkpoint.root}` : '未通过验证'}`);
    for (const c of r.checkpoint?.cosignatures ?? []) lines.push(`  见证方 ${c.witness} 联署于 ${c.time}`);
    lines.push(`导出时间（服务器）：${r.exportedAt}；导出对象：${r.audience}；验证时间：${r.asOf}；BLS：${r.bls}`);
  } else {
    lines.push(`Hangzhou Quality Award · independent verification report (cycle ${r.cycleId})`);
    lines.push(`Checkpoint: ${r.checkpoint ? `${r.checkpoint.origin}, size ${r.checkpoint.size}, root ${r.checkpoint.root}` : 'not verified'}`);
    for (const c of r.checkpoint?.cosignatures ?? []) lines.push(`  witness ${c.witness} cosigned at ${c.time}`);
    lines.push(`Exported (server time): ${r.exportedAt}; audience: ${r.audience}; verified as of: ${r.asOf}; BLS: ${r.bls}`);
  }
  lines.push('');
  for (const c of r.checks) lines.push(...formatCheck(c, lang));
  lines.push('');
  const { pass, fail, warn, skip } = r.counts;
  if (lang === 'zh') {
    lines.push(`合计：通过 ${pass}，不通过 ${fail}，注意 ${warn}，跳过 ${skip}`);
    lines.push(!r.ok ? `结论：验证不通过——${failedNames(r).join('、')}。` : r.anchored ? '结论：全部检查通过。' : '结论：各项检查通过，但日志历史未经锚定（既无已保存状态，也无见证方联署）：无法排除主管部门用日志私钥重签的改写历史。请使用 --state 保存状态（首次运行以 --first-run 确认），或以 --witness-key 要求见证方联署。');
  } else {
    lines.push(`Total: ${pass} passed, ${fail} failed, ${warn} of note, ${skip} skipped`);
    lines.push(!r.ok ? `Verdict: FAILED — ${failedNames(r).join(', ')}.` : r.anchored ? 'Verdict: everything holds.' : 'Verdict: the checks hold, but the history is NOT anchored (no saved state, no witness cosignature): a history rewritten and re-signed with the log key cannot be ruled out. Keep a state with --state (accept a first run with --first-run), or require a witness with --witness-key.');
  }
  return lines.join('\n') + '\n';
}

function formatCheck(c: CheckResult, lang: Lang): string[] {
  const head = `${MARK[c.status]} [${WORD[lang][c.status]}] ${c.id} — ${c.title[lang]}${c.subject ? ` · ${c.subject[lang]}` : ''}: ${c.message[lang]}`;
  const remedy = c.remedy ? [`      → ${lang === 'zh' ? '如何确认：' : 'to establish it: '}${c.remedy[lang]}`] : [];
  return [head, ...c.details.map((d) => `      ${d[lang]}`), ...remedy];
}

/** The names of the failed checks (with their subjects), for the verdict line. */
export function failedNames(r: VerifyReport): string[] {
  return r.checks.filter((c) => c.status === 'fail').map((c) => (c.subject ? `${c.id} (${c.subject.en.split(' · ')[0]})` : c.id));
}
