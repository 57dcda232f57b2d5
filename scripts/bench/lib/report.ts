/** Medians across repetitions, ratios against the other servers, and the Markdown/console table. */
import type { Metric } from './harness.js';
import { SERVER_KINDS, type ServerKind } from './targets.js';

export interface ScenarioResult {
  id: string;
  title: string;
  /** runs[kind] = one Metric[] per repetition. */
  runs: Partial<Record<ServerKind, Metric[][]>>;
  /** Per server: why a run failed (convergence or otherwise). */
  failures: Partial<Record<ServerKind, string[]>>;
  skipped?: string;
}

export interface Row {
  scenario: string;
  key: string;
  label: string;
  unit: string;
  values: Partial<Record<ServerKind, number | null>>;
  notes: Partial<Record<ServerKind, string>>;
  runs: Partial<Record<ServerKind, Array<number | null>>>;
  vsReference: number | null;
  vsHocuspocus: number | null;
  /** Quorum as used over Quorum with the notes layer off: what the layer costs. */
  vsBare: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function rows(result: ScenarioResult): Row[] {
  const keys: Metric[] = [];
  for (const kind of SERVER_KINDS) {
    for (const run of result.runs[kind] ?? []) for (const m of run) if (!keys.some((k) => k.key === m.key)) keys.push(m);
  }
  return keys.map((template) => {
    const values: Row['values'] = {};
    const notes: Row['notes'] = {};
    const runs: Row['runs'] = {};
    for (const kind of SERVER_KINDS) {
      const metrics = (result.runs[kind] ?? []).map((run) => run.find((m) => m.key === template.key));
      runs[kind] = metrics.map((m) => m?.value ?? null);
      const numbers = metrics.map((m) => m?.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      values[kind] = median(numbers);
      const note = metrics.find((m) => m?.note)?.note;
      if (note) notes[kind] = note;
    }
    const ratio = (other: ServerKind): number | null => {
      const q = values.quorum;
      const o = values[other];
      return q != null && o != null && o !== 0 ? q / o : null;
    };
    return {
      scenario: result.id,
      key: template.key,
      label: template.label,
      unit: template.unit,
      values,
      notes,
      runs,
      vsReference: ratio('reference'),
      vsHocuspocus: ratio('hocuspocus'),
      vsBare: ratio('quorum-bare'),
    };
  });
}

function fmt(value: number | null | undefined, unit: string): string {
  if (value == null || !Number.isFinite(value)) return '–';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit && unit !== '/s' && unit !== '' ? ` ${unit}` : unit === '/s' ? '/s' : ''}`;
}

function fmtRatio(value: number | null): string {
  return value == null || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`;
}

export function markdownTable(results: ScenarioResult[]): string {
  const lines: string[] = [];
  lines.push('| Scenario | Figure | Quorum | Quorum, notes layer off | Reference (y-websocket) | Hocuspocus | Quorum/ref | Quorum/Hocuspocus | Quorum/notes off |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const result of results) {
    if (result.skipped) {
      lines.push(`| ${result.title} | ${result.skipped} | | | | | | | |`);
      continue;
    }
    let first = true;
    for (const row of rows(result)) {
      const cell = (kind: ServerKind): string => {
        const failed = result.failures[kind]?.length;
        const base = row.notes[kind] && row.values[kind] == null ? row.notes[kind]! : fmt(row.values[kind], row.unit);
        return failed ? `${base} ⚠ ${failed} failed` : base;
      };
      lines.push(
        `| ${first ? result.title : ''} | ${row.label} | ${cell('quorum')} | ${cell('quorum-bare')} | ${cell('reference')} | ${cell('hocuspocus')} | ${fmtRatio(row.vsReference)} | ${fmtRatio(row.vsHocuspocus)} | ${fmtRatio(row.vsBare)} |`,
      );
      first = false;
    }
    for (const kind of SERVER_KINDS) {
      for (const failure of result.failures[kind] ?? []) lines.push(`| | **FAILED (${kind})** | ${failure.replace(/\|/g, '/').replace(/\n/g, ' ')} | | | | | | |`);
    }
  }
  return lines.join('\n');
}
