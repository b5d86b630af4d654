// autocannon ships no types and @types/autocannon is not installed: just the part the benchmark uses.
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  namespace autocannon {
    type RequestParams = {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    };

    type Request = RequestParams & {
      /** Called before every request on a connection; what it returns is what is sent. */
      setupRequest?: (request: RequestParams & { headers: Record<string, string> }) => RequestParams;
    };

    type Options = {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      requests?: Request[];
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Per-request timeout, seconds. */
      timeout?: number;
    };

    type Histogram = { mean: number; p50: number; p99: number; min: number; max: number; total: number };

    type Result = {
      /** Seconds, as measured by autocannon. */
      duration: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      statusCodeStats: Partial<Record<string, { count: number }>>;
      requests: Histogram & { sent: number };
      latency: Histogram;
    };

    type Instance = EventEmitter & {
      stop: () => void;
      on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): Instance;
      on(event: "reqError", listener: (error: Error) => void): Instance;
    };
  }

  function autocannon(options: autocannon.Options, callback: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;

  export = autocannon;
}
