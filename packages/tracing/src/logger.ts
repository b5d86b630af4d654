import { AsyncLocalStorage } from "node:async_hooks";

import { context, propagation, trace } from "@opentelemetry/api";
import pino from "pino";
import pretty from "pino-pretty";

import { flagsValueIn } from "./flags.js";
import { activeSpanIds, CORRELATION_ATTRIBUTE, CORRELATION_BAGGAGE } from "./spans.js";

/**
 * What a request carries through its async call tree. The logger reads it on every line, so no
 * function has to take a logger or an ID as an argument just to log.
 */
export type RequestContext = { correlationId: string };

// One store per process, even when a bundler includes this module twice (Next bundles its own copy next
// to the one server.ts loads): a second AsyncLocalStorage would hide the ID from the other copy's logger.
const CONTEXT_KEY = Symbol.for("fishtag.requestContext");
const globalStore = globalThis as typeof globalThis & { [CONTEXT_KEY]?: AsyncLocalStorage<RequestContext> };
const requestContext = (globalStore[CONTEXT_KEY] ??= new AsyncLocalStorage<RequestContext>());

/**
 * Runs `fn` with `correlationId` in scope for every log line written inside it, across awaits. It also
 * goes into the trace's W3C baggage (beside any the caller sent), so that every call made inside carries
 * it in the `baggage` header too.
 */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  const active = context.active();
  // The span the scope opens in (a request's server span, begun before its ID was known) carries it too;
  // every span begun inside gets it when it starts (otel.ts).
  trace.getSpan(active)?.setAttribute(CORRELATION_ATTRIBUTE, correlationId);
  const baggage = (propagation.getBaggage(active) ?? propagation.createBaggage()).setEntry(CORRELATION_BAGGAGE, { value: correlationId });
  return context.with(propagation.setBaggage(active, baggage), () => requestContext.run({ correlationId }, fn));
}

export function currentCorrelationId(): string | undefined {
  return requestContext.getStore()?.correlationId;
}

export type LoggerOptions = {
  service: string;
  level: pino.LevelWithSilent;
  /** Also append the JSON lines to this file (its folder is created). */
  file?: string | undefined;
  /** Human-readable output on stdout; meant for development only (the file stays JSON). */
  pretty?: boolean;
  /** Write to stdout at all (default true); tests that read the file turn it off. */
  stdout?: boolean;
};

export type Logger = pino.Logger;

/** Keys whose values never reach a log line: in a line's own fields, or one level down (an object logged whole). */
const SECRET_KEYS: ReadonlySet<string> = new Set(["password", "authorization", "cookie"]);
const REDACTED = "[redacted]";

function hasSecret(fields: Record<string, unknown>): boolean {
  for (const key in fields) if (SECRET_KEYS.has(key) && fields[key] !== undefined) return true;
  return false;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `fields` with each secret's value replaced: a copy where one was found, the caller's objects never
 * changed. An Error holding one is serialized first, as pino would, so its message and stack stay.
 */
function withoutSecrets(fields: Record<string, unknown>, depth = 0): Record<string, unknown> {
  let out = fields;
  for (const key in fields) {
    const value = fields[key];
    let replacement = value;
    if (SECRET_KEYS.has(key)) {
      if (value !== undefined) replacement = REDACTED;
    } else if (depth === 0 && isRecord(value) && hasSecret(value)) {
      // withoutSecrets copies what it censors; an Error is serialized first, as pino would.
      replacement = withoutSecrets(value instanceof Error ? pino.stdSerializers.err(value) : value, 1);
    }
    if (replacement === value) continue;
    if (out === fields) out = { ...fields };
    out[key] = replacement;
  }
  return out;
}

export function createLogger({ service, level, file, pretty: prettyOutput = false, stdout = true }: LoggerOptions): Logger {
  // multistream wants a level per stream; with "silent" nothing reaches the streams anyway.
  const streamLevel: pino.Level = level === "silent" ? "fatal" : level;
  const streams: pino.StreamEntry[] = [];
  if (stdout) {
    const stream = prettyOutput
      ? pretty({ colorize: true, singleLine: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" })
      : pino.destination({ dest: 1, sync: true });
    streams.push({ level: streamLevel, stream });
  }
  // Synchronous writes: a line is in the file when the request that wrote it ends, and nothing is lost if
  // the process dies. One small write per line costs little next to the request itself (see the bench).
  if (file) streams.push({ level: streamLevel, stream: pino.destination({ dest: file, mkdir: true, sync: true }) });

  const logger = pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The mixin is what makes every line carry the ID: it runs per line and reads the request's context.
      mixin: () => {
        const fields: Record<string, string> = {};
        const correlationId = currentCorrelationId();
        if (correlationId) fields.correlationId = correlationId;
        // The request's flags, as its baggage carries them: which variant a customer got is on each line.
        const flags = flagsValueIn();
        if (flags !== "") fields.flags = flags;
        // The trace beside the correlation ID: a line found by either leads to the other.
        const span = activeSpanIds();
        if (span) {
          fields.trace_id = span.trace_id;
          fields.span_id = span.span_id;
        }
        return fields;
      },
      // Level names rather than numbers keep the files readable with grep and the trace tool. Secrets are
      // censored in each line's fields (and a child logger's bindings, below): what pino's `redact` paths
      // (password, *.password, ...) did for us, for a fraction of the cost. redact walks every path on every
      // line, about 6 µs a line here, 40% of a line's whole cost. (Objects formatted into a message with %o
      // are not censored: nothing here logs that way.)
      formatters: { level: (label) => ({ level: label }), log: (fields) => withoutSecrets(fields) },
    },
    pino.multistream(streams),
  );
  // pino writes a child's bindings once, when the child is made, and not through the log formatter. A
  // child's own children inherit this method, and `this` is the logger it is called on.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below on the logger it belongs to.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, withoutSecrets(bindings), options);
  } as Logger["child"];
  return logger;
}
