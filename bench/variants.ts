import type { Express, Request, Response } from 'express';
import type { LoggingOptions, TracingOptions } from '../index';
import { CountingSpanExporter, devNullLineTransport, devNullTransport } from './nullOutputs';

/** The servers compared by the request-overhead bench, bare Express first. */
export const VARIANTS = ['bare', 'metrics', 'metrics+tracing', 'full', 'full+console', 'peer'] as const;
/** One of {@link VARIANTS}. */
export type Variant = (typeof VARIANTS)[number];

/** What a variant describes itself with in the results. */
export const VARIANT_LABELS: Record<Variant, string> = {
  bare: 'bare Express',
  metrics: 'ours: metrics',
  'metrics+tracing': 'ours: metrics + tracing',
  full: 'ours: metrics + tracing + access log',
  'full+console': 'ours: full + console (recording, nobody looking)',
  peer: 'peer: express-prom-bundle + OTel http/express + express-winston',
};

/** A built server app and the counters that prove each variant did its work. */
export interface BuiltVariant {
  readonly app: Express;
  /** Spans handed to the exporter so far. */
  spans(): number;
  /** Access-log bytes written to /dev/null so far. */
  logBytes(): number;
  /** Runs of the slow health check so far (the health server only). */
  checkRuns?(): number;
}

/** The one route every variant serves: a small JSON body, as a hello-world API would. */
export function userHandler(req: Request, res: Response): void {
  res.json({ id: req.params.id, name: 'Ada Lovelace', email: 'ada@example.com' });
}

/**
 * Builds a variant. Express is required inside, never at the top of this file: the
 * peer stack's OTel instrumentations patch Express only if they are registered first.
 */
export function buildVariant(variant: Variant): BuiltVariant {
  switch (variant) {
    case 'bare':
      return bare();
    case 'peer':
      return peer();
    default:
      return ours(variant);
  }
}

function bare(): BuiltVariant {
  const express = require('express') as () => Express;
  const app = express();
  app.get('/api/users/:id', userHandler);
  return { app, spans: () => 0, logBytes: () => 0 };
}

function ours(variant: 'metrics' | 'metrics+tracing' | 'full' | 'full+console'): BuiltVariant {
  const express = require('express') as () => Express;
  const { createObservability } = require('../index') as typeof import('../index');
  const exporter = new CountingSpanExporter();
  // The library's default transport (stdout, a write per event-loop turn), aimed at /dev/null.
  const log = devNullLineTransport();
  const obs = createObservability({
    serviceName: 'bench',
    serviceVersion: '1.0.0',
    environment: 'production',
    global: false,
    metrics: {},
    tracing: variant === 'metrics' ? false : tracingOptions(exporter),
    logging: { transports: [log.transport], ...accessLogOptions(variant === 'full' || variant === 'full+console') },
    // Off in production unless enabled: the full stack as it is, and with the console recording its rings.
    console: { enabled: variant === 'full+console' },
  });
  const app = express();
  // The one-line setup: the middleware also answers /health/*, /metrics and /info.
  app.use(obs.middleware({ routes: true }));
  app.get('/api/users/:id', userHandler);
  app.use(obs.errorHandler());
  return { app, spans: () => exporter.exported, logBytes: log.bytes };
}

/** Tracing at 100% sampling through the default batch processor into the counting exporter. */
function tracingOptions(exporter: CountingSpanExporter): TracingOptions {
  return { exporter, sampler: 'always_on', processor: 'batch', recentSpans: 0, tracesPath: false, registerGlobal: false };
}

/** JSON lines; the access log on or off (other lines still go to the same transport). */
function accessLogOptions(on: boolean): Omit<LoggingOptions, 'transports'> {
  return { level: 'info', format: 'json', accessLog: on ? {} : false };
}

function peer(): BuiltVariant {
  // Order matters and is what the peer stack's users must do: tracer provider and
  // instrumentations first, then Express and the middleware that use it.
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const exporter = new CountingSpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  registerInstrumentations({ tracerProvider: provider, instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] });

  const express = require('express') as () => Express;
  const promBundle = require('express-prom-bundle') as typeof import('express-prom-bundle');
  const expressWinston = require('express-winston') as typeof import('express-winston');
  const winston = require('winston') as typeof import('winston');
  const log = devNullTransport();
  const app = express();
  app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
  app.use(
    expressWinston.logger({
      transports: [log.transport],
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      meta: true,
      expressFormat: true,
    }),
  );
  app.get('/api/users/:id', userHandler);
  return { app, spans: () => exporter.exported, logBytes: log.bytes };
}

/**
 * The health bench's server: the library's routes with one dependency check that takes
 * `checkMs`, counting how often it really runs.
 */
export function buildHealthServer(checkMs: number): BuiltVariant {
  const express = require('express') as () => Express;
  const { createObservability } = require('../index') as typeof import('../index');
  let runs = 0;
  const log = devNullTransport();
  const obs = createObservability({
    serviceName: 'bench',
    environment: 'production',
    global: false,
    tracing: false,
    logging: { transports: [log.transport], format: 'json' },
    health: {
      checks: {
        slowDependency: async () => {
          runs++;
          await new Promise((resolve) => setTimeout(resolve, checkMs));
        },
      },
    },
  });
  const app = express();
  app.use(obs.middleware());
  app.use(obs.routes());
  return { app, spans: () => 0, logBytes: log.bytes, checkRuns: () => runs };
}
