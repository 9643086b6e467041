import express from 'express';
import request from 'supertest';
import { closeAll } from '../helpers/testObservability';
import { only, tracedApp, tracedObservability } from '../fixtures/tracingApp';

afterEach(closeAll);

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
// `name_bucket{...} count # {trace_id="...",span_id="..."} value timestamp`
const EXEMPLAR = /^(\w+)_bucket\{([^}]*)\} \d+ # \{([^}]*)\} ([\d.e-]+)/;

function exemplars(body: string): Array<{ metric: string; labels: string; traceId: string; spanId: string }> {
  return body
    .split('\n')
    .map((l) => EXEMPLAR.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      metric: m[1]!,
      labels: m[2]!,
      traceId: /trace_id="([0-9a-f]+)"/.exec(m[3]!)?.[1] ?? '',
      spanId: /span_id="([0-9a-f]+)"/.exec(m[3]!)?.[1] ?? '',
    }));
}

describe('exemplars', () => {
  function setup(tracing = {}) {
    const t = tracedObservability(tracing, { metrics: { exemplars: true } });
    const app = tracedApp(express, t.obs, (a) => {
      a.get('/api/users/:id', (_req, res) => {
        res.json({ ok: true });
      });
    });
    return { ...t, app };
  }

  it('an OpenMetrics scrape shows a duration exemplar whose trace and span ids are those of the exported server span', async () => {
    const { app, spans } = setup();
    await request(app).get('/api/users/1').expect(200);
    const span = only(spans(), 'GET /api/users/:id');

    const scrape = await request(app).get('/metrics').set('Accept', OPENMETRICS).expect(200);
    expect(scrape.headers['content-type']).toContain('application/openmetrics-text');
    const found = exemplars(scrape.text).filter((e) => e.labels.includes('route="/api/users/:id"'));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.metric).toMatch(/duration_seconds$/);
    expect(found.every((e) => e.traceId === span.spanContext().traceId && e.spanId === span.spanContext().spanId)).toBe(true);
  });

  it('an unsampled request leaves no exemplar, and the Prometheus text format carries none', async () => {
    const { app, spans } = setup({ sampler: 'always_off' });
    await request(app).get('/api/users/1').expect(200);
    expect(spans()).toHaveLength(0);
    const openMetrics = await request(app).get('/metrics').set('Accept', OPENMETRICS).expect(200);
    expect(openMetrics.text).toMatch(/route="\/api\/users\/:id"/);
    expect(exemplars(openMetrics.text)).toHaveLength(0);

    const sampled = setup();
    await request(sampled.app).get('/api/users/1').expect(200);
    const text = await request(sampled.app).get('/metrics').expect(200);
    expect(text.text).toMatch(/route="\/api\/users\/:id"/);
    expect(text.text).not.toContain('trace_id');
  });
});
