import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('starts on embedded defaults with an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 8888, HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toMatch(/\/data$/);
    expect(env.WEB_DIST_DIR).toMatch(/apps\/web\/dist$/);
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(parseEnv({ DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined();
  });

  it.each([['postgres://u:p@db:5432/sitewright'], ['postgresql://localhost/sitewright']])(
    'accepts %s',
    (url) => {
      expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    },
  );

  it.each([['not a url'], ['mysql://u:p@db/x'], ['postgres://'], ['http://db:5432/x']])(
    'rejects DATABASE_URL=%s with one line that never echoes it',
    (url) => {
      const error = (() => {
        try {
          parseEnv({ DATABASE_URL: url });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(EnvError);
      const message = (error as EnvError).message;
      expect(message).toContain('DATABASE_URL must be a URL like postgres://');
      expect(message).not.toContain('(got');
      expect(message).not.toContain('\n');
    },
  );

  it('lists every problem at once', () => {
    const message = (() => {
      try {
        parseEnv({ PORT: '70000', LOG_LEVEL: 'loud', NODE_ENV: 'staging' });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toContain('PORT must be a whole number between 0 and 65535 (got "70000")');
    expect(message).toContain(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    );
    expect(message).toContain('NODE_ENV must be one of development, production, test (got "staging")');
  });

  it('resolves DATA_DIR to an absolute path', () => {
    expect(parseEnv({ DATA_DIR: 'relative/dir' }).DATA_DIR).toMatch(/^\/.*relative\/dir$/);
  });
});
