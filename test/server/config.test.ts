import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { scrubUrl } from '../../server/logger.js';

describe('configuration', () => {
  it('defaults to 127.0.0.1:3000 and ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.maxFrameBytes).toBe(8 * 1024 * 1024);
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.openDocuments).toBe(false);
  });

  it('reads PORT, HOST, DATA_DIR and limits from the environment', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/tmp/q', MAX_FRAME_BYTES: '1048576', PUBLIC_URL: 'https://notes.example.org/' });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: '/tmp/q', maxFrameBytes: 1048576, publicUrl: 'https://notes.example.org' });
  });

  it('reports every invalid setting at once, clearly', () => {
    try {
      loadConfig({ PORT: 'eighty', MAX_FRAME_BYTES: '-1', LOG_LEVEL: 'loud', TICKET_URL: 'ftp://x/{key}' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems).toHaveLength(4);
      expect(problems[0]).toContain('PORT must be an integer');
      expect((error as Error).message).toContain('LOG_LEVEL must be one of');
    }
  });

  it('keeps tokens out of logged URLs', () => {
    expect(scrubUrl('/collab/session-1?token=s3cr3t&name=Ann')).toBe('/collab/session-1?token=[redacted]&name=Ann');
    expect(scrubUrl('/api/meetings')).toBe('/api/meetings');
  });
});
