import request from 'supertest';
import { Logged } from '../../decorators/Logged';
import type { Observability } from '../../middleware/createObservability';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

const SECRET = 'sk_live_5f3a9c-very-secret';
const MESSAGE = Symbol.for('message') as unknown as string;

function loginService(obs: Observability) {
  class LoginService {
    @Logged({ logArgs: true, logResult: true, entryLevel: 'info', instance: obs })
    async login(credentials: { user: string; password: string }, headers: Record<string, unknown>) {
      void headers;
      if (credentials.user === 'mallory')
        throw Object.assign(new Error('denied'), { attempted: credentials });
      return { user: credentials.user, token: SECRET };
    }
  }
  return new LoginService();
}

describe.each(expressVersions)('secrets never reach a log line on %s', (_name, express) => {
  it.each(['json', 'pretty'] as const)(
    'sent in headers, a JSON body and the query (%s format)',
    async (format) => {
      const { obs, logs } = testObservability({ tracing: false, logging: { format } });
      const service = loginService(obs);
      const log = obs.logger.child({ component: 'auth' });
      const app = express();
      app.use(obs.middleware());
      app.use(express.json());
      app.post('/login', async (req, res, next) => {
        try {
          log.info('login attempt', { headers: req.headers, body: req.body, query: req.query });
          log.debug('the whole request', { req });
          log.info('raw headers', { rawHeaders: req.rawHeaders });
          const result = await service.login(req.body, req.headers);
          res.json(result);
        } catch (e) {
          log.error('login failed', e as Error);
          next(e);
        }
      });
      app.use(obs.errorHandler());

      for (const user of ['alice', 'mallory']) {
        await request(app)
          .post(`/login?token=${SECRET}`)
          .set('Authorization', `Bearer ${SECRET}`)
          .set('Cookie', `session=${SECRET}`)
          .set('X-Api-Key', SECRET)
          .send({ user, password: SECRET, nested: { apiKey: SECRET, list: [{ secret: SECRET }] } });
      }

      const lines = logs.entries.map((e) => e[MESSAGE] as string);
      // every kind of line was written: the caller's, the decorator's (args, result, error) and the access log
      expect(lines.length).toBeGreaterThanOrEqual(12);
      expect(lines.some((l) => l.includes('LoginService.login'))).toBe(true);
      expect(lines.some((l) => l.includes('[REDACTED]'))).toBe(true);
      expect(lines.filter((l) => /access/.test(l))).not.toHaveLength(0);
      for (const line of lines) expect(line).not.toContain(SECRET);
    },
  );
});
