/**
 * express-observability: health checks, Prometheus metrics, OpenTelemetry tracing and
 * structured winston logging for Express, through one object and three decorators.
 */
export { createObservability } from './middleware/createObservability';
export type { MiddlewareOptions, Observability } from './middleware/createObservability';
export type { ErrorHandlerOptions } from './middleware/createErrorHandler';
export type { ObservabilityOptions, ResolvedConfig } from './lib/config';
export { ObservabilityConfigError } from './lib/configError';
export type { ObservabilityCore, LifecycleState } from './lib/createObservabilityCore';
export { getRequestContext } from './lib/context';
export type { RequestContext } from './lib/context';
export type { TelemetryErrorHandler, TelemetrySource } from './lib/errorReporter';
export { getGlobalObservability, setGlobalObservability, resetGlobalObservability } from './lib/globalObservability';
export type { HealthOptions, ShowDetails } from './lib/health/healthOptions';
export type {
  CheckResult,
  HealthCheckDefinition,
  HealthCheckFn,
  HealthCheckInput,
  HealthReport,
  HealthStatus,
} from './lib/health/healthTypes';
export { checks } from './lib/health/checks';
export type { CheckPolicyOptions } from './lib/health/checks/checkPolicy';
export type { HttpCheckOptions } from './lib/health/checks/http';
export type { PostgresCheckOptions, PostgresQueryable } from './lib/health/checks/postgres';
export type { RedisCheckOptions, RedisPingable } from './lib/health/checks/redis';
export type { MemoryCheckOptions } from './lib/health/checks/memory';
export type { DiskCheckOptions } from './lib/health/checks/disk';
export type { CpuCheckOptions } from './lib/health/checks/cpu';
export type { EventLoopCheckOptions } from './lib/health/checks/eventLoop';
export type { ShutdownHandle, ShutdownOptions } from './lib/shutdown/manageShutdown';
export type { MetricsOptions } from './lib/metrics/metricsOptions';
export type { MetricsPreset } from './lib/metrics/metricsOptions';
export type { Metrics } from './lib/metrics/createMetrics';
export type { MetricDefinitions, MetricDefinition, HistogramDefinition, SummaryDefinition } from './lib/metrics/MetricDefinitions';
export type { BusinessMetrics, BusinessLabels, DatabaseConnectionState } from './lib/metrics/BusinessMetrics';
export { OVERFLOW_LABEL } from './lib/metrics/LabelGuard';
export { HEALTH_STATUS_VALUE } from './lib/metrics/HealthMetrics';
export { DROPPED_RUNTIME_METRICS } from './lib/metrics/collectRuntimeMetrics';
export type { TracingOptions, SamplerName, TracesExporterName, OtlpProtocol } from './lib/tracing/tracingOptions';
export type { Tracing, ServerSpanHandle } from './lib/tracing/createTracing';
export type { TracedFetch } from './lib/tracing/createTracedFetch';
export type { SpanRecord, TraceSummary } from './lib/tracing/SpanRingBuffer';
export type { SpanExportStats } from './lib/tracing/SpanExportGuard';
export type { AccessLogOptions, LoggingOptions, LogLevel } from './lib/logging/loggingOptions';
export type { Logging } from './lib/logging/createLogging';
export type { OtlpLogOptions } from './lib/logging/otlpLogOptions';
export type { LogExportStats } from './lib/logging/LogExportGuard';
export type { LogLevels, LoggerLevel } from './lib/logging/LogLevels';
export { LineTransport } from './lib/logging/LineTransport';
export type { LineTransportOptions } from './lib/logging/LineTransport';
export { redact } from './lib/logging/redact';
export type { RedactOptions } from './lib/logging/redact';
export { DEFAULT_REDACT_KEYS } from './lib/logging/redactKeys';
export type { RedactKey } from './lib/logging/redactKeys';
export type { ConsoleOptions } from './lib/console/consoleOptions';
export type { ConsoleData, ConsoleError, ConsoleMemory } from './lib/console/createConsole';
export type { RedPoint, RedSummary } from './lib/console/RedSeries';
export type { RouteRow } from './lib/console/RouteSeriesStore';
export type { LogRecord } from './lib/console/LogRing';
export { UNMATCHED_ROUTE } from './lib/requestLifecycle';
export type { FinishedRequest } from './lib/requestLifecycle';
export { generateAlertRules } from './lib/alerting/generateAlertRules';
export { buildAlertRules, ALERT_NAMES } from './lib/alerting/buildAlertRules';
export type { AlertRule, AlertRuleGroup, AlertRuleFile, RecordingRule } from './lib/alerting/buildAlertRules';
export { ERROR_BUDGET_BURN, SLO_METRIC_ABSENT } from './lib/alerting/buildSloRules';
export type { LatencyObjective } from './lib/alerting/sloOptions';
export { generateAlertmanagerConfig } from './lib/alerting/generateAlertmanagerConfig';
export type { AlertmanagerConfigOptions } from './lib/alerting/generateAlertmanagerConfig';
export { generateDashboard } from './lib/alerting/generateDashboard';
export type { DashboardOptions, GrafanaDashboard, GrafanaPanel } from './lib/alerting/generateDashboard';
export { ALERT_KINDS } from './lib/alerting/alertingOptions';
export type {
  AlertingOptions,
  AlertKind,
  AlertMetricNames,
  ServiceSloOptions,
} from './lib/alerting/alertingOptions';
export { Traced } from './decorators/Traced';
export type { TracedOptions } from './decorators/Traced';
export { Metered, DEFAULT_METHOD_BUCKETS } from './decorators/Metered';
export type { MeteredOptions } from './decorators/Metered';
export { Logged } from './decorators/Logged';
export type { LoggedOptions } from './decorators/Logged';
export type { MethodOrClassDecorator } from './decorators/createDecorator';
export { DEFAULT_VALUE_BOUNDS } from './decorators/boundValue';
export type { ValueBounds } from './decorators/boundValue';
