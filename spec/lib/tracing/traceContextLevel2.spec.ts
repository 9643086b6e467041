import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { closeAll } from '../../helpers/testObservability';
import { only, tracedApp, tracedObservability } from '../../fixtures/tracingApp';

// The W3C trace-context test suite drives a service with an incoming traceparent/tracestate
// and checks the headers of the call the service makes back to the harness. The same here,
// with a loopback "harness" that records the headers it receives, for each way the library
// sends a call: the traced fetch and injectHeaders on a plain http.request.

const T = '12345678901234567890123456789012';
const P = '1234567890123456';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const servers: http.Server[] = [];
let harness: { url: string; seen: http.IncomingHttpHeaders[] };

async function listen(app: http.RequestListener): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  const seen: http.IncomingHttpHeaders[] = [];
  harness = { url: await listen((req, res) => void (seen.push(req.headers), res.end('{}'))), seen };
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
  await closeAll();
});

async function service() {
  const traced = tracedObservability({ sampler: 'parentbased_always_on' });
  const { obs } = traced;
  const url = await listen(
    tracedApp(express, obs, (app) => {
      app.post('/fetch', async (_req, res, next) => {
        try {
          await (await obs.tracing.fetch(harness.url)).text();
          res.end();
        } catch (e) {
          next(e);
        }
      });
      app.post('/inject', (_req, res, next) => {
        http
          .get(harness.url, { headers: obs.tracing.injectHeaders({}) }, (answer) => {
            answer.resume();
            answer.on('end', () => res.end());
          })
          .on('error', next);
      });
    }),
  );
  return { ...traced, url };
}

/** Sends one request with `headers` to the service, which calls the harness by `client`; the harness's headers. */
async function callBack(url: string, client: string, headers: [string, string][]): Promise<http.IncomingHttpHeaders> {
  const before = harness.seen.length;
  const res = await fetch(`${url}/${client}`, { method: 'POST', headers });
  expect(res.status).toBe(200);
  expect(harness.seen).toHaveLength(before + 1);
  return harness.seen[before]!;
}

function traceparentOf(headers: http.IncomingHttpHeaders): { traceId: string; parentId: string; flags: string } {
  const value = headers.traceparent;
  expect(typeof value).toBe('string');
  const m = TRACEPARENT.exec(value as string);
  expect(m).not.toBeNull();
  return { traceId: m![1]!, parentId: m![2]!, flags: m![3]! };
}

describe.each(['fetch', 'inject'])('W3C Trace Context Level 2 through %s', (client) => {
  it.each([
    ['random, not sampled', '02', '02'],
    ['random and sampled', '03', '03'],
    ['sampled, not random', '01', '01'],
    ['neither', '00', '00'],
    // Flags this version does not define are not passed on (Level 1 and 2: set them to zero).
    ['sampled with an undefined flag', '09', '01'],
    ['random with an undefined flag', '06', '02'],
  ])('traceparent flags %s (-%s) come back -%s, in the same trace under a new parent id', async (_what, incoming, expected) => {
    const { url } = await service();
    const headers = await callBack(url, client, [['traceparent', `00-${T}-${P}-${incoming}`]]);
    const tp = traceparentOf(headers);
    expect(tp).toEqual({ traceId: T, parentId: expect.not.stringMatching(P), flags: expected });
  });

  it('a trace the service starts is random and sampled (-03)', async () => {
    const { url } = await service();
    const tp = traceparentOf(await callBack(url, client, []));
    expect(tp.flags).toBe('03');
    expect(tp.traceId).not.toBe('0'.repeat(32));
  });

  it('an invalid traceparent starts a new, random trace', async () => {
    const { url } = await service();
    for (const bad of [`00-${'0'.repeat(32)}-${P}-03`, `00-${T}-${P}-3`, `ff-${T}-${P}-03`]) {
      const tp = traceparentOf(await callBack(url, client, [['traceparent', bad]]));
      expect(tp.traceId).not.toBe(T);
      expect(tp.flags).toBe('03');
    }
  });

  it('a tracestate that ends up empty is not sent as an empty header; a valid one is carried', async () => {
    const { url } = await service();
    for (const state of ['', ' ', 'FOO=1', ',']) {
      const headers = await callBack(url, client, [
        ['traceparent', `00-${T}-${P}-03`],
        ['tracestate', state],
      ]);
      expect(traceparentOf(headers).traceId).toBe(T);
      expect(headers).not.toHaveProperty('tracestate');
    }
    const carried = await callBack(url, client, [
      ['traceparent', `00-${T}-${P}-02`],
      ['tracestate', 'foo=1,bar=2'],
    ]);
    expect(carried.tracestate).toBe('foo=1,bar=2');
    expect(traceparentOf(carried).flags).toBe('02');
  });
});

describe('the random flag in the spans themselves', () => {
  it("the server span continues the caller's flag; the spans of a trace the service starts carry it", async () => {
    const { url, spans } = await service();
    await callBack(url, 'fetch', [['traceparent', `00-${T}-${P}-03`]]);
    const server = only(spans(), 'POST /fetch');
    expect(server.spanContext()).toMatchObject({ traceId: T, traceFlags: 0x03 });
    expect(server.parentSpanContext).toMatchObject({ spanId: P, isRemote: true });
    expect(only(spans(), 'GET').spanContext().traceFlags).toBe(0x03);

    await callBack(url, 'inject', [['traceparent', `00-${T}-${P}-01`]]);
    expect(only(spans(), 'POST /inject').spanContext().traceFlags).toBe(0x01);
  });

  it('manual spans: a root span is random, a child keeps its parent’s flags, startActiveSpan too', async () => {
    const { obs } = await service();
    const root = obs.tracer.startSpan('root');
    expect(root.spanContext().traceFlags).toBe(0x03);
    obs.tracer.startActiveSpan('active', (active) => {
      expect(active.spanContext().traceFlags).toBe(0x03);
      expect(active.spanContext().traceId).not.toBe(root.spanContext().traceId);
      obs.tracer.startActiveSpan('child', { attributes: { a: 1 } }, (child) => {
        expect(child.spanContext()).toMatchObject({ traceId: active.spanContext().traceId, traceFlags: 0x03 });
        child.end();
      });
      active.end();
    });
    const forcedRoot = obs.tracer.startSpan('forced root', { root: true });
    expect(forcedRoot.spanContext().traceFlags).toBe(0x03);
    root.end();
    forcedRoot.end();
  });
});
