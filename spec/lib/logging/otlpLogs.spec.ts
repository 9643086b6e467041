import { ExportResultCode } from '@opentelemetry/core';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { Logged } from '../../../decorators/Logged';
import { resolveConfig } from '../../../lib/config';
import { only, tracedObservability } from '../../fixtures/tracingApp';
import { closeAll, testObservability } from '../../helpers/testObservability';

afterEach(closeAll);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Exports nothing and never answers (a collector that hangs); counts what it was handed. */
class HangingExporter implements LogRecordExporter {
  handed = 0;
  export(records: ReadableLogRecord[]): void {
    this.handed += records.length;
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

function attribute(r: ReadableLogRecord, key: string): unknown {
  return r.attributes[key];
}

describe('logging.otlp with an injected exporter', () => {
  it('every record (the app’s, the access log’s, a decorator’s) goes out once, with severity, body, redacted attributes, its own trace context and the spans’ resource', async () => {
    const logs = new InMemoryLogRecordExporter();
    const { obs, spans } = tracedObservability(
      {},
      {
        serviceName: 'orders',
        serviceVersion: '4.5.6',
        environment: 'staging',
        logging: { level: 'info', otlp: { exporter: logs, batch: { scheduledDelayMs: 10 } } },
      },
    );
    const log = obs.logger.child({ component: 'checkout' });
    class Checkout {
      @Logged({ instance: obs })
      total(n: number): number {
        return n * 2;
      }
    }
    const app = express();
    app.use(obs.middleware());
    app.get('/pay/:id', (req, res) => {
      log.warn('payment declined', { password: 'hunter2', card: { token: 'tok_123', last4: '4242' }, attempt: 2 });
      res.json({ total: new Checkout().total(21) });
    });
    await request(app).get('/pay/7').set('user-agent', 'probe').expect(200);
    // (Not shutdown: the in-memory exporter forgets its records when shut down.)
    await sleep(150);

    const records = logs.getFinishedLogRecords();
    const bodies = records.map((r) => r.body);
    expect(bodies.filter((b) => b === 'payment declined')).toHaveLength(1);
    expect(bodies.filter((b) => b === 'request completed')).toHaveLength(1);
    const server = only(spans(), 'GET /pay/:id');
    const ids = { traceId: server.spanContext().traceId, spanId: server.spanContext().spanId, traceFlags: server.spanContext().traceFlags };

    const app1 = records.find((r) => r.body === 'payment declined')!;
    expect(app1).toMatchObject({ severityNumber: SeverityNumber.WARN, severityText: 'warn', spanContext: ids });
    expect(app1.attributes).toMatchObject({ logger: 'checkout', attempt: 2, password: '[REDACTED]', card: { token: '[REDACTED]', last4: '4242' } });
    expect(JSON.stringify(records)).not.toContain('hunter2');
    expect(JSON.stringify(records)).not.toContain('tok_123');
    expect(attribute(app1, 'trace_id')).toBeUndefined();
    expect(typeof attribute(app1, 'request_id')).toBe('string');

    const access = records.find((r) => r.body === 'request completed')!;
    expect(access).toMatchObject({ severityNumber: SeverityNumber.INFO, severityText: 'info', spanContext: ids });
    expect(access.attributes).toMatchObject({ logger: 'access', 'http.route': '/pay/:id', 'http.response.status_code': 200, 'user_agent.original': 'probe' });

    const decorated = records.filter((r) => r.attributes.function === 'total');
    expect(decorated).toHaveLength(1);
    expect(decorated[0]).toMatchObject({ spanContext: ids });
    expect(decorated[0]!.attributes).toMatchObject({ class: 'Checkout', function: 'total', duration_ms: expect.any(Number) });

    for (const r of records) {
      expect(r.resource.attributes).toMatchObject({ 'service.name': 'orders', 'service.version': '4.5.6', 'deployment.environment.name': 'staging' });
    }
    // Lines outside any span have no trace context of their own.
    expect(records.every((r) => r.spanContext !== undefined)).toBe(true);
  });

  it('stdout (here the in-memory transport) keeps every line next to OTLP; logging.stdout: false leaves OTLP alone', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const { obs, logs } = testObservability({ logging: { otlp: { exporter, batch: { scheduledDelayMs: 10 } } } });
    obs.logger.info('both ways');
    await sleep(150);
    expect(logs.entries.map((e) => e.message)).toEqual(['both ways']);
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual(['both ways']);
    expect(exporter.getFinishedLogRecords()[0]!.spanContext).toBeUndefined();

    const onlyOtlp = resolveConfig({ logging: { stdout: false, otlp: {} }, env: {} }).logging;
    expect(onlyOtlp).toMatchObject({ stdout: false, otlp: { endpoint: 'http://localhost:4318/v1/logs', protocol: 'http/protobuf' } });
  });

  it('a collector that never answers: the queue stays at its limit, the rest is dropped, counted in stats() and the self-metric, reported once', async () => {
    const hanging = new HangingExporter();
    const registry = new Registry();
    const reports: string[] = [];
    const { obs } = testObservability({
      metrics: { registry },
      onError: (e, source) => reports.push(`${source}: ${(e as Error).message}`),
      logging: { otlp: { exporter: hanging, batch: { maxQueueSize: 10, maxExportBatchSize: 5, scheduledDelayMs: 5 } } },
    });
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) obs.logger.info(`line ${i}`);
    expect(performance.now() - t0).toBeLessThan(1000);
    await sleep(100);
    for (let i = 0; i < 100; i++) obs.logger.info(`late ${i}`);
    const stats = obs.logging.stats();
    expect(stats.droppedQueueFull).toBeGreaterThanOrEqual(280);
    expect(stats.exportedRecords).toBe(0);
    // One export in flight (the SDK sends one batch at a time), the queue full behind it.
    expect(hanging.handed).toBeLessThanOrEqual(10);
    const text = await registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith('express_observability_log_records_dropped_total{') && l.includes('reason="queue_full"'));
    expect(Number(line!.split(' ').pop())).toBe(stats.droppedQueueFull);
    expect(reports.filter((r) => r.startsWith('exporter: log export'))).toHaveLength(1);

    const s0 = performance.now();
    await obs.shutdown({ timeoutMs: 300 });
    expect(performance.now() - s0).toBeLessThan(2000);
    expect(obs.logging.stats().droppedShutdown).toBeGreaterThan(0);
  });

