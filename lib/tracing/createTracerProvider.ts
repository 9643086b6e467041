/**
 * The one file that builds OpenTelemetry SDK objects (2.x: `sdk-trace-node`, `resources`,
 * the OTLP exporters). Moving to SDK 3.x (`@opentelemetry/sdk-trace`) should touch this
 * file and the type re-exports below, nothing else.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { context, createContextKey, propagation, ROOT_CONTEXT, trace, type TextMapPropagator, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { createSharedContextManager } from '../context';
import { withRandomTraceFlag } from './RandomFlagTracer';
import { SpanExportGuard } from './SpanExportGuard';
import { SpanRingBuffer } from './SpanRingBuffer';
import { TraceContextPropagator } from './TraceContextPropagator';
import type { ResolvedTracingOptions, SamplerName } from './tracingOptions';

export type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';

// Incubating in semantic-conventions: copied, as the package advises, rather than imported.
const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';

/** Who the spans come from: the resource of every span. */
export interface ServiceIdentity {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
}

/** What the SDK pieces of one instance amount to, without SDK types leaking out. */
export interface TracerProviderParts {
  readonly provider: TracerProvider;
  readonly tracer: Tracer;
  /** W3C trace context and baggage. */
  readonly propagator: TextMapPropagator;
  /** Recent finished spans (empty when `recentSpans` is 0). */
  readonly recent: SpanRingBuffer;
  readonly guard: SpanExportGuard;
  /** Makes this provider and the propagator the OTel globals; false when another provider holds them. */
  registerGlobal(): boolean;
  forceFlush(): Promise<void>;
  /** Flushes, shuts the exporter down and gives the globals back if this provider held them. */
  shutdown(): Promise<void>;
}

// The OTel API globals are process-wide: this records which of our providers holds them.
let globalOwner: TracerProvider | undefined;

/** Builds the provider, sampler, processors and exporter of one instance. */
export function createTracerProvider(options: ResolvedTracingOptions, service: ServiceIdentity, guard: SpanExportGuard): TracerProviderParts {
  ensureContextManager();
  const recent = new SpanRingBuffer(options.recentSpans);
  const spanProcessors: SpanProcessor[] = [];
  if (options.recentSpans > 0) spanProcessors.push(recent);
  const exporter = buildExporter(options);
  if (exporter) {
    const guarded = guard.wrapExporter(exporter);
    spanProcessors.push(
      options.processor === 'simple'
        ? new SimpleSpanProcessor(guarded)
        : guard.limitQueue(
            new BatchSpanProcessor(guarded, {
              maxQueueSize: options.batch.maxQueueSize,
              maxExportBatchSize: Math.min(options.batch.maxExportBatchSize, options.batch.maxQueueSize),
              scheduledDelayMillis: options.batch.scheduledDelayMs,
              exportTimeoutMillis: options.batch.exportTimeoutMs,
            }),
            options.batch.maxQueueSize,
          ),
    );
  }
  const sdkProvider = new NodeTracerProvider({
    resource: serviceResource(service),
    sampler: buildSampler(options.sampler, options.sampleRatio),
    spanProcessors,
  });
  // What the instance and the OTel globals see: the SDK's tracers with the W3C Level 2 random flag.
  const provider = withRandomTraceFlag(sdkProvider);
  const propagator = new CompositePropagator({ propagators: [new TraceContextPropagator(), new W3CBaggagePropagator()] });
  return {
    provider,
    tracer: provider.getTracer(service.serviceName, service.serviceVersion),
    propagator,
    recent,
    guard,
    registerGlobal() {
      if (globalOwner !== undefined || !trace.setGlobalTracerProvider(provider)) return false;
      propagation.setGlobalPropagator(propagator);
      globalOwner = provider;
      return true;
    },
    forceFlush: () => sdkProvider.forceFlush(),
    async shutdown() {
      if (globalOwner === provider) {
        trace.disable();
        propagation.disable();
        globalOwner = undefined;
      }
      await sdkProvider.shutdown();
    },
  };
}

/** The resource of every span (and every OTLP log record): the SDK's defaults and the service's identity. */
export function serviceResource(service: ServiceIdentity): Resource {
  return defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: service.serviceName,
      [ATTR_SERVICE_VERSION]: service.serviceVersion,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: service.environment,
    }),
  );
}

function buildExporter(options: ResolvedTracingOptions): SpanExporter | undefined {
  const e = options.exporter;
  if (typeof e === 'object') return e;
  if (e === 'console') return new ConsoleSpanExporter();
  if (e !== 'otlp') return undefined;
  // Every value is passed explicitly so the exporter's own reading of process.env never wins.
  const config = { url: options.endpoint, headers: { ...options.headers }, timeoutMillis: options.timeoutMs, httpAgentOptions: unrefAgent };
  return options.protocol === 'http/json' ? new OtlpJsonExporter(config) : new OtlpProtoExporter(config);
}

/**
 * The exporter's keep-alive agent, with sockets that do not keep the process alive (the
 * batch processor's timers do not either): after a shutdown that gave up on a backend
 * that never answers, its open request must not hold the process until the export timeout.
 */
export function unrefAgent(protocol: string): http.Agent {
  const agent = protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (opts, callback) => {
    const socket = create(opts, callback);
    (socket as Partial<Socket> | undefined)?.unref?.();
    return socket;
  };
  return agent;
}

function buildSampler(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

const probeKey = createContextKey('express-observability.probe');

/**
 * Without a context manager `context.with` does nothing and spans never nest, so one is
 * installed when none works yet (by probing rather than registering blindly, which would
 * log a duplicate-registration error when the app already set one). It is left in place at
 * shutdown: other instances and the app may rely on it, and it holds no resources. It is the
 * library's shared one, keeping trace and request context in one store (lib/context.ts).
 */
function ensureContextManager(): void {
  const works = context.with(ROOT_CONTEXT.setValue(probeKey, true), () => context.active().getValue(probeKey) === true);
  if (works) return;
  const manager = createSharedContextManager();
  if (context.setGlobalContextManager(manager)) manager.enable();
}
