import { Registry, type MetricObjectWithValues, type MetricValue, type RegistryContentType } from 'prom-client';
import type { ErrorReporter } from '../errorReporter';
import type { SelfMetrics } from './SelfMetrics';

const TIMEOUT = Symbol('timeout');

/** prom-client's per-metric formatter, public in its JavaScript but missing from its types. */
interface Formatter extends Registry<RegistryContentType> {
  getMetricsAsString(metric: PromMetric): Promise<string>;
}

function formatter(contentType: RegistryContentType): Formatter {
  const r = new Registry<RegistryContentType>() as Formatter;
  r.setContentType(contentType);
  return r;
}

interface PromMetric {
  readonly name: string;
  readonly type?: string;
  get(): Promise<MetricObjectWithValues<MetricValue<string>>>;
  getForPromString?(): Promise<MetricObjectWithValues<MetricValue<string>>>;
}

/**
 * Renders a registry for one scrape, metric by metric, so a collector that throws or
 * hangs is left out of that scrape (and counted) instead of failing it. Formatting is
 * prom-client's own (`getMetricsAsString` of a registry of the wanted content type), so
 * the exposition stays the library's, not ours.
 */
export class ScrapeRenderer {
  private readonly formatters = {
    prometheus: formatter(Registry.PROMETHEUS_CONTENT_TYPE),
    openMetrics: formatter(Registry.OPENMETRICS_CONTENT_TYPE),
  };

  constructor(
    private readonly registry: Registry,
    private readonly self: SelfMetrics,
    private readonly errors: ErrorReporter,
    private readonly timeoutMs: number,
  ) {}

  /** The exposition text, in OpenMetrics or Prometheus text format. */
  async render(openMetrics: boolean): Promise<string> {
    const f = openMetrics ? this.formatters.openMetrics : this.formatters.prometheus;
    f.setDefaultLabels(this.defaultLabels());
    const selfName = this.self.collectorErrorsName;
    const all = this.registry.getMetricsAsArray() as unknown as PromMetric[];
    const format = (m: PromMetric) => f.getMetricsAsString(openMetrics ? openMetricsView(m) : m);
    const parts = await this.withDeadline((deadline) =>
      Promise.all(all.filter((m) => m.name !== selfName).map((m) => this.one(m, deadline, format))),
    );
    // Rendered last, so a scrape already shows the collectors it had to leave out.
    const self = all.find((m) => m.name === selfName);
    if (self) parts.push(await this.one(self, undefined, format));
    const texts = parts.filter((p): p is string => p !== undefined);
    return openMetrics ? `${texts.join('\n')}\n# EOF\n` : `${texts.join('\n\n')}\n`;
  }

  /** `getMetricsAsJSON` with the same per-collector protection (what cluster workers send). */
  async json(): Promise<Array<MetricObjectWithValues<MetricValue<string>>>> {
    const defaults = this.defaultLabels();
    const all = this.registry.getMetricsAsArray() as unknown as PromMetric[];
    const parts = await this.withDeadline((deadline) => Promise.all(all.map((m) => this.one(m, deadline, (w) => w.get()))));
    return parts.flatMap((p) => {
      if (!p) return [];
      return [{ ...p, values: p.values.map((v) => ({ ...v, labels: { ...defaults, ...v.labels } })) }];
    });
  }

  private async withDeadline<T>(run: (deadline: Promise<typeof TIMEOUT>) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMEOUT), this.timeoutMs);
      timer.unref();
    });
    try {
      return await run(deadline);
    } finally {
      clearTimeout(timer);
    }
  }

  private async one<T>(metric: PromMetric, deadline: Promise<typeof TIMEOUT> | undefined, use: (m: PromMetric) => Promise<T>): Promise<T | undefined> {
    try {
      const work = use(metric);
      const result = deadline ? await Promise.race([work, deadline]) : await work;
      if (result === TIMEOUT) {
        this.self.collectorFailed(metric.name, 'timeout');
        return undefined;
      }
      return result as T;
    } catch (e) {
      this.self.collectorFailed(metric.name, 'error');
      this.errors.report('metrics', e);
      return undefined;
    }
  }

  private defaultLabels(): Record<string, string> {
    return (this.registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels ?? {};
  }
}

/**
 * OpenMetrics names a counter family without `_total` and adds it to each sample.
 * prom-client's own `registry.metrics()` does that by renaming the metric in place, which
 * would break the next Prometheus-format scrape; this view renames a copy instead.
 */
function openMetricsView(metric: PromMetric): PromMetric {
  if (metric.type !== 'counter') return metric;
  const get = async () => {
    const data = await metric.get();
    return { ...data, name: data.name.replace(/_total$/, '') };
  };
  return { name: metric.name, type: metric.type, get };
}
