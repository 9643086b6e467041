import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { ObservabilityConfigError } from '../../../lib/configError';
import { resolveRegisterOptions, resolveTracingOptions } from '../../../lib/tracing/tracingOptions';

describe('resolveTracingOptions', () => {
  it('defaults to the embedded in-memory exporter with a parent-based ratio sampler of 1 and a bounded batch queue', () => {
    const o = resolveTracingOptions(undefined, {});
    expect(o).toMatchObject({
      enabled: true,
      exporter: 'memory',
      recentSpans: 1000,
      sampler: 'parentbased_traceidratio',
      sampleRatio: 1,
      processor: 'batch',
      protocol: 'http/protobuf',
      batch: { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMs: 5000, exportTimeoutMs: 30000 },
    });
  });

  it('switches to OTLP when an endpoint is configured, appending /v1/traces to the generic one', () => {
    const o = resolveTracingOptions(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(o).toMatchObject({ exporter: 'otlp', endpoint: 'http://collector:4318/v1/traces', recentSpans: 0 });
  });

  it('takes the traces endpoint as it is and prefers it to the generic one', () => {
    const o = resolveTracingOptions(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318/',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/custom',
    });
    expect(o.endpoint).toBe('https://traces.example/custom');
  });

  it('reads protocol, headers, timeout, sampler and batch limits from the OTel variables', () => {
    const o = resolveTracingOptions(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s%3Dcret,tenant=acme',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
    });
    expect(o).toMatchObject({
      protocol: 'http/json',
      headers: { 'x-api-key': 's=cret', tenant: 'acme' },
      timeoutMs: 2500,
      sampler: 'traceidratio',
      sampleRatio: 0.25,
      batch: { maxQueueSize: 100 },
    });
  });

  it('lets options win over environment variables', () => {
    const o = resolveTracingOptions(
      { endpoint: 'http://mine:4318/v1/traces', protocol: 'http/protobuf', sampleRatio: 0.1, exporter: 'console' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'always_off' },
    );
    expect(o).toMatchObject({ endpoint: 'http://mine:4318/v1/traces', protocol: 'http/protobuf', sampler: 'parentbased_traceidratio', sampleRatio: 0.1, exporter: 'console' });
  });

  it('honours OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none', () => {
    expect(resolveTracingOptions(undefined, { OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(resolveTracingOptions(undefined, { OTEL_TRACES_EXPORTER: 'none' }).exporter).toBe('none');
    expect(resolveTracingOptions(false, {}).enabled).toBe(false);
  });

  it('accepts a SpanExporter object', () => {
    const exporter = new InMemorySpanExporter();
    expect(resolveTracingOptions({ exporter }, {}).exporter).toBe(exporter);
  });

  it.each([
    [{ sampleRatio: 2 }, {}, 'tracing.sampleRatio'],
    [{}, { OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER'],
    [{}, { OTEL_TRACES_SAMPLER_ARG: 'half' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ endpoint: 'ftp://x' }, {}, 'tracing.endpoint'],
    [{ exporter: 'jaeger' }, {}, 'tracing.exporter'],
    [{ exporter: {} }, {}, 'tracing.exporter'],
    [{ batch: { maxQueueSize: 0 } }, {}, 'tracing.batch.maxQueueSize'],
    [{}, { OTEL_BSP_MAX_QUEUE_SIZE: '-1' }, 'OTEL_BSP_MAX_QUEUE_SIZE'],
    [{ tracesPath: 'traces' }, {}, 'tracing.tracesPath'],
    [{ headers: { a: 1 } }, {}, 'tracing.headers'],
  ])('throws a config error naming the bad value (%j %j)', (input, env, option) => {
    let error: unknown;
    try {
      resolveTracingOptions(input as never, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ObservabilityConfigError);
    expect((error as ObservabilityConfigError).option).toBe(option);
    expect((error as Error).message).toContain(option);
  });
});

describe('resolveRegisterOptions', () => {
  it('defaults to client mode without the ESM hook for a CommonJS start', () => {
    expect(resolveRegisterOptions({}, ['--require', 'express-observability/register'])).toEqual({ mode: 'client', esmHook: false });
  });

  it('installs the ESM hook when started with --import', () => {
    expect(resolveRegisterOptions({}, ['--import', 'express-observability/register']).esmHook).toBe(true);
    expect(resolveRegisterOptions({ NODE_OPTIONS: '--import=express-observability/register' }, []).esmHook).toBe(true);
  });

  it('reads the mode and turns off with OTEL_SDK_DISABLED', () => {
    expect(resolveRegisterOptions({ EXPRESS_OBSERVABILITY_INSTRUMENTATION: 'full' }, []).mode).toBe('full');
    expect(resolveRegisterOptions({ OTEL_SDK_DISABLED: 'true' }, []).mode).toBe('off');
    expect(() => resolveRegisterOptions({ EXPRESS_OBSERVABILITY_INSTRUMENTATION: 'all' }, [])).toThrow(/EXPRESS_OBSERVABILITY_INSTRUMENTATION/);
  });
});
