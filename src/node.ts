// Node entry point: parses config once and serves the app (src/platform/node builds the rest).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from './config.js';
import { jsonLogger } from './deps.js';
import { startNodeServer } from './platform/node/server.js';

async function main() {
  const config = parseConfig(process.env);
  const server = await startNodeServer(config);
  jsonLogger.log('info', 'listening', { url: server.url, db: server.deps.dbKind });
  // First run: the link is printed for the person at this terminal, never written to the JSON log.
  if (server.setupUrl) {
    process.stdout.write(
      `\n尚无工作人员账号。请在浏览器中打开下面的一次性设置链接，创建第一个工作人员账号：\n` +
        `No staff account yet. Open this one-time link in a browser to create the first staff account:\n\n  ${server.setupUrl}\n\n`,
    );
  }
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}