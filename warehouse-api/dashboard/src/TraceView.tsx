import { useId, useState } from "react";

import { ApiError, type Trace } from "./api";
import { ErrorNote } from "./ErrorNote";
import { useTraces } from "./queries";
import { formatDuration, MAX_INDENT, waterfallRows } from "./waterfall";

/** The bars' time line in SVG user units: the SVG stretches to the row's width, so the bars scale with it. */
const AXIS = 1000;
/** A span too short to see still gets a sliver (about 2 px in a phone's panel). */
const MIN_BAR = 6;

/** A class-safe form of a service's name: each service's bars get their colour from it. */
const serviceSlug = (service: string) => service.toLowerCase().replace(/[^a-z0-9-]/g, "-");

/**
 * A history step's trace, behind a disclosure: where the time went across both services, and which hop
 * failed. The spans come from the trace receiver behind the warehouse (GET /api/traces).
 */
export function TraceDisclosure({ correlationId, at, label }: { correlationId: string; at: string; label: string }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="trace">
      <button
        type="button"
        className="button-small trace-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen((isOpen) => !isOpen);
        }}
      >
        <span aria-hidden="true">{open ? "▾ " : "▸ "}</span>Trace<span className="visually-hidden"> of {label}</span>
      </button>
      {open ? (
        <div id={panelId} className="trace-panel">
          <TraceContent correlationId={correlationId} at={at} />
        </div>
      ) : null}
    </div>
  );
}

function TraceContent({ correlationId, at }: { correlationId: string; at: string }) {
  const traces = useTraces(correlationId, at);
  if (traces.isPending) return <p className="muted small">Loading the trace…</p>;
  if (traces.isError && !traces.data) {
    if (traces.error instanceof ApiError && traces.error.code === "traces_not_collected") {
      return (
        <div className="note note-warning small">
          <p className="note-title">Traces are not collected here</p>
          <p>
            This warehouse sends its spans where <code>OTEL_EXPORTER_OTLP_ENDPOINT</code> points (Jaeger, for example): search there for{" "}
            <code className="break">fishtag.correlation_id={correlationId}</code>. The README’s “Traces, metrics and health” says how.
          </p>
        </div>
      );
    }
    return <ErrorNote quiet error={traces.error} title="Could not load the trace" />;
  }
  const { traces: found, truncated } = traces.data;
  if (found.length === 0) {
    // Spans are exported in batches every few seconds: a step just made may have none yet.
    return <p className="muted small">No spans for this step yet. They arrive within seconds of it; this view checks again by itself.</p>;
  }
  return (
    <>
      {found.map((trace) => (
        <Waterfall key={trace.traceId} trace={trace} />
      ))}
      {truncated ? <p className="muted small">Only the latest traces, and the first spans of each, are shown.</p> : null}
    </>
  );
}

function Waterfall({ trace }: { trace: Trace }) {
  const services = [...new Set(trace.spans.map((span) => span.service))];
  return (
    <section className="waterfall" aria-label={`Trace ${trace.traceId}`}>
      <p className="waterfall-head small">
        <span className="muted">Trace </span>
        <span className="mono">{trace.traceId.slice(0, 8)}</span>
        <span className="muted">
          {" "}
          · {formatDuration(trace.durationMs)} · {services.join(", ")}
        </span>
      </p>
      <ol className="waterfall-rows" aria-label="Spans">
        {waterfallRows(trace).map(({ span, depth, offset, width }) => (
          <li key={span.spanId} className={`span-row service-${serviceSlug(span.service)}${span.failure === null ? "" : " span-failed"}`}>
            <span className={`span-label indent-${String(Math.min(depth, MAX_INDENT))}`}>
              <span className="span-service">{span.service}</span> <span className="span-name">{span.name}</span>
            </span>
            <span className="span-duration">
              <span className="visually-hidden">, from {formatDuration(span.startMs)}, took </span>
              {formatDuration(span.durationMs)}
            </span>
            <svg className="span-track" viewBox={`0 0 ${String(AXIS)} 8`} preserveAspectRatio="none" aria-hidden="true">
              <rect
                className="span-bar"
                x={Math.min(offset * AXIS, AXIS - MIN_BAR)}
                width={Math.max(width * AXIS, MIN_BAR)}
                y="0"
                height="8"
              />
            </svg>
            {span.failure === null ? null : (
              <span className="span-failure">
                <span aria-hidden="true">✗ </span>
                <span className="visually-hidden">Failed: </span>
                {span.failure}
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
