/**
 * 签到: each check-in signed by the member's tablet, on the meeting's roster, between the meeting's
 * opening and closing, once per member and meeting.
 * @module
 */
import { checkInMessage, verifyDeviceSignature } from '../../votes/messages.js';
import { isStrictPublicKey } from '../../../crypto/ed25519-strict.js';
import { fromHex } from '../../../crypto/bytes.js';
import type { Ledger } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

/** checkin-signatures */
export function checkCheckins(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const seen = new Set<string>();
  const opened = new Map(ledger.ofType('meeting-open').map((e) => [e.doc.meetingId, e]));
  const closed = new Map(ledger.ofType('meeting-close').map((e) => [e.doc.meetingId, e]));
  const checkins = ledger.ofType('checkin');
  for (const checkin of checkins) {
    const { meetingId, memberId, name, deviceKey, signature } = checkin.doc;
    const who = `${name} (#${checkin.index})`;
    // A small-order or non-canonical key would make a forged signature verify (crypto/ed25519-strict.ts).
    if (!/^[0-9a-f]{64}$/.test(deviceKey) || !isStrictPublicKey(fromHex(deviceKey)))
      fails.push(T(`check-in of ${who}: the device key is non-canonical or of small order (it would verify forged signatures)`, `${who} 的签到：设备公钥编码不规范或为小阶点（可验证伪造签名）`));
    else if (!verifyDeviceSignature(deviceKey, checkInMessage(meetingId, memberId), signature))
      fails.push(T(`check-in of ${who}: the signature does not verify with its device key`, `${who} 的签到：签名无法用其设备公钥验证`));
    const meeting = opened.get(meetingId);
    if (meeting) {
      if (meeting.index > checkin.index) fails.push(T(`check-in of ${who} is logged before its meeting opened`, `${who} 的签到早于会议开始记录`));
      if (!meeting.doc.roster.some((m) => m.memberId === memberId)) fails.push(T(`check-in of ${who}: not on the meeting's roster`, `${who} 的签到：不在会议名册中`));
    }
    const close = closed.get(meetingId);
    if (close && close.index < checkin.index) fails.push(T(`check-in of ${who} is logged after its meeting closed`, `${who} 的签到晚于会议结束记录`));
    const key = `${meetingId}\n${memberId}`;
    if (seen.has(key)) fails.push(T(`${who} checked in twice at meeting ${meetingId}`, `${who} 在会议 ${meetingId} 重复签到`));
    seen.add(key);
  }
  out.add('checkin-signatures', null, fails, T(`${checkins.length} check-ins verify`, `${checkins.length} 个签到均有效`));
}
