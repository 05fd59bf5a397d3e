// The largest submission or decision file the console can send: it travels as base64 inside a JSON body
// of at most BODY_LIMIT_BYTES (1 MB), so 750 KB of file (1,000 KB of base64) leaves room for the rest.
export const AWARD_FILE_MAX_BYTES = 750 * 1024;
export const AWARD_FILE_MAX_BASE64 = Math.ceil(AWARD_FILE_MAX_BYTES / 3) * 4;
