/** One Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold; absent on error-budget burn alerts, whose short window does that job. */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One Prometheus recording rule: `expr` evaluated and stored under the name `record`. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A Prometheus rule group: recording rules first, so the alerts after them read this evaluation's values. */
export interface AlertRuleGroup {
  readonly name: string;
  readonly rules: ReadonlyArray<AlertRule | RecordingRule>;
}

/** The content of a Prometheus rule file. */
export interface AlertRuleFile {
  readonly groups: readonly AlertRuleGroup[];
}
