import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import type { ObservabilityOptions } from '../../lib/config';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

const PATH = '/observability/loggers';
const TOKEN = 'loggers-token-0123456789';
const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(expressVersions)('the loggers route on %s', (_name, express) => {
  function setup(options: ObservabilityOptions = {}, bodyParser = false) {
    const { obs, logs } = testObservability({ ...options, logging: { level: 'info', ...options.logging } });
    const orders = obs.logger.child({ component: 'orders' });
    const app = express();
    app.use(obs.middleware());
    if (bodyParser) app.use(express.json());
    app.use(obs.routes());
    app.get('/work', (_req, res) => {
      orders.debug('orders debug');
      obs.logger.debug('root debug');
      res.json({ ok: true });
    });
    const messages = () => logs.entries.map((e) => e.message as string);
    const changes = () => logs.entries.filter((e) => e.logger === 'log-levels');
    return { obs, logs, app, messages, changes };
  }

  it('GET lists the root, the access log and the named child loggers with their levels', async () => {
    const { app } = setup();
    const res = await request(app).get(PATH).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.levels).toEqual(LEVELS);
    expect(res.body.loggers).toEqual([
      { name: 'root', level: 'info', defaultLevel: 'info' },
      { name: 'access', level: 'info', defaultLevel: 'info' },
      { name: 'orders', level: 'info', defaultLevel: 'info' },
    ]);
    expect((await request(app).get(`${PATH}/orders`).expect(200)).body).toEqual({ name: 'orders', level: 'info', defaultLevel: 'info' });
  });

  it('POST raises one child logger for a while: its debug lines are written, the root stays at info, and the change is logged', async () => {
    const { app, messages, changes } = setup();
    await request(app).get('/work').expect(200);
    expect(messages()).not.toContain('orders debug');

    const before = Date.now();
    const res = await request(app).post(`${PATH}/orders`).send({ level: 'debug', durationSeconds: 120 }).expect(200);
    expect(res.body).toMatchObject({ name: 'orders', level: 'debug', defaultLevel: 'info' });
    const until = Date.parse(res.body.until);
    expect(until).toBeGreaterThanOrEqual(before + 120_000);
    expect(until).toBeLessThan(Date.now() + 121_000);

    await request(app).get('/work').expect(200);
    expect(messages()).toContain('orders debug');
    expect(messages()).not.toContain('root debug');
    // The access log still writes at info, not at debug.
    expect((await request(app).get(PATH).expect(200)).body.loggers).toEqual(
      expect.arrayContaining([{ name: 'access', level: 'info', defaultLevel: 'info' }, { name: 'orders', level: 'debug', defaultLevel: 'info', until: res.body.until }]),
    );
    const [change] = changes();
    expect(change).toMatchObject({
      level: 'warn',
      message: 'log level changed',
      'log_level.logger': 'orders',
      'log_level.from': 'info',
      'log_level.to': 'debug',
      'log_level.until': res.body.until,
      'log_level.reason': 'set',
    });
    expect(change!['client.address']).toMatch(/127\.0\.0\.1|::1/);
  });

  it('a level reverts by itself after its duration, and the revert is logged', async () => {
    const { app, messages, changes } = setup();
    await request(app).post(`${PATH}/root`).send({ level: 'debug', durationSeconds: 0.4 }).expect(200);
    await request(app).get('/work').expect(200);
    expect(messages()).toEqual(expect.arrayContaining(['root debug', 'orders debug']));

    await sleep(700);
    expect((await request(app).get(`${PATH}/root`).expect(200)).body).toEqual({ name: 'root', level: 'info', defaultLevel: 'info' });
    const count = messages().length;
    await request(app).get('/work').expect(200);
    expect(messages().slice(count)).not.toEqual(expect.arrayContaining(['root debug']));
    expect(messages().slice(count)).not.toEqual(expect.arrayContaining(['orders debug']));
    expect(changes().map((c) => [c.message, c['log_level.to'], c['log_level.reason']])).toEqual([
      ['log level changed', 'debug', 'set'],
      ['log level reverted', 'info', 'expired'],
    ]);
  });

  it('DELETE reverts now; without durationSeconds a level lasts ten minutes', async () => {
    const { app, obs, changes } = setup({}, true);
    const before = Date.now();
    const set = await request(app).post(`${PATH}/orders`).send({ level: 'silly' }).expect(200);
    expect(Date.parse(set.body.until) - before).toBeGreaterThanOrEqual(600_000);
    expect(Date.parse(set.body.until) - before).toBeLessThan(601_000);
    const res = await request(app).delete(`${PATH}/orders`).expect(200);
    expect(res.body).toEqual({ name: 'orders', level: 'info', defaultLevel: 'info' });
    expect(obs.logger.level).toBe('info');
    expect(changes().at(-1)).toMatchObject({ message: 'log level reverted', 'log_level.reason': 'reset', 'log_level.to': 'info' });
    expect(changes().at(-1)!['client.address']).toBeDefined();
  });

  it('invalid levels, durations and bodies are a 400 naming what is accepted', async () => {
    const { app, obs } = setup();
    const bad = async (body: unknown, raw = false) => {
      const r = request(app).post(`${PATH}/orders`);
      const res = raw ? await r.set('Content-Type', 'application/json').send(body as string) : await r.send(body as object);
      expect(res.status).toBe(400);
      return res.body as { error: string; levels: string[]; maxDurationSeconds: number };
    };
    const level = await bad({ level: 'trace' });
    expect(level.error).toBe('level "trace" is not one of error, warn, info, http, verbose, debug, silly');
    expect(level.levels).toEqual(LEVELS);
    expect((await bad({})).error).toMatch(/^level null is not one of error, warn/);
    for (const durationSeconds of [0, -5, 86_401, '600', null]) {
      expect((await bad({ level: 'debug', durationSeconds })).error).toBe(
        `durationSeconds ${JSON.stringify(durationSeconds)} is not a number of seconds above 0 and at most 86400 (default 600)`,
      );
    }
    expect((await bad('{"level":', true)).error).toMatch(/not JSON/);
    expect((await bad('[1]', true)).error).toMatch(/JSON object/);
    const name = await request(app).post(`${PATH}/${encodeURIComponent('bad name!')}`).send({ level: 'debug' }).expect(400);
    expect(name.body.error).toMatch(/logger name/);
    await request(app).put(`${PATH}/orders`).send({ level: 'debug' }).expect(405);
    expect(obs.logging.levels.list().every((l) => l.until === undefined)).toBe(true);
  });

  it('in production, callers without the token or authorize are refused; with either they may change levels', async () => {
    const { app } = setup({ environment: 'production', health: { token: TOKEN } });
    const get = await request(app).get(PATH).expect(401);
    expect(get.headers['www-authenticate']).toBe('Bearer');
    expect(get.body.loggers).toBeUndefined();
    await request(app).post(`${PATH}/root`).send({ level: 'debug' }).expect(401);
    await request(app).post(`${PATH}/root`).set('Authorization', 'Bearer wrong').send({ level: 'debug' }).expect(401);
    await request(app).delete(`${PATH}/root`).expect(401);
    await request(app).get(`${PATH}/root`).expect(401);
    await request(app).post(`${PATH}/root`).set('Authorization', `Bearer ${TOKEN}`).send({ level: 'debug' }).expect(200);
    const listed = await request(app).get(PATH).set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(listed.body.loggers[0]).toMatchObject({ name: 'root', level: 'debug' });

    const authorize = (req: IncomingMessage) => req.headers['x-operator'] === 'yes';
    const other = setup({ environment: 'production', health: { authorize } });
    await request(other.app).post(`${PATH}/orders`).send({ level: 'debug' }).expect(401);
    await request(other.app).post(`${PATH}/orders`).set('x-operator', 'yes').send({ level: 'debug' }).expect(200);
  });

  it('shutdown clears the revert timers and the levels; logging.levelsPath moves or removes the route', async () => {
    const { app, obs } = setup();
    await request(app).post(`${PATH}/orders`).send({ level: 'debug', durationSeconds: 3600 }).expect(200);
    expect(obs.logger.level).toBe('debug');
    await obs.shutdown();
    expect(obs.logging.levels.list().every((l) => l.until === undefined)).toBe(true);
    expect(obs.logger.level).toBe('info');

    const moved = setup({ logging: { levelsPath: '/ops/loggers' } });
    await request(moved.app).get('/ops/loggers').expect(200);
    await request(moved.app).get(PATH).expect(404);
    const off = setup({ logging: { levelsPath: false } });
    await request(off.app).get(PATH).expect(404);
    await request(off.app).post(`${PATH}/root`).send({ level: 'debug' }).expect(404);
  });
});

it('logging.levelsPath rejects a path that is not one', () => {
  expect(() => testObservability({ logging: { levelsPath: 'loggers' } })).toThrow(/logging\.levelsPath/);
});
