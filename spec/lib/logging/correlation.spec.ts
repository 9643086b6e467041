import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import request from 'supertest';
import Transport from 'winston-transport';
import { expressVersions } from '../../helpers/expressVersions';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { logLines } from './logLines';

afterEach(closeAll);

const CONCURRENT = 200;

describe.each(expressVersions)('correlation on %s', (_name, express) => {
  function tracedApp() {
    const exporter = new InMemorySpanExporter();
    const { obs, logs } = testObservability({ tracing: { exporter, processor: 'simple' } });
    const log = obs.logger.child({ component: 'work' });
    const app = express();
    app.use(obs.middleware());
    app.get('/work/:n', async (req, res) => {
      const n = Number(req.params.n);
      log.info('start', { n });
      await sleep(Math.random() * 15);
      log.info('after await', { n });
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          obs.logger.info('in a timer', { n });
          resolve();
        }, Math.random() * 10),
      );
      await Promise.all([
        (async () => {
          await sleep(Math.random() * 5);
          log.debug('branch a', { n });
        })(),
        new Promise<void>((resolve) => setImmediate(() => (log.debug('branch b', { n }), resolve()))),
      ]);
      const inner = await obs.tracer.startActiveSpan('inner work', async (span) => {
        await sleep(1);
        log.info('inside a method span', { n });
        span.end();
        return span.spanContext().spanId;
      });
      const active = trace.getActiveSpan()!.spanContext();
      res.json({ traceId: active.traceId, serverSpanId: active.spanId, innerSpanId: inner });
    });
    return { app, obs, logs };
  }

  it(`${CONCURRENT} concurrent requests: every line carries its own request_id and trace_id, none another's`, async () => {
    const { app, logs } = tracedApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, n) => {
          const r = request(base).get(`/work/${n}`);
          // half bring their own request id, a quarter their own trace
          if (n % 2 === 0) r.set('x-request-id', `client-${n}`);
          if (n % 4 === 1) r.set('traceparent', `00-${n.toString(16).padStart(32, 'a')}-00f067aa0ba902b7-01`);
          return r.expect(200);
        }),
      );
      const lines = logLines(logs);
      const byN = new Map<number, Record<string, any>[]>();
      for (const l of lines.filter((l) => l.logger !== 'access')) byN.set(l.n, [...(byN.get(l.n) ?? []), l]);
      const requestIds = new Set<string>();
      responses.forEach((res, n) => {
        const requestId = res.headers['x-request-id'];
        if (n % 2 === 0) expect(requestId).toBe(`client-${n}`);
        if (n % 4 === 1) expect(res.body.traceId).toBe(n.toString(16).padStart(32, 'a'));
        requestIds.add(requestId);
        const own = byN.get(n)!;
        expect(own.map((l) => l.message).sort()).toEqual([
          'after await',
          'branch a',
          'branch b',
          'in a timer',
          'inside a method span',
          'start',
        ]);
        for (const l of own) {
          expect({ n, request_id: l.request_id, trace_id: l.trace_id, trace_flags: l.trace_flags }).toEqual({
            n,
            request_id: requestId,
            trace_id: res.body.traceId,
            // The traces these requests started are random (W3C Level 2); the callers' are not.
            trace_flags: n % 4 === 1 ? '01' : '03',
          });
          expect(l.span_id).toBe(
            l.message === 'inside a method span' ? res.body.innerSpanId : res.body.serverSpanId,
          );
        }
        const access = lines.filter((l) => l.logger === 'access' && l.request_id === requestId);
        expect(access).toHaveLength(1);
        expect(access[0]).toMatchObject({
          trace_id: res.body.traceId,
          span_id: res.body.serverSpanId,
          trace_flags: n % 4 === 1 ? '01' : '03',
          'url.path': `/work/${n}`,
        });
      });
      expect(requestIds.size).toBe(CONCURRENT);
      expect(lines).toHaveLength(CONCURRENT * 7);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('correlation outside requests', () => {
  it('a traced operation without a request gets trace ids only; plain code gets neither', async () => {
    const { obs, logs } = testObservability({
      tracing: { exporter: new InMemorySpanExporter(), processor: 'simple' },
    });
    const spanId = await obs.tracer.startActiveSpan('job', async (span) => {
      await sleep(1);
      obs.logger.info('in job');
      span.end();
      return span.spanContext().spanId;
    });
    obs.logger.info('outside');
    const [inJob, outside] = logLines(logs);
    expect(inJob).toMatchObject({
      span_id: spanId,
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      trace_flags: '03',
    });
    expect(inJob.request_id).toBeUndefined();
    expect(outside.trace_id).toBeUndefined();
    expect(outside.request_id).toBeUndefined();
  });

  it('an unsampled span still correlates, with trace_flags 00', async () => {
    const { obs, logs } = testObservability({
      tracing: { exporter: new InMemorySpanExporter(), processor: 'simple', sampler: 'always_off' },
    });
    const app = expressVersions[0][1]();
    app.use(obs.middleware());
    app.get('/x', (_req, res) => {
      obs.logger.info('unsampled');
      res.end();
    });
    const res = await request(app)
      .get('/x')
      .set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
    const line = logLines(logs).find((l) => l.message === 'unsampled')!;
    expect(line).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      trace_flags: '00',
      request_id: res.headers['x-request-id'],
    });
  });
});

describe('correlation with a slow transport', () => {
  it('ids are read where the caller logs, even when winston formats the line later', async () => {
    class SlowTransport extends Transport {
      readonly infos: Record<string, unknown>[] = [];
      override log(info: Record<string, unknown>, callback: () => void): void {
        this.infos.push(info);
        setTimeout(callback, 1);
      }
    }
    const slow = new SlowTransport();
    const { obs } = testObservability({ tracing: false, logging: { transports: [slow] } });
    const app = expressVersions[0][1]();
    app.use(obs.middleware());
    app.get('/burst/:n', (req, res) => {
      for (let i = 0; i < 40; i++) obs.logger.info('burst', { n: req.params.n });
      res.end();
    });
    const ids = await Promise.all(
      ['a', 'b', 'c'].map(async (n) => (await request(app).get(`/burst/${n}`)).headers['x-request-id']),
    );
    const burst = () => slow.infos.filter((i) => i.message === 'burst');
    for (let i = 0; i < 200 && burst().length < 120; i++) await sleep(5);
    expect(burst()).toHaveLength(120);
    for (const info of burst())
      expect(info.request_id).toBe(ids[['a', 'b', 'c'].indexOf(info.n as string)]);
  });
});
