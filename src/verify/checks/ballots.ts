/**
 * Ballots, stage by stage: each ballot's entries gathered (ballotsOf), one of each stage, the decision
 * method of its award (三(三)6), the same settings at every stage, members present checked in before
 * the vote opened (quorum), the key logged before any token, the result under the ballot's own
 * rules, and at most 25 winners per award (三(一)). Bulletins and named records: bulletins.ts, hands.ts.
 * @module
 */
import { CIPHERSUITE, popVerify } from '../../../crypto/blind.js';
import { fromHex } from '../../../crypto/bytes.js';
import { AWARD_KIND, AWARD_NAMES, MAX_WINNERS_PER_AWARD, decide, quorumMet, recusedCounts, type Award, type Result, type Rules, type Tally } from '../../votes/rules.js';
import { sameJson } from '../canonical.js';
import type { BallotEntryType, Ledger, LoggedEntry } from './ledger.js';
import { T, isHex, type Collector, type Text } from './types.js';

/** One ballot as the log shows it: the first entry of each stage, and the ballot's settings. */
export interface BallotStages {
  ballotId: string;
  prepared: LoggedEntry<'ballot-prepared'> | undefined;
  key: LoggedEntry<'ballot-key'> | undefined;
  voting: LoggedEntry<'ballot-voting'> | undefined;
  casting: LoggedEntry<'ballot-phase'> | undefined;
  bulletin: LoggedEntry<'ballot-bulletin'> | undefined;
  result: LoggedEntry<'ballot-result'> | undefined;
  /** Every entry of each stage (more than one is a failure of ballot-entries). */
  counts: Record<BallotEntryType, number[]>;
  kind: 'secret' | 'show-of-hands';
  award: Award | null;
  subject: Text;
  candidateIds: string[];
  candidates: { id: string; name: string }[];
  seats: number;
  rules: Rules | null;
  eligible: { memberId: string; name: string; unit: string }[];
  meetingId: string | null;
  /** The entry that opened the vote: ballot-key (secret) or ballot-voting (show of hands). */
  opening: LoggedEntry<'ballot-key'> | LoggedEntry<'ballot-voting'> | undefined;
}

/** Every ballot named by any ballot entry, in order of first appearance. */
export function ballotsOf(ledger: Ledger): BallotStages[] {
  const stages = {
    prepared: ledger.byBallot('ballot-prepared'),
    key: ledger.byBallot('ballot-key'),
    voting: ledger.byBallot('ballot-voting'),
    casting: ledger.byBallot('ballot-phase'),
    bulletin: ledger.byBallot('ballot-bulletin'),
    result: ledger.byBallot('ballot-result'),
  };
  const ids = [...new Set([...stages.prepared.keys(), ...stages.key.keys(), ...stages.voting.keys(), ...stages.bulletin.keys(), ...stages.result.keys(), ...stages.casting.keys()])];
  return ids.map((ballotId) => {
    const prepared = stages.prepared.get(ballotId)?.[0];
    const key = stages.key.get(ballotId)?.[0];
    const voting = stages.voting.get(ballotId)?.[0];
    const casting = stages.casting.get(ballotId)?.[0];
    const bulletin = stages.bulletin.get(ballotId)?.[0];
    const result = stages.result.get(ballotId)?.[0];
    const indexes = (list: { index: number }[] | undefined) => (list ?? []).map((e) => e.index);
    const kind = prepared?.doc.kind ?? (key || bulletin ? 'secret' : 'show-of-hands');
    const opening = kind === 'secret' ? key : voting;
    const award = prepared?.doc.award ?? result?.doc.award ?? opening?.doc.award ?? null;
    const awardName = award ? AWARD_NAMES[award] : { en: '?', zh: '?' };
    const candidates = prepared?.doc.candidates ?? opening?.doc.candidates ?? [];
    return {
      ballotId,
      prepared,
      key,
      voting,
      casting,
      bulletin,
      result,
      counts: {
        'ballot-prepared': indexes(stages.prepared.get(ballotId)),
        'ballot-key': indexes(stages.key.get(ballotId)),
        'ballot-voting': indexes(stages.voting.get(ballotId)),
        'ballot-phase': indexes(stages.casting.get(ballotId)),
        'ballot-bulletin': indexes(stages.bulletin.get(ballotId)),
        'ballot-result': indexes(stages.result.get(ballotId)),
      },
      kind,
      award,
      subject: T(`ballot ${ballotId} · ${awardName.en} · ${kind}`, `投票 ${ballotId} · ${awardName.zh} · ${kind === 'secret' ? '无记名投票' : '举手表决'}`),
      candidates,
      candidateIds: candidates.map((c) => c.id),
      seats: prepared?.doc.seats ?? opening?.doc.seats ?? 0,
      rules: prepared?.doc.rules ?? opening?.doc.rules ?? null,
      eligible: opening?.doc.eligible ?? [],
      meetingId: prepared?.doc.meetingId ?? null,
      opening,
    };
  });
}

