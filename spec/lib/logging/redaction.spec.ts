import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { redact } from '../../../lib/logging/redact';
import { DEFAULT_REDACT_KEYS } from '../../../lib/logging/redactKeys';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { logLines, rawLines } from './logLines';

afterEach(closeAll);

const SECRET = 'hunter2-s3cr3t';

describe('redaction', () => {
  it('replaces sensitive keys at any depth, in every spelling, with the marker', () => {
    const { obs, logs } = testObservability();
    obs.logger.info('request', {
      headers: {
        authorization: `Bearer ${SECRET}`,
        Cookie: `sid=${SECRET}`,
        'set-cookie': [`a=${SECRET}`],
        'x-api-key': SECRET,
        accept: 'json',
      },
      body: { user: { password: SECRET, passwordConfirmation: SECRET, profile: { name: 'Ann' } } },
      list: [
        { access_token: SECRET },
        { refreshToken: SECRET },
        { client_secret: SECRET },
        { apiKey: SECRET },
        { private_key: SECRET },
      ],
      credentials: { anything: SECRET },
      password: SECRET,
    });
    expect(rawLines(logs)[0]).not.toContain(SECRET);
    const [line] = logLines(logs);
    expect(line.headers).toEqual({
      authorization: '[REDACTED]',
      Cookie: '[REDACTED]',
      'set-cookie': '[REDACTED]',
      'x-api-key': '[REDACTED]',
      accept: 'json',
    });
    expect(line.body.user).toEqual({
      password: '[REDACTED]',
      passwordConfirmation: '[REDACTED]',
      profile: { name: 'Ann' },
    });
    expect(line.password).toBe('[REDACTED]');
    expect(line.credentials).toBe('[REDACTED]');
  });

  it('redacts in child lines, error properties, Map keys, raw headers and request objects', () => {
    const { obs, logs } = testObservability();
    const req = new IncomingMessage(new Socket());
    req.method = 'POST';
    req.url = `/login?next=/home&token=${SECRET}&api_key=${SECRET}`;
    req.headers = { authorization: `Basic ${SECRET}`, 'user-agent': 'jest' };
    req.rawHeaders = ['Authorization', `Basic ${SECRET}`, 'User-Agent', 'jest'];
    obs.logger.child({ component: 'auth', token: SECRET }).warn('login', {
      req,
      raw: { rawHeaders: req.rawHeaders },
      err: Object.assign(new Error('denied'), { password: SECRET }),
      map: new Map([['secret', SECRET]]),
    });
    const text = rawLines(logs)[0];
    expect(text).not.toContain(SECRET);
    const [line] = logLines(logs);
    expect(line.token).toBe('[REDACTED]');
    expect(line.req).toEqual({
      method: 'POST',
      url: '/login?next=/home&token=%5BREDACTED%5D&api_key=%5BREDACTED%5D',
      headers: { authorization: '[REDACTED]', 'user-agent': 'jest' },
    });
    expect(line.raw.rawHeaders).toEqual(['Authorization', '[REDACTED]', 'User-Agent', 'jest']);
    expect(line.err.password).toBe('[REDACTED]');
    req.socket.destroy();
  });

  it('takes a configurable key list (strings and RegExps) and marker', () => {
    const { obs, logs } = testObservability({
      logging: { redactKeys: [...DEFAULT_REDACT_KEYS, 'ssn', /^card(Number)?$/i], redactMarker: '***' },
    });
    obs.logger.info('custom', {
      ssn: '123-45-6789',
      customer_ssn: '123',
      CardNumber: '4111',
      cardholder: 'Ann',
      password: 'x',
    });
    expect(logLines(logs)[0]).toMatchObject({
      ssn: '***',
      customer_ssn: '***',
      CardNumber: '***',
      cardholder: 'Ann',
      password: '***',
    });

    const only = testObservability({ logging: { redactKeys: ['pin'] } });
    only.obs.logger.info('only pin', { pin: '1234', password: 'visible' });
    expect(logLines(only.logs)[0]).toMatchObject({ pin: '[REDACTED]', password: 'visible' });
  });

  it('rejects a key list that would match everything or nothing', () => {
    expect(() => testObservability({ logging: { redactKeys: ['--'] } })).toThrow(/logging.redactKeys/);
    expect(() => testObservability({ logging: { redactKeys: 'password' as never } })).toThrow(
      /logging.redactKeys/,
    );
  });

  it('redact() gives the same safe copy for reuse elsewhere', () => {
    const circular: Record<string, unknown> = { password: SECRET, big: 1n };
    circular.self = circular;
    expect(redact(circular)).toEqual({ password: '[REDACTED]', big: '1', self: '[Circular]' });
    expect(redact({ pin: 1, token: 2 }, { keys: ['pin'], marker: '#' })).toEqual({ pin: '#', token: 2 });
    expect(redact('x'.repeat(50), { maxStringLength: 20 })).toBe(`${'x'.repeat(20)}...[truncated 30 chars]`);
  });
});
