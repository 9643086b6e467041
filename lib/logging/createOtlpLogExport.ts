/**
 * The one file that builds OpenTelemetry logs SDK objects (0.223.x, paired with SDK 2.12:
 * `sdk-logs`, `api-logs`, the OTLP/HTTP log exporters). Moving to SDK 3.x should touch this
 * file and the type re-exports below, nothing else.
 */
import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { SeverityNumber, type AnyValue, type LogRecord, type Logger } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import TransportStream from 'winston-transport';
import { serviceResource, unrefAgent, type ServiceIdentity } from '../tracing/createTracerProvider';
import { LogExportGuard, type LogExportListener, type LogExportStats } from './LogExportGuard';
import type { ResolvedOtlpLogOptions } from './otlpLogOptions';

export type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';

const LEVEL = Symbol.for('level');

/** winston's npm levels as OTel severities (the mapping of OTel's own winston transport). */
const SEVERITY: Readonly<Record<string, SeverityNumber>> = {
  error: SeverityNumber.ERROR,
  warn: SeverityNumber.WARN,
  info: SeverityNumber.INFO,
  http: SeverityNumber.DEBUG3,
  verbose: SeverityNumber.DEBUG2,
  debug: SeverityNumber.DEBUG,
  silly: SeverityNumber.TRACE,
};

// Fields that are the record's own (timestamp, severity, body, trace context) or the resource's.
const NOT_ATTRIBUTES = new Set(['timestamp', 'level', 'message', 'service', 'trace_id', 'span_id', 'trace_flags']);
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** The OTLP log pipeline of one instance. */
export interface OtlpLogExport {
  /** The winston transport that hands every finished record to the pipeline. */
  readonly transport: TransportStream;
  stats(): LogExportStats;
  /** Flushes and shuts the pipeline down within `timeoutMs`; what it could not deliver is counted as dropped. Never rejects. */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Builds the provider (not registered as the OTel global, so no other winston integration
 * sends these records a second time), the batch processor behind a bounded, counted queue,
 * and the exporter (OTLP/HTTP protobuf or JSON, or the one given).
 */
export function createOtlpLogExport(options: ResolvedOtlpLogOptions, service: ServiceIdentity, listener: LogExportListener): OtlpLogExport {
  const guard = new LogExportGuard(listener);
  const exporter = guard.wrapExporter(options.exporter ?? buildExporter(options));
  const b = options.batch;
  const processor = guard.limitQueue(
    new BatchLogRecordProcessor({
      exporter,
      maxQueueSize: b.maxQueueSize,
      maxExportBatchSize: b.maxExportBatchSize,
      scheduledDelayMillis: b.scheduledDelayMs,
      exportTimeoutMillis: b.exportTimeoutMs,
    }),
    b.maxQueueSize,
  );
  const provider = new LoggerProvider({ resource: serviceResource(service), processors: [processor] });
  const logger = provider.getLogger('express-observability');
  let closing: Promise<void> | undefined;
  return {
    transport: new OtlpLogTransport(logger, listener),
    stats: () => guard.stats(),
    shutdown(timeoutMs) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          guard.abandon();
          resolve();
        }, Math.max(0, timeoutMs));
        timer.unref();
        provider.shutdown().then(
          () => (clearTimeout(timer), resolve()),
          () => (clearTimeout(timer), resolve()),
        );
      });
      return closing;
    },
  };
}

function buildExporter(options: ResolvedOtlpLogOptions): LogRecordExporter {
  // Every value is passed explicitly so the exporter's own reading of process.env never wins.
  const config = { url: options.endpoint, headers: { ...options.headers }, timeoutMillis: options.timeoutMs, httpAgentOptions: unrefAgent };
  return options.protocol === 'http/json' ? new OtlpJsonLogExporter(config) : new OtlpProtoLogExporter(config);
}

/**
 * Hands each finished line (after the library's format: redacted, bounded, correlated) to the
 * OTel logger as one record: severity number and text, the message as body, the other fields
 * as attributes, and `trace_id`/`span_id`/`trace_flags` as the record's own trace context.
 */
class OtlpLogTransport extends TransportStream {
  constructor(
    private readonly logger: Logger,
    private readonly listener: LogExportListener,
  ) {
    super();
  }

  override log(info: Record<string | symbol, unknown>, callback?: () => void): void {
    try {
      this.logger.emit(toLogRecord(info));
    } catch (e) {
      this.listener.exportFailed(e);
    }
    if (callback) callback();
  }
}

/** One winston record as an OTel log record. */
export function toLogRecord(info: Record<string | symbol, unknown>): LogRecord {
  const level = String(info[LEVEL] ?? info.level);
  const attributes: Record<string, AnyValue> = {};
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (!NOT_ATTRIBUTES.has(key) && value !== undefined) attributes[key] = value as AnyValue;
  }
  const time = typeof info.timestamp === 'string' ? Date.parse(info.timestamp) : NaN;
  const message = info.message;
  return {
    timestamp: Number.isFinite(time) ? time : Date.now(),
    severityNumber: SEVERITY[level] ?? SeverityNumber.UNSPECIFIED,
    severityText: level,
    body: typeof message === 'string' ? message : message === undefined ? '' : JSON.stringify(message),
    attributes,
    context: traceContext(info),
  };
}

/** The line's own trace context; the root context when it has none (never the context active at export). */
function traceContext(info: Record<string | symbol, unknown>): Context {
  const { trace_id: traceId, span_id: spanId, trace_flags: flags } = info;
  if (typeof traceId !== 'string' || typeof spanId !== 'string' || !TRACE_ID.test(traceId) || !SPAN_ID.test(spanId)) return ROOT_CONTEXT;
  const traceFlags = typeof flags === 'string' && /^[0-9a-f]{2}$/.test(flags) ? parseInt(flags, 16) : 1;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags, isRemote: false });
}
