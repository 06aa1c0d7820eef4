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

  it('reads model prices, defaulting cache prices to the input price', () => {
    expect(parseEnv({}).MODEL_PRICES).toEqual({});
    expect(
      parseEnv({ MODEL_PRICES: '{"llama3.1:8b": {"input": 0.2, "output": 0.4, "cacheRead": 0.05}}' })
        .MODEL_PRICES,
    ).toEqual({ 'llama3.1:8b': { input: 0.2, output: 0.4, cacheRead: 0.05, cacheWrite: 0.2 } });
  });

  it.each([
    ['{not json', /MODEL_PRICES must be JSON/],
    ['{"m": {"input": -1, "output": 2}}', /MODEL_PRICES/],
    ['{"m": {"input": 1}}', /MODEL_PRICES/],
  ])('rejects MODEL_PRICES=%s', (value, message) => {
    expect(() => parseEnv({ MODEL_PRICES: value })).toThrow(message);
  });

  it('resolves DATA_DIR to an absolute path', () => {
    expect(parseEnv({ DATA_DIR: 'relative/dir' }).DATA_DIR).toMatch(/^\/.*relative\/dir$/);
  });
});

describe('parseEnv in production', () => {
  const secret = 'a-production-secret-of-at-least-32-characters';
  const messageOf = (raw: Record<string, string>) => {
    try {
      parseEnv({ NODE_ENV: 'production', ...raw });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      return (error as EnvError).message;
    }
    return null;
  };

  it('refuses to start without JWT_SECRET_KEY and DEFAULT_ADMIN_PASSWORD', () => {
    const message = messageOf({});
    expect(message).toContain('JWT_SECRET_KEY must be set in production');
    expect(message).toContain('DEFAULT_ADMIN_PASSWORD must be set in production');
    expect(message).not.toContain('\n');
    expect(messageOf({ DEFAULT_ADMIN_PASSWORD: 'a long admin passphrase' })).toContain(
      'JWT_SECRET_KEY must be set in production',
    );
    expect(messageOf({ JWT_SECRET_KEY: secret })).toContain(
      'DEFAULT_ADMIN_PASSWORD must be set in production',
    );
  });

  it.each([['changeme'], ['Password'], ['12345678'], ['sitewright']])(
    'refuses the well-known admin password %s without echoing it',
    (password) => {
      const message = messageOf({ JWT_SECRET_KEY: secret, DEFAULT_ADMIN_PASSWORD: password });
      expect(message).toContain('DEFAULT_ADMIN_PASSWORD must not be a default password in production');
      expect(message).not.toContain(password);
    },
  );

  it('refuses a short secret without echoing it', () => {
    const message = messageOf({
      JWT_SECRET_KEY: 'short-secret',
      DEFAULT_ADMIN_PASSWORD: 'a long admin passphrase',
    });
    expect(message).toContain('JWT_SECRET_KEY must be at least 32 characters');
    expect(message).not.toContain('short-secret');
  });

  it('starts with both set', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      JWT_SECRET_KEY: secret,
      DEFAULT_ADMIN_PASSWORD: 'a long admin passphrase',
    });
    expect(env.NODE_ENV).toBe('production');
    expect(env).toMatchObject({ BCRYPT_ROUNDS: 12, ACCESS_TOKEN_TTL_SECONDS: 900, LOGIN_RATE_LIMIT: 5 });
  });

  it('parses the security settings', () => {
    const env = parseEnv({
      CORS_ORIGINS: 'https://app.example.org/, http://localhost:5173',
      REQUIRE_LOCALHOST: 'true',
      COOKIE_SECURE: 'true',
    });
    expect(env.CORS_ORIGINS).toEqual(['https://app.example.org', 'http://localhost:5173']);
    expect(env.REQUIRE_LOCALHOST).toBe(true);
    expect(() => parseEnv({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => parseEnv({ COOKIE_SECURE: 'sometimes' })).toThrow(
      /COOKIE_SECURE must be one of auto, true, false/,
    );
  });
});
