import { formatElapsed } from "../../core/clock.js";
import type { Style } from "../../ui/io-host.js";
import type { StagesReport } from "./run-stages.js";

/** The per-stage table both `up` and `plan` end with. */
export function renderStagesTable(report: StagesReport, style: Style): string {
  const rows = report.stages.map((s) => ({
    stage: s.stage,
    result: s.result,
    add: s.summary ? String(s.summary.add) : "",
    change: s.summary ? String(s.summary.change) : "",
    destroy: s.summary ? String(s.summary.destroy) : "",
    time: s.elapsedMs === undefined ? "" : formatElapsed(s.elapsedMs),
    note: s.reason ?? "",
  }));
  const header = {
    stage: "STAGE",
    result: "RESULT",
    add: "ADD",
    change: "CHANGE",
    destroy: "DESTROY",
    time: "TIME",
    note: "",
  };
  const all = [header, ...rows];
  const width = (k: keyof typeof header) => Math.max(...all.map((r) => r[k].length));
  const w = {
    stage: width("stage"),
    result: width("result"),
    add: width("add"),
    change: width("change"),
    destroy: width("destroy"),
    time: width("time"),
  };
  return all
    .map((r, i) => {
      const line = [
        r.stage.padEnd(w.stage),
        r.result.padEnd(w.result),
        r.add.padStart(w.add),
        r.change.padStart(w.change),
        r.destroy.padStart(w.destroy),
        r.time.padStart(w.time),
        r.note,
      ]
        .join("  ")
        .trimEnd();
      return i === 0 ? style.bold(line) : line;
    })
    .join("\n");
}
