/**
 * simulated-clock: a log written by a server on a simulated clock (a demonstration on a fixed date) says
 * so in a `simulated-clock` entry logged when that server started; the verifier then judges overdue
 * objections as of the server's time (real time plus the logged offset), and warns that the log is a
 * demonstration's. Declared only after something of the cycle was logged, it fails: a clock cannot be
 * moved after the fact to make a late result look timely.
 * @module
 */
import type { Ledger } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

/** The offset in force: the last simulated-clock entry's, or null for a log written on real time. */
export function simulatedOffsetMs(ledger: Ledger): number | null {
  return ledger.ofType('simulated-clock').at(-1)?.doc.offsetMs ?? null;
}

export function checkSimulatedClock(ledger: Ledger, cycleId: string, asOf: Date, explicit: boolean, out: Collector): void {
  const clocks = ledger.ofType('simulated-clock');
  if (!clocks.length) {
    out.add('simulated-clock', null, [], T('written on real time: no simulated clock in the log', '日志按实际时间写入：无模拟时钟'));
    return;
  }
  const fails: Text[] = [];
  const first = clocks[0]!;
  const before = ledger.entries.find((e) => e.cycle === cycleId && e.index < first.index);
  if (before) fails.push(T(`the simulated clock (#${first.index}) was declared after entry #${before.index} of the cycle`, `模拟时钟（#${first.index}）在本周期条目 #${before.index} 之后才声明`));
  const last = clocks.at(-1)!;
  const days = (last.doc.offsetMs / 86_400_000).toFixed(1);
  const at = asOf.toISOString();
  const warn = [
    T(
      `written on a simulated clock (a demonstration): started at ${last.doc.startsAt} (real time ${last.doc.startedAt}), ${days} days from real time; ${explicit ? 'judged as of the date given' : 'times judged on that clock'}: ${at}`,
      `本日志由模拟时钟写入（演示）：自 ${last.doc.startsAt} 起（实际时间 ${last.doc.startedAt}），与实际时间相差 ${days} 天；${explicit ? '按指定日期判断' : '按该时钟判断时间'}：${at}`,
    ),
  ];
  out.add('simulated-clock', null, fails, T('', ''), {
    warn,
    remedy: T('A real deployment never runs on a simulated clock: treat this log as a demonstration.', '正式运行不使用模拟时钟：本日志仅为演示。'),
  });
}