/** ballot-entries: one entry of each stage per ballot (a second result, key or bulletin is never the one counted). */
export function checkBallotEntries(ballot: BallotStages, out: Collector): void {
  const fails: Text[] = [];
  for (const [type, indexes] of Object.entries(ballot.counts)) {
    if (indexes.length > 1) fails.push(T(`${indexes.length} ${type} entries (${indexes.map((i) => `#${i}`).join(', ')}); a ballot has one`, `${indexes.length} 个 ${type} 条目（${indexes.map((i) => `#${i}`).join('、')}）；每个投票仅应有一个`));
  }
  if (ballot.key && ballot.voting) fails.push(T('both a ballot-key and a ballot-voting entry: secret and show of hands at once', '同时有 ballot-key 与 ballot-voting 条目：既无记名又举手'));
  out.add('ballot-entries', ballot.subject, fails, T('one entry per stage', '每阶段一个条目'));
}

/** ballot-method: 三(三)6 — 质量奖 by secret ballot; 创新奖 and 优胜奖 by show of hands. */
export function checkBallotMethod(ballot: BallotStages, out: Collector): void {
  const fails: Text[] = [];
  if (ballot.award === null) fails.push(T('no award stated', '未说明奖项'));
  else {
    const required = AWARD_KIND[ballot.award];
    const stated: [string, string | undefined][] = [
      ['ballot-prepared', ballot.prepared?.doc.kind],
      ['ballot-result', ballot.result?.doc.kind],
      ['opening', ballot.key ? 'secret' : ballot.voting ? 'show-of-hands' : undefined],
      ['bulletin', ballot.bulletin ? 'secret' : undefined],
    ];
    for (const [where, kind] of stated) {
      if (kind !== undefined && kind !== required)
        fails.push(T(`${where}: ${kind}, but 三(三)6 decides ${AWARD_NAMES[ballot.award].en} by ${required}`, `${where}：${kind === 'secret' ? '无记名投票' : '举手表决'}，但依三（三）6 ${AWARD_NAMES[ballot.award].zh}应${required === 'secret' ? '无记名投票' : '举手表决'}`));
    }
  }
  out.add('ballot-method', ballot.subject, fails, T(`decided by ${ballot.kind} as 三(三)6 requires`, `依三（三）6 以${ballot.kind === 'secret' ? '无记名投票' : '举手表决'}决定`));
}

/** ballot-settings: candidates, seats and rules are those prepared, at every stage; run-offs follow their parent. */
export function checkBallotSettings(ballot: BallotStages, ballots: ReadonlyMap<string, BallotStages>, out: Collector): void {
  const fails: Text[] = [];
  const prepared = ballot.prepared?.doc;
  if (!prepared) fails.push(T('no ballot-prepared entry', '没有 ballot-prepared 条目'));
  else {
    const stages: [string, { seats: number; rules: Rules; candidates: unknown; award: Award } | undefined][] = [
      [ballot.kind === 'secret' ? 'ballot-key' : 'ballot-voting', ballot.opening?.doc],
      ['ballot-bulletin', ballot.bulletin?.doc],
      ['ballot-result', ballot.result?.doc],
    ];
    for (const [name, stage] of stages) {
      if (!stage) continue;
      for (const field of ['seats', 'rules', 'candidates', 'award'] as const)
        if (!sameJson(stage[field], prepared[field])) fails.push(T(`${name}: ${field} differ from the prepared ballot`, `${name}：${field} 与准备时不一致`));
    }
    if (prepared.runoffOf) {
      const runoff = ballots.get(prepared.runoffOf)?.result?.doc.result.runoff;
      if (!runoff) fails.push(T(`run-off of ${prepared.runoffOf}, whose result asks for no run-off`, `为 ${prepared.runoffOf} 的决选，但该投票结果未要求决选`));
      else {
        if (prepared.seats !== runoff.seats) fails.push(T(`run-off seats ${prepared.seats} ≠ ${runoff.seats} left by the tie`, `决选名额 ${prepared.seats} ≠ 平票所余名额 ${runoff.seats}`));
        if (!sameJson([...ballot.candidateIds].sort(), [...runoff.candidates].sort())) fails.push(T('run-off candidates are not exactly the tied ones', '决选候选组织并非恰为平票者'));
      }
    }
  }
  out.add('ballot-settings', ballot.subject, fails, T(`${ballot.candidateIds.length} candidates, ${ballot.seats} seat(s), rules as prepared`, `${ballot.candidateIds.length} 个候选组织，${ballot.seats} 个名额，规则与准备时一致`));
}

/** ballot-eligible: each member present checked in at the meeting before the vote opened; quorum. */
export function checkBallotEligible(ballot: BallotStages, ledger: Ledger, out: Collector): void {
  const opening = ballot.opening;
  if (!opening) return;
  const fails: Text[] = [];
  const checkins = ledger.ofType('checkin').filter((c) => c.doc.meetingId === ballot.meetingId);
  const seen = new Set<string>();
  for (const member of ballot.eligible) {
    if (seen.has(member.memberId)) fails.push(T(`${member.name} listed twice`, `${member.name} 重复列出`));
    seen.add(member.memberId);
    const checkin = checkins.find((c) => c.doc.memberId === member.memberId);
    if (!checkin) fails.push(T(`${member.name} is eligible but has no check-in at meeting ${ballot.meetingId}`, `${member.name} 有投票资格，但在会议 ${ballot.meetingId} 没有签到记录`));
    else if (checkin.index > opening.index) fails.push(T(`${member.name} checked in (#${checkin.index}) after the vote opened (#${opening.index})`, `${member.name} 的签到（#${checkin.index}）晚于投票开始（#${opening.index}）`));
  }
  const { present, membersTotal } = opening.doc;
  if (present !== ballot.eligible.length) fails.push(T(`present ${present} ≠ ${ballot.eligible.length} eligible members listed`, `出席人数 ${present} ≠ 所列有资格成员 ${ballot.eligible.length} 人`));
  const roster = ledger.ofType('meeting-open').find((m) => m.doc.meetingId === ballot.meetingId)?.doc.membersTotal;
  if (roster !== undefined && membersTotal !== roster) fails.push(T(`members total ${membersTotal} ≠ the meeting roster's ${roster}`, `成员总数 ${membersTotal} ≠ 会议名册的 ${roster}`));
  if (ballot.rules && !quorumMet(ballot.rules, ballot.eligible.length, membersTotal)) fails.push(T(`no quorum: ${ballot.eligible.length} of ${membersTotal}`, `未达法定人数：${membersTotal} 人中 ${ballot.eligible.length} 人`));
  out.add('ballot-eligible', ballot.subject, fails, T(`${ballot.eligible.length} of ${membersTotal} members present, all checked in before the vote opened`, `${membersTotal} 名成员中 ${ballot.eligible.length} 名出席，均在投票开始前签到`));
}

/** ballot-key-first: the key and its proof of possession logged before casting and the bulletin. */
export function checkBallotKeyFirst(ballot: BallotStages, out: Collector): void {
  if (ballot.kind !== 'secret') return;
  const { key, casting, bulletin } = ballot;
  const fails: Text[] = [];
  if (!key) fails.push(T('no ballot-key entry: the key was never logged', '没有 ballot-key 条目：公钥从未记录'));
  else {
    const keyDoc = key.doc;
    if (keyDoc.ciphersuite !== CIPHERSUITE) fails.push(T(`unexpected ciphersuite ${keyDoc.ciphersuite}`, `密码套件 ${keyDoc.ciphersuite} 不符`));
    // A co-issued key is a sum with no single holder: its two shares' proofs are checked by ballot-co-issued (checks/cosign.ts).
    if (keyDoc.coIssuance ? !isHex(keyDoc.publicKey, 48) || keyDoc.proofOfPossession !== null : !isHex(keyDoc.publicKey, 48) || !isHex(keyDoc.proofOfPossession, 96) || !popVerify(fromHex(keyDoc.publicKey), fromHex(keyDoc.proofOfPossession)))
      fails.push(T('the proof of possession does not verify', '持有证明无效'));
    if (casting && casting.index < key.index) fails.push(T(`casting (#${casting.index}) opened before the key was logged (#${key.index})`, `投票阶段（#${casting.index}）早于公钥记录（#${key.index}）`));
    if (bulletin) {
      if (bulletin.index < key.index) fails.push(T(`bulletin (#${bulletin.index}) before the key (#${key.index})`, `选票公告（#${bulletin.index}）早于公钥（#${key.index}）`));
      if (bulletin.doc.keyLogIndex !== key.index) fails.push(T(`the bulletin names key entry #${bulletin.doc.keyLogIndex}, not #${key.index}`, `选票公告所述公钥条目为 #${bulletin.doc.keyLogIndex}，而非 #${key.index}`));
      if (bulletin.doc.publicKey !== keyDoc.publicKey) fails.push(T('the bulletin states another public key than the one logged', '选票公告所述公钥与记录的不同'));
      if (!casting) fails.push(T('no casting entry (issuance never closed) but a bulletin', '没有投票阶段条目（凭证发放未结束），却有选票公告'));
    }
  }
  const pass = key
    ? T(`key logged at #${key.index}, proof of possession valid, before casting${casting ? ` (#${casting.index})` : ''}${bulletin ? ` and the bulletin (#${bulletin.index})` : ''}`, `公钥记录于 #${key.index}，持有证明有效，早于投票阶段${casting ? `（#${casting.index}）` : ''}${bulletin ? `及选票公告（#${bulletin.index}）` : ''}`)
    : T('', '');
  out.add('ballot-key-first', ballot.subject, fails, pass);
}

/** ballot-result: pass/fail, winners, vacancies and run-off as the ballot's own rules give from the counted tally. */
export function checkBallotResult(ballot: BallotStages, out: Collector): void {
  const result = ballot.result;
  if (!result) return;
  const fails: Text[] = [];
  const stated = result.doc;
  const counted: Tally = stated.tally;
  const present = ballot.eligible.length;
  if (!ballot.rules) fails.push(T('nothing to decide from', '无可据以判定的计票'));
  else {
    if (stated.present !== present) fails.push(T(`the result counts ${stated.present} present, ${present} were eligible`, `结果按出席 ${stated.present} 人计，有资格者为 ${present} 人`));
    // 回避: each candidate's pass rule counts those present less the members recused from it.
    const recused = recusedCounts(ballot.opening?.doc.recusals ?? []);
    fails.push(...diffResult(decide(ballot.candidateIds, counted, ballot.seats, present, ballot.rules, recused), stated.result));
  }
  const res = stated.result;
  out.add(
    'ballot-result',
    ballot.subject,
    fails,
    T(
      `winners ${JSON.stringify(res.winners)}, vacancies ${res.vacancies}, run-off ${res.runoff ? `among ${res.runoff.candidates.join(', ')}` : 'none'} — as the rules give`,
      `当选 ${JSON.stringify(res.winners)}，空缺 ${res.vacancies}，决选 ${res.runoff ? `于 ${res.runoff.candidates.join('、')} 之间` : '无'}——符合规则`,
    ),
  );
}

/** award-seat-cap: 三(一) — at most 25 winners per award per cycle. */
export function checkSeatCap(ballots: readonly BallotStages[], out: Collector): void {
  const winners = new Map<Award, number>();
  for (const ballot of ballots) {
    if (!ballot.result || !ballot.award) continue;
    winners.set(ballot.award, (winners.get(ballot.award) ?? 0) + ballot.result.doc.result.winners.length);
  }
  const fails: Text[] = [];
  for (const [award, n] of winners) if (n > MAX_WINNERS_PER_AWARD) fails.push(T(`${award}: ${n} winners`, `${AWARD_NAMES[award].zh}：${n} 个获奖组织`));
  const list = [...winners];
  out.add('award-seat-cap', null, fails, T(list.map(([a, n]) => `${a}: ${n}`).join(', ') || 'no winners yet', list.map(([a, n]) => `${AWARD_NAMES[a].zh}：${n}`).join('，') || '尚无获奖组织'));
}

function diffResult(expected: Result, stated: Result): Text[] {
  if (sameJson(expected, stated)) return [];
  const out: Text[] = [];
  if (!sameJson(expected.winners, stated.winners)) out.push(T(`winners published ${JSON.stringify(stated.winners)}, the rules give ${JSON.stringify(expected.winners)}`, `公布的当选为 ${JSON.stringify(stated.winners)}，按规则应为 ${JSON.stringify(expected.winners)}`));
  if (expected.vacancies !== stated.vacancies) out.push(T(`vacancies published ${stated.vacancies}, the rules give ${expected.vacancies}`, `公布的空缺为 ${stated.vacancies}，按规则应为 ${expected.vacancies}`));
  if (!sameJson(expected.runoff, stated.runoff)) out.push(T(`run-off published ${JSON.stringify(stated.runoff)}, the rules give ${JSON.stringify(expected.runoff)}`, `公布的决选为 ${JSON.stringify(stated.runoff)}，按规则应为 ${JSON.stringify(expected.runoff)}`));
  for (const row of expected.candidates) {
    const published = stated.candidates.find((c) => c.candidateId === row.candidateId);
    if (!published) out.push(T(`candidate ${row.candidateId} missing from the result`, `结果中缺少候选组织 ${row.candidateId}`));
    else if (published.passed !== row.passed) out.push(T(`candidate ${row.candidateId}: published ${published.passed ? 'passed' : 'failed'}, the rules give ${row.passed ? 'passed' : 'failed'}`, `候选组织 ${row.candidateId}：公布为${published.passed ? '通过' : '未通过'}，按规则应为${row.passed ? '通过' : '未通过'}`));
    else if (!sameJson(published, row)) out.push(T(`candidate ${row.candidateId}: counts differ from the recount`, `候选组织 ${row.candidateId}：票数与重新计票不符`));
  }
  if (!out.length) out.push(T('the published result differs from what the rules give (present, seats or rules)', '公布的结果与按规则计算的不同（出席人数、名额或规则）'));
  return out;
}