  it('failed exports are counted as export_failed, one report per interval', async () => {
    const failing: LogRecordExporter = {
      export: (_records, done) => done({ code: ExportResultCode.FAILED, error: new Error('503 from collector') }),
      shutdown: async () => undefined,
      forceFlush: async () => undefined,
    };
    const reports: string[] = [];
    const { obs } = testObservability({
      onError: (e, source) => reports.push(`${source}: ${(e as Error).message}`),
      logging: { otlp: { exporter: failing, batch: { scheduledDelayMs: 5 } } },
    });
    for (let i = 0; i < 3; i++) {
      obs.logger.info(`line ${i}`);
      await sleep(40);
    }
    expect(obs.logging.stats()).toMatchObject({ exportedRecords: 0, droppedExportFailed: 3, exportFailures: 3 });
    expect(reports).toEqual(['exporter: log export: 1 records dropped and 1 exports failed since the last report: 503 from collector']);
  });

  it('OTEL_LOGS_EXPORTER and the OTLP environment variables configure it; bad values are named', () => {
    const resolved = resolveConfig({
      env: {
        OTEL_LOGS_EXPORTER: 'otlp,console',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k1',
        OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-tenant=acme',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
        OTEL_BLRP_MAX_QUEUE_SIZE: '100',
      },
    }).logging;
    expect(resolved.otlp).toMatchObject({
      endpoint: 'http://collector:4318/v1/logs',
      protocol: 'http/json',
      headers: { 'x-tenant': 'acme' },
      timeoutMs: 2500,
      batch: { maxQueueSize: 100, maxExportBatchSize: 100, scheduledDelayMs: 1000, exportTimeoutMs: 30_000 },
    });
    expect(resolveConfig({ env: { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://x:1/custom' } }).logging.otlp).toBeUndefined();
    expect(resolveConfig({ env: { OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://x:1/custom' } }).logging.otlp?.endpoint).toBe('http://x:1/custom');
    expect(() => resolveConfig({ env: { OTEL_LOGS_EXPORTER: 'kafka' } })).toThrow(/OTEL_LOGS_EXPORTER.*"kafka"/);
    expect(() => resolveConfig({ logging: { otlp: { endpoint: 'collector:4318' } }, env: {} })).toThrow(/logging\.otlp\.endpoint/);
    expect(() => resolveConfig({ logging: { otlp: { protocol: 'grpc' as never } }, env: {} })).toThrow(/logging\.otlp\.protocol/);
  });
});
