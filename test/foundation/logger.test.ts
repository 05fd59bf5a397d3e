import { describe, expect, it } from 'vitest';
import { atLevel, type LogLevel, type Logger } from '../../src/deps.js';
import { parseConfig } from '../../src/config.js';

describe('LOG_LEVEL', () => {
  it('passes events at the configured level and above, and drops the rest', () => {
    const seen: LogLevel[] = [];
    const sink: Logger = { log: (level) => void seen.push(level) };
    const logger = atLevel(parseConfig({ LOG_LEVEL: 'warn' }).LOG_LEVEL, sink);
    for (const l of ['debug', 'info', 'warn', 'error'] as const) logger.log(l, 'x');
    expect(seen).toEqual(['warn', 'error']);
    seen.length = 0;
    const all = atLevel(parseConfig({}).LOG_LEVEL, sink);
    for (const l of ['debug', 'info', 'warn', 'error'] as const) all.log(l, 'x');
    expect(seen).toEqual(['info', 'warn', 'error']);
  });
});
