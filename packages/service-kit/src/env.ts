import { z } from "zod";

import { envKey, parsePublicKey, parseSigningKey, type KeyParse } from "@fishtag/service-auth/keys";

/**
 * What every service's env module is made of: its own zod schema, parsed once from `process.env` at
 * start-up, built from the fields below where a variable means the same in both services. A bad value
 * stops the start with one line per variable, naming it and never echoing it (it may be a key).
 */

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The variables every service reads the same way; spread them into the service's schema. */
export const commonEnv = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Also append the JSON log lines to this file (stdout always gets them). */
  LOG_FILE: z.string().min(1).optional(),
  // OpenTelemetry, under the names every OTLP backend documents. Without an endpoint, spans are still made
  // (their ids go into log lines and onward calls) but not sent anywhere.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).default("http/protobuf"),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  // Tracing off altogether (no spans, no trace ids in logs or calls): what the benches compare against.
  OTEL_SDK_DISABLED: z.stringbool().default(false),
  // Read by the OpenTelemetry SDK itself; checked here so that a typo stops the start instead of being ignored.
  OTEL_TRACES_SAMPLER: z
    .enum(["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  // /metrics listens on its own port (each service names it), on loopback unless opened here.
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
};

const keyField = (parse: (value: string) => KeyParse) => z.string().transform((value, ctx) => envKey(parse, value, ctx) ?? z.NEVER);

/** The service's own Ed25519 private key (base64 of its PEM; see @fishtag/service-auth/keys). */
export const signingKeyField = () => keyField(parseSigningKey);

/** The peer service's Ed25519 public key. A private key is refused: it must never be handed over. */
export const publicKeyField = () => keyField(parsePublicKey);

/**
 * A bad environment. Its message is one line per variable, each complete on its own (a log shipper or a
 * container's status shows one line): `Invalid store environment: STORE_PORT: Too big: expected number to be <=65535`.
 */
export class EnvError extends Error {
  constructor(
    readonly label: string,
    readonly problems: string[],
  ) {
    super(problems.map((problem) => `Invalid ${label} environment: ${problem}`).join("\n"));
    this.name = "EnvError";
  }
}

/** Parses `source` (process.env, or a test's object) with the service's schema; throws EnvError. */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  source: Record<string, string | undefined>,
  label: string,
): z.output<Schema> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    label,
    result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
  );
}

/** For a service's env module: the parsed environment, or every problem printed and exit code 1, no stack trace. */
export function loadEnvOrExit<Schema extends z.ZodType>(
  schema: Schema,
  source: Record<string, string | undefined>,
  label: string,
): z.output<Schema> {
  try {
    return parseEnv(schema, source, label);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
