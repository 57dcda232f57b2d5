import { buildApp, StartupError } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { favourEventLoop } from './thread-priority.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`quorum: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // A file-size limit (ulimit -f) then shows as a write error the server reports, not a crash.
  process.on('SIGXFSZ', () => {});
  let app;
  try {
    app = await buildApp(config);
  } catch (error) {
    if (error instanceof StartupError || error instanceof DataDirInUseError) {
      process.stderr.write(`quorum: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      app.log.info('quorum stopped');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const address = await app.listen({ port: config.port, host: config.host });
  const helperThreads = favourEventLoop();
  app.log.info({ address, dataDir: config.dataDir, helperThreads }, 'quorum listening');
}

void main();
