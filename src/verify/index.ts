/**
 * The supervisory group's verifier core: parse a cycle export bundle, run every check,
 * format the report. Runtime-agnostic: no node:* imports (the CLI is scripts/verify.ts).
 * @module
 */
export { BUNDLE_FORMAT, BundleFormatError, parseBundle, type ExportBundle, type BundleEntry, type BundleCalendar, type HandsRecordItem } from './bundle.js';
export { CHECKS, PURE_BLS, verifyBundle, type BlsBackend, type CheckId, type CheckResult, type LiveView, type LogState, type Status, type Text, type VerifyOptions, type VerifyReport } from './checks.js';
export { formatReport, failedNames, type Lang } from './report.js';
export { canonical, sha256Text } from './canonical.js';
