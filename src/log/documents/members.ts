/**
 * The people who sign: the judging group's members (registered, corrected or removed before taking part,
 * tablet enrolled, enrollment re-issued)
 * and the supervisors' devices.
 * @module
 */
import * as z from 'zod';
import { hex } from './shared.js';

/** The judging group's roster: a member registered for the cycle (never the enrollment code). */
export const MemberRegisteredDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
  isChair: z.boolean(),
  registeredAt: z.string(),
});

/** A member's tablet enrolled: the device key that signs the member's check-ins, token requests and hands. */
export const MemberEnrolledDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
  deviceKey: hex(32),
  deviceKeyFingerprint: z.string(),
  enrolledAt: z.string(),
});

/** A member's tablet enrollment code re-issued: the old device key no longer signs for the member. */
export const MemberEnrollmentReissuedDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
});

/**
 * A member's entry corrected (name, unit, chair) before the member took part: no tablet ever enrolled
 * for them and on no meeting's roster yet. The reason is public, as the roster is.
 */
export const MemberAmendedDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
  isChair: z.boolean(),
  reason: z.string(),
  amendedAt: z.string(),
});

/** A member taken off the roster before taking part (the same condition as an amendment), with the reason. */
export const MemberRemovedDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
  reason: z.string(),
  removedAt: z.string(),
});

/**
 * A supervisor's device registered for a cycle: its key confirms (countersigns) hands that staff recorded
 * for a member whose tablet failed, and signs the counts when its supervisor is named 监票人. Public, so
 * each confirmation traces to a device registered beforehand to that supervisor's account.
 */
export const SupervisorDeviceDocument = z.strictObject({
  cycleId: z.string(),
  /** The supervisor's account the key is bound to (absent in entries written before it was recorded). */
  accountId: z.number().int().min(1).optional(),
  name: z.string(),
  deviceKey: hex(32),
  deviceKeyFingerprint: z.string(),
  registeredAt: z.string(),
});
