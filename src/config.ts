// Configuration: one zod schema, parsed once by each entry point from its environment
// (process.env on Node, bindings and secrets on Workers).
import * as z from 'zod';

const hex = (bytes: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2},}$`), `hex, at least ${bytes} bytes`);

const workdayMode = z.enum(['after', 'including']);

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Largest JSON request body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** Largest total of an objection's evidence files, in bytes. */
  EVIDENCE_TOTAL_LIMIT_BYTES: z.coerce.number().int().positive().default(60 * 1024 * 1024),
  /** Largest single evidence file of an objection, in bytes (三(三)7 佐证材料; 20 MiB). */
  EVIDENCE_FILE_LIMIT_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** Objection submissions allowed per client address per rate-limit window. */
  OBJECTION_SUBMIT_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  /** Objection status look-ups (tracking number + access code) per client address per window. */
  OBJECTION_STATUS_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  /** Enrollment-code attempts (right or wrong) per client address per window. */
  ENROLL_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  /** Sign-in challenges per client address per window. */
  CHALLENGE_RATE_LIMIT: z.coerce.number().int().positive().default(120),
  /** Length of a rate-limit window, in seconds. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Node only: comma-separated addresses of reverse proxies whose X-Forwarded-For is believed (src/net/address.ts). */
  TRUSTED_PROXIES: z.string().regex(/^[0-9A-Fa-f.:]+(\s*,\s*[0-9A-Fa-f.:]+)*$/, 'comma-separated IP addresses').optional(),
  /** Secret ballot: casts are committed in batches at multiples of this interval (src/votes/cast-queue.ts). */
  CAST_BATCH_INTERVAL_MS: z.coerce.number().int().min(1).max(60_000).default(3000),
  /** Token checks (pairings) per second the cast route may run in this process, in total. */
  CAST_VERIFY_PER_SECOND: z.coerce.number().positive().default(4),
  /** Token checks the cast route may run at once before CAST_VERIFY_PER_SECOND applies. */
  CAST_VERIFY_BURST: z.coerce.number().int().min(1).default(8),
  /** Token checks per minute for one client address (a meeting room behind one NAT is one address). */
  CAST_VERIFY_PER_ADDRESS_PER_MINUTE: z.coerce.number().positive().default(40),
  /** C2SP origin line of the public log. */
  LOG_ORIGIN: z.string().min(1).default('localhost/hz-quality-award/log'),
  /** Path prefix of the tlog-tiles endpoints. */
  LOG_PREFIX: z.string().regex(/^\/[a-z0-9/_-]*[a-z0-9]$/).default('/log'),
  LOG_SIGNER_KEY: z.string().startsWith('PRIVATE+KEY+').optional(),
  /** Least time between two signed checkpoints of the public log, in ms (src/log/checkpoint.ts). */
  LOG_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(2000),
  /**
   * Node: how long the public read path trusts the log version it last read while this process has
   * written nothing since, in ms (src/cache/read-cache.ts). Another process writing to the same
   * database is seen within this time; 0 reads the version for every request.
   */
  READ_CACHE_MAX_AGE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  /** Witnesses whose cosignatures the log accepts: comma-separated cosignature/v1 (type 0x04) verifier keys. */
  WITNESS_KEYS: z.string().regex(/^[^\s,+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+(\s*,\s*[^\s,+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+)*$/, 'comma-separated verifier keys').optional(),
  /** A witness name: GET <LOG_PREFIX>/checkpoint then serves the latest checkpoint that witness cosigned. */
  LOG_WITNESS_REQUIRED: z.string().regex(/^[^\s+]+$/).optional(),
  BALLOT_MASTER_SECRET: hex(32).optional(),
  /** The supervisory group's co-signer (npm run cosigner): its URL, which this server relays issuance to. */
  COSIGNER_URL: z.string().url().optional(),
  /** The co-signer's verifier key (C2SP note key text). Set: every secret ballot is co-issued. */
  COSIGNER_KEY: z.string().regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/, 'a verifier key').optional(),
  CONTACT_KEY: hex(32).optional(),
  /**
   * 三(三)7: whether the publication day may be day 1 of the 7-working-day window (including: when it
   * is a working day and publication is before NOTICE_CUTOFF) or the window starts on the next working
   * day (after). Either way the printed range "X月X日至Y月Y日" holds exactly 7 working days.
   */
  NOTICE_WINDOW_MODE: workdayMode.default('including'),
  /** A list published at or after this Beijing time (HH:MM) starts its window on the next working day. */
  NOTICE_CUTOFF: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('17:00'),
  /** 三(三)7: "自收到材料之日起5个工作日内" — the receipt day is not counted (民法典 第二百零一条). */
  OBJECTION_DUE_MODE: workdayMode.default('after'),
  /** Cloudflare Access: team domain (https://<team>.cloudflareaccess.com) and application audience. */
  ACCESS_TEAM_DOMAIN: z.string().url().optional(),
  ACCESS_AUD: z.string().optional(),
  /** Token verification backend on Node (src/tokens/verifier.ts): native blst when installed (auto), or noble. */
  TOKEN_VERIFIER: z.enum(['auto', 'blst', 'noble']).default('auto'),
  /** Node with native blst: worker threads that check tokens off the event loop (default: cores − 1; 0: in the event loop). */
  TOKEN_VERIFIER_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Demos and tests only: the clock starts at this instant and runs forward from there. */
  CLOCK_START: z.string().datetime({ offset: true }).optional(),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parse a flat string map (process.env or Worker bindings); throws ConfigError naming each bad key. */
export function parseConfig(env: Record<string, unknown>): AppConfig {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (typeof v === 'string' && v !== '') picked[key] = v;
    else if (typeof v === 'number') picked[key] = v;
  }
  const r = configSchema.safeParse(picked);
  if (!r.success) {
    throw new ConfigError(
      'invalid configuration: ' + r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return r.data;
}

export const defaultConfig = (): AppConfig => parseConfig({});
