import express from 'express';
import request from 'supertest';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { tracedApp, tracedObservability } from '../../fixtures/tracingApp';

afterEach(closeAll);

function appWith(tracing: Parameters<typeof tracedObservability>[0], options: Parameters<typeof tracedObservability>[1] = {}) {
  const t = tracedObservability(tracing, options);
  const app = tracedApp(express, t.obs, (a) => {
    a.get('/work', (_req, res) => {
      t.obs.tracer.startActiveSpan('step', (s) => {
        s.end();
        res.json({ ok: true });
      });
    });
  });
  return { ...t, app };
}

async function hit(app: express.Express, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await request(app).get('/work').expect(200);
}

describe('sampling', () => {
  it('always_off records nothing and still serves every request', async () => {
    const { app, spans } = appWith({ sampler: 'always_off' });
    await hit(app, 20);
    expect(spans()).toHaveLength(0);
  });

  it('sampleRatio 0 records nothing, 1 records every request', async () => {
    const none = appWith({ sampleRatio: 0 });
    const all = appWith({ sampleRatio: 1 });
    await hit(none.app, 20);
    await hit(all.app, 20);
    expect(none.spans()).toHaveLength(0);
    expect(all.spans().filter((s) => s.name === 'GET /work')).toHaveLength(20);
  });

  it('a ratio of 0.5 samples about half of the traces, and children follow their root', async () => {
    const { app, spans } = appWith({ sampleRatio: 0.5 });
    await hit(app, 300);
    const roots = spans().filter((s) => s.name === 'GET /work');
    // Trace-id ratio sampling is random per trace: 300 draws at p=0.5 fall in [100, 200] with overwhelming probability.
    expect(roots.length).toBeGreaterThan(100);
    expect(roots.length).toBeLessThan(200);
    const sampledTraces = new Set(roots.map((s) => s.spanContext().traceId));
    const children = spans().filter((s) => s.name === 'step');
    expect(children).toHaveLength(roots.length);
    for (const c of children) expect(sampledTraces.has(c.spanContext().traceId)).toBe(true);
  });

  it('reads OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG from the environment', async () => {
    const off = appWith({}, { env: { OTEL_TRACES_SAMPLER: 'always_off' } });
    const ratio0 = appWith({}, { env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' } });
    await hit(off.app, 10);
    await hit(ratio0.app, 10);
    expect(off.spans()).toHaveLength(0);
    expect(ratio0.spans()).toHaveLength(0);
  });

  it('a sampled-out request still propagates its trace id downstream with the sampled flag off', async () => {
    const { obs } = appWith({ sampler: 'always_off' });
    let headers: Record<string, string> = {};
    const app = tracedApp(express, obs, (a) => {
      a.get('/out', (_req, res) => {
        headers = obs.tracing.injectHeaders({});
        res.end();
      });
    });
    await request(app).get('/out').set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00').expect(200);
    expect(headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
  });
});

describe('disabled tracing', () => {
  it.each([
    ['tracing: false', { tracing: false as const }],
    ['OTEL_SDK_DISABLED=true', { env: { OTEL_SDK_DISABLED: 'true' } }],
  ])('%s: no spans, no trace headers, requests served', async (_case, options) => {
    const { obs } = testObservability(options);
    expect(obs.tracing.enabled).toBe(false);
    const app = tracedApp(express, obs, (a) => {
      a.get('/x', (_req, res) => {
        obs.tracer.startActiveSpan('manual', (s) => {
          s.end();
          res.json(obs.tracing.injectHeaders({}));
        });
      });
    });
    const res = await request(app).get('/x').expect(200);
    expect(res.body).toEqual({});
    expect(obs.tracing.recentSpans()).toEqual([]);
  });
});
