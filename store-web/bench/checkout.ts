// Checkout throughput: customers without JavaScript placing orders through the store's own pages, store →
// warehouse, against the same store answering a server action that does nothing. A measurement, not a
// test: it exits 0 whatever the figures, and 1 only when the benchmark itself broke (an order not placed,
// an answer it did not expect, a service that did not start).
//
//   npm run bench:checkout -- [--rounds 3] [--duration 10] [--customers 20] [--warmup 5] [--logging | --tracing] [--profile]
//
// Both services run as `npm start` runs them, from their built `dist`, each a process with its own event
// loop (bench/services.ts); the customers run here (bench/customer.ts). An order is what a customer does
// on the pages: put a mug in the cart from the catalog (the add-to-cart action, answered with the page)
// and check out on /orders/new (the checkout action, answered with a 303 to the order's page). The
// baseline is /bench/empty-action, served only because this bench sets STORE_BENCH_ACTION: a form whose
// action does nothing, answered with its page like the cart's. Rounds alternate empty, orders, empty,
// orders, ... on the same store, so drift on a shared machine hits both sides of a ratio alike.
//
// CPU per order or per empty action comes from /proc (user + system time of each process over a round,
// divided by what it completed); every operation started in a round is finished in it. Each ratio is taken
// within a round and the median of the rounds' ratios is reported. With --logging, each round also loads
// the store and a second one with LOG_LEVEL=silent at the same time, so whatever else the machine is doing
// weighs on both alike: the cost of the log lines. --tracing does the same with tracing on (every span
// exported over OTLP to a sink in this process) against OTEL_SDK_DISABLED: the cost of tracing. With --profile, the stores run under --cpu-prof and the
// profile's top entries are printed, source-mapped.
//
// Goals (issue 12): orders/s ≥ 0.5 × empty actions/s; store CPU per order ≤ 2 × per empty action;
// store RSS ≤ 250 MB during the run; logging, and tracing, each ≤ 5% of the store's CPU per order.

import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { generateServiceKeyPair } from "@fishtag/service-auth/keys";

import { readFlags, runBench } from "../../warehouse-api/bench/child-process.js";
import { mainThreadProfile } from "../../warehouse-api/bench/cpu-profile.js";
import { otlpSink } from "../../warehouse-api/bench/otlp-sink.js";
import { fixed, median, percentile, textTable } from "../../warehouse-api/bench/report.js";
import { Customer, formFields, multipart } from "./customer.js";
import { summariseStoreProfile } from "./profile.js";
import { cpuMicros, freePort, memoryMb, startService, stopService, type Service } from "./services.js";

const options = readFlags(
  "npm run bench:checkout --",
  {
    rounds: { default: 3, min: 1, max: 50 },
    duration: { default: 10, min: 1, max: 600, integer: false },
    customers: { default: 20, min: 1, max: 500 },
    warmup: { default: 5, min: 0, max: 600, integer: false },
  },
  ["logging", "tracing", "profile"],
);
/** What the pair of extra stores differ in, if any: their logs (info or silent), or tracing (exported or off). */
const pairOf = options.logging ? "logs" : options.tracing ? "tracing" : undefined;
type Options = typeof options;

const runId = Date.now().toString(36);

// ---- the customers ---------------------------------------------------------------------------------

const CUSTOMER = {
  name: "Ada Lovelace",
  email: "ada.lovelace@analytical-engines.example.com",
  line1: "12 Analytical Row",
  line2: "Flat 3, Babbage House",
  city: "London",
  postalCode: "N1 9GU",
  country: "GB",
};

const isMugForm = (form: string) => form.includes('name="sku" value="MUG-TEAL"');
const isCheckoutForm = (form: string) => form.includes('class="checkout"');
const isEmptyForm = (form: string) => form.includes('class="empty-action"');
const PLACED = /^\/orders\/ST-\d+\?placed$/;

/** What one operation took, in ms: an order's two posts, or one empty action. */
type Timing = { addMs: number; checkoutMs: number } | { emptyMs: number };

/** A customer ready to repeat one operation: its pages read once (their forms' hidden fields do not change). */
type Lane = { run: (step: string) => Promise<Timing>; close: () => void };

function unexpected(what: string, answer: { status: number; location: string | undefined; body: string }): Error {
  const where = answer.location ? ` → ${answer.location}` : "";
  return new Error(`${what}: ${answer.status}${where} ${answer.body.replace(/\s+/g, " ").slice(0, 300)}`);
}

/** A customer who puts a mug in the cart and checks out, again and again; each order has its own PO number. */
async function orderingCustomer(storeUrl: string): Promise<Lane> {
  const customer = new Customer(storeUrl);
  const catalog = await customer.get("/");
  if (catalog.status !== 200) throw unexpected("GET /", catalog);
  const addForm = multipart(formFields(catalog.body, isMugForm, { quantity: "1" }));
  const add = async () => {
    const answer = await customer.post("/", addForm);
    if (answer.status !== 200 || !answer.body.includes("Added to your cart: Enamel mug")) throw unexpected("add to cart", answer);
    return answer.ms;
  };
  // The checkout page has a form only while the cart has something in it.
  await add();
  const checkoutPage = await customer.get("/orders/new");
  if (checkoutPage.status !== 200) throw unexpected("GET /orders/new", checkoutPage);
  const checkoutFields = formFields(checkoutPage.body, isCheckoutForm, { ...CUSTOMER, reference: "" });
  let first = true;
  return {
    async run(step) {
      // The mug added to open the checkout page goes with the first order.
      const addMs = first ? 0 : await add();
      first = false;
      const reference = `PO-${step}`;
      const answer = await customer.post(
        "/orders/new",
        multipart(checkoutFields.map(([name, value]) => [name, name === "reference" ? reference : value])),
      );
      if (answer.status !== 303 || !PLACED.test(answer.location ?? "")) throw unexpected(`checkout ${reference}`, answer);
      return { addMs, checkoutMs: answer.ms };
    },
    close: () => {
      customer.close();
    },
  };
}

/** A customer who posts the empty action's form, again and again. */
async function emptyActionCustomer(storeUrl: string): Promise<Lane> {
  const customer = new Customer(storeUrl);
  const page = await customer.get("/bench/empty-action");
  if (page.status !== 200) throw unexpected("GET /bench/empty-action (is STORE_BENCH_ACTION set?)", page);
  const form = multipart(formFields(page.body, isEmptyForm));
  return {
    async run() {
      const answer = await customer.post("/bench/empty-action", form);
      if (answer.status !== 200 || !answer.body.includes("Posted at")) throw unexpected("empty action", answer);
      return { emptyMs: answer.ms };
    },
    close: () => {
      customer.close();
    },
  };
}

// ---- loads and rounds ------------------------------------------------------------------------------

/** What a round puts load on: the empty action, orders, or (--logging, --tracing) orders on two stores at once, one with its logs or tracing off. */
type LoadKind = "empty" | "orders" | `orders, ${"logs" | "tracing"} ${"on" | "off"}`;

type Target = { kind: LoadKind; store: Service; lanes: Lane[] };

type Round = {
  round: number;
  kind: LoadKind;
  store: string;
  ops: number;
  opsPerSec: number;
  storeCpuMsPerOp: number;
  storeCpuPct: number;
  warehouseCpuMsPerOp: number;
  genCpuPct: number;
  /** The checkout's latency for orders, the empty action's for the baseline. */
  p50: number;
  p95: number;
  p99: number;
  addP95: number;
  rssPeakMb: number;
};

/** Every lane repeats its operation until `seconds` are up; the round ends when the last one finishes. */
async function drive(target: Target, warehouse: Service, seconds: number, label: string) {
  const deadline = performance.now() + seconds * 1000;
  const timings: Timing[] = [];
  let rssPeakMb = memoryMb(target.store.pid).rss;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, memoryMb(target.store.pid).rss);
  }, 200);
  const before = {
    store: cpuMicros(target.store.pid),
    warehouse: cpuMicros(warehouse.pid),
    gen: process.cpuUsage(),
    at: performance.now(),
  };
  try {
    await Promise.all(
      target.lanes.map(async (lane, index) => {
        for (let step = 0; performance.now() < deadline; step++) timings.push(await lane.run(`${runId}-${label}-${index}-${step}`));
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const wallMicros = (performance.now() - before.at) * 1000;
  const gen = process.cpuUsage(before.gen);
  rssPeakMb = Math.max(rssPeakMb, memoryMb(target.store.pid).rss);
  return {
    timings,
    wallMicros,
    storeCpu: cpuMicros(target.store.pid) - before.store,
    warehouseCpu: cpuMicros(warehouse.pid) - before.warehouse,
    genCpuPct: (100 * (gen.user + gen.system)) / wallMicros,
    rssPeakMb,
  };
}

/** One load for `seconds`; `shared` when another store is loaded at the same time (the warehouse's CPU is then both's). */
async function measure(round: number, target: Target, warehouse: Service, seconds: number, shared = false): Promise<Round> {
  const { timings, wallMicros, storeCpu, warehouseCpu, genCpuPct, rssPeakMb } = await drive(
    target,
    warehouse,
    seconds,
    `${round}${target.kind[0] ?? ""}`,
  );
  const ops = timings.length;
  const sorted = (pick: (t: Timing) => number | undefined) =>
    timings
      .map(pick)
      .filter((ms): ms is number => ms !== undefined && ms > 0)
      .sort((a, b) => a - b);
  const main = sorted((t) => ("emptyMs" in t ? t.emptyMs : t.checkoutMs));
  const adds = sorted((t) => ("addMs" in t ? t.addMs : undefined));
  return {
    round,
    kind: target.kind,
    store: target.store.label,
    ops,
    opsPerSec: ops / (wallMicros / 1e6),
    storeCpuMsPerOp: storeCpu / 1000 / ops,
    storeCpuPct: (100 * storeCpu) / wallMicros,
    warehouseCpuMsPerOp: shared ? Number.NaN : warehouseCpu / 1000 / ops,
    genCpuPct,
    p50: percentile(main, 0.5),
    p95: percentile(main, 0.95),
    p99: percentile(main, 0.99),
    addP95: percentile(adds, 0.95),
    rssPeakMb,
  };
}

// ---- report ----------------------------------------------------------------------------------------

const { row, header } = textTable(
  [
    ["round", 6],
    ["load", 16],
    ["ops/s", 7],
    ["÷ empty", 8],
    ["cpu ÷", 6],
    ["store ms/op", 12],
    ["store cpu%", 11],
    ["wh ms/op", 9],
    ["gen cpu%", 9],
    ["p50 ms", 7],
    ["p95 ms", 7],
    ["p99 ms", 7],
    ["add p95", 8],
    ["rss MB", 7],
    ["ops", 6],
  ],
  2,
);

/** What a row is compared with: its rate ÷ the empty action's, and its CPU per operation ÷ that of its reference. */
type Ratios = { rate?: number; cpu?: number };

function roundRow(label: string, kind: LoadKind, r: Omit<Round, "round" | "kind" | "store">, ratios: Ratios = {}): string {
  return row([
    label,
    kind,
    fixed(r.opsPerSec, 1),
    ratios.rate === undefined ? "" : fixed(ratios.rate, 2),
    ratios.cpu === undefined ? "" : fixed(ratios.cpu, 2),
    fixed(r.storeCpuMsPerOp, 2),
    fixed(r.storeCpuPct, 0),
    fixed(r.warehouseCpuMsPerOp, 2),
    fixed(r.genCpuPct, 0),
    fixed(r.p50, 1),
    fixed(r.p95, 1),
    fixed(r.p99, 1),
    fixed(r.addP95, 1),
    fixed(r.rssPeakMb, 0),
    fixed(r.ops, 0),
  ]);
}

/** The median of each figure over `rounds`: a row of the same shape. */
function medianOf(rounds: Round[]): Omit<Round, "round" | "kind" | "store"> {
  const of = (pick: (r: Round) => number) => median(rounds.map(pick));
  return {
    ops: of((r) => r.ops),
    opsPerSec: of((r) => r.opsPerSec),
    storeCpuMsPerOp: of((r) => r.storeCpuMsPerOp),
    storeCpuPct: of((r) => r.storeCpuPct),
    warehouseCpuMsPerOp: of((r) => r.warehouseCpuMsPerOp),
    genCpuPct: of((r) => r.genCpuPct),
    p50: of((r) => r.p50),
    p95: of((r) => r.p95),
    p99: of((r) => r.p99),
    addP95: of((r) => r.addP95),
    rssPeakMb: Math.max(...rounds.map((r) => r.rssPeakMb)),
  };
}

// ---- main ------------------------------------------------------------------------------------------

async function main(options: Options, dir: string): Promise<number> {
  const storeKeys = generateServiceKeyPair();
  const warehouseKeys = generateServiceKeyPair();
  // Outside `dir`, which is removed at the end: the profiles are for reading afterwards.
  const profileDir = options.profile ? mkdtempSync(join(tmpdir(), "store-bench-profile-")) : undefined;
  const [warehousePort, storePort, logsOnPort, logsOffPort] = [await freePort(), await freePort(), await freePort(), await freePort()];

  const warehouse = await startService({
    label: "warehouse",
    workspace: "warehouse-api",
    entry: "dist/index.js",
    port: warehousePort,
    healthPath: "/healthz",
    dir,
    env: {
      WAREHOUSE_PORT: String(warehousePort),
      WAREHOUSE_DB_PATH: join(dir, "warehouse.db"),
      STORE_PUBLIC_KEY: storeKeys.publicKey,
      // Order creation sends no status events; both are set only because the warehouse takes both or neither.
      STORE_URL: `http://127.0.0.1:${storePort}`,
      WAREHOUSE_SIGNING_KEY: warehouseKeys.signingKey,
    },
  });
  const startStore = (label: string, port: number, env: Record<string, string> = {}) => {
    const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${join(profileDir, label)}`] : [];
    if (profileDir) mkdirSync(join(profileDir, label));
    return startService({
      label,
      workspace: "store-web",
      entry: "dist/server.js",
      port,
      healthPath: "/api/health",
      dir,
      nodeArgs: profile,
      env: {
        STORE_PORT: String(port),
        STORE_DB_PATH: join(dir, `${label}.db`),
        WAREHOUSE_URL: warehouse.url,
        STORE_SIGNING_KEY: storeKeys.signingKey,
        WAREHOUSE_PUBLIC_KEY: warehouseKeys.publicKey,
        // Every customer here checks out from 127.0.0.1, far more often than a person would: one client.
        STORE_CHECKOUT_LIMIT_PER_MINUTE: "100000",
        STORE_BENCH_ACTION: "true",
        ...env,
      },
    });
  };
  const store = await startStore("store", storePort);
  // Two more for --logging or --tracing, alike but for that, fresh and loaded at the same time (so equally warmed up).
  const pairEnv: { on: Record<string, string>; off: Record<string, string> } =
    pairOf === "tracing"
      ? {
          on: { OTEL_EXPORTER_OTLP_ENDPOINT: await otlpSink(), OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" },
          off: { OTEL_SDK_DISABLED: "true" },
        }
      : { on: {}, off: { LOG_LEVEL: "silent" } };
  const logStores = pairOf
    ? [await startStore(`store-${pairOf}-on`, logsOnPort, pairEnv.on), await startStore(`store-${pairOf}-off`, logsOffPort, pairEnv.off)]
    : [];

  const lanes = (make: (url: string) => Promise<Lane>, service: Service) =>
    Promise.all(Array.from({ length: options.customers }, () => make(service.url)));
  const empty: Target = { kind: "empty", store, lanes: await lanes(emptyActionCustomer, store) };
  const orders: Target = { kind: "orders", store, lanes: await lanes(orderingCustomer, store) };
  const pair: Target[] = [];
  for (const [index, logStore] of logStores.entries()) {
    pair.push({
      kind: `orders, ${pairOf ?? "logs"} ${index === 0 ? "on" : "off"}`,
      store: logStore,
      lanes: await lanes(orderingCustomer, logStore),
    });
  }
  const targets = [empty, orders, ...pair];

  console.log(
    `checkout bench: ${options.rounds} rounds × ${options.duration}s per load (empty, orders${pair.length > 0 ? `, orders on two more stores at once, one with its ${pairOf ?? ""} off` : ""}), ` +
      `${options.customers} customers without JavaScript per store, ${options.warmup}s warm-up each; an order is an add-to-cart post ` +
      "(answered with the catalog page) and a checkout post (answered with a 303 to the order); ms/op is CPU time per operation",
  );
  if (options.warmup > 0) {
    for (const target of [empty, orders]) await drive(target, warehouse, options.warmup, `warmup-${target.kind}`);
    await Promise.all(pair.map((target) => drive(target, warehouse, options.warmup, `warmup-${target.kind}`)));
  }

  console.log(header);
  const rounds: Round[] = [];
  // Each ratio within its round, so what the machine was doing then weighs on both sides.
  const ratios = { rate: [] as number[], cpu: [] as number[], logging: [] as number[] };
  for (let round = 1; round <= options.rounds; round++) {
    const e = await measure(round, empty, warehouse, options.duration);
    const o = await measure(round, orders, warehouse, options.duration);
    const vsEmpty = { rate: o.opsPerSec / e.opsPerSec, cpu: o.storeCpuMsPerOp / e.storeCpuMsPerOp };
    ratios.rate.push(vsEmpty.rate);
    ratios.cpu.push(vsEmpty.cpu);
    console.log(roundRow(String(round), e.kind, e));
    console.log(roundRow(String(round), o.kind, o, vsEmpty));
    rounds.push(e, o);
    if (pair.length > 0) {
      const [on, off] = await Promise.all(pair.map((target) => measure(round, target, warehouse, options.duration, true)));
      if (!on || !off) throw new Error("the pair of stores was not measured");
      ratios.logging.push(1 - off.storeCpuMsPerOp / on.storeCpuMsPerOp);
      console.log(roundRow(String(round), on.kind, on));
      console.log(roundRow(String(round), off.kind, off, { cpu: off.storeCpuMsPerOp / on.storeCpuMsPerOp }));
      rounds.push(on, off);
    }
  }

  const medians = new Map(targets.map((t) => [t.kind, medianOf(rounds.filter((r) => r.kind === t.kind))]));
  for (const [kind, m] of medians) {
    console.log(roundRow("median", kind, m, kind === "orders" ? { rate: median(ratios.rate), cpu: median(ratios.cpu) } : {}));
  }

  for (const target of targets) for (const lane of target.lanes) lane.close();
  const peaks = [store, ...logStores].map((service) => `${service.label} ${fixed(memoryMb(service.pid).peak, 0)} MB`);
  await Promise.all([store, ...logStores, warehouse].map((service) => stopService(service)));

  const e = medians.get("empty");
  const o = medians.get("orders");
  if (!e || !o) throw new Error("no rounds measured");
  const rssDuringRuns = Math.max(...rounds.filter((r) => r.store === store.label).map((r) => r.rssPeakMb));
  console.log(`\nmedians of ${options.rounds} rounds, ratios within each round (goals from issue 12 in brackets):`);
  console.log(`  orders/s ÷ empty actions/s:             ${fixed(median(ratios.rate), 2)}  [≥ 0.5]`);
  console.log(`  store CPU per order ÷ per empty action: ${fixed(median(ratios.cpu), 2)}  [≤ 2]`);
  console.log(
    `  CPU per order: store ${fixed(o.storeCpuMsPerOp, 2)} ms, warehouse ${fixed(o.warehouseCpuMsPerOp, 2)} ms; ` +
      `per empty action: store ${fixed(e.storeCpuMsPerOp, 2)} ms`,
  );
  console.log(
    `  checkout latency p50/p95/p99: ${fixed(o.p50, 0)}/${fixed(o.p95, 0)}/${fixed(o.p99, 0)} ms; ${fixed(o.opsPerSec, 1)} orders/s`,
  );
  console.log(
    `  store RSS peak during the rounds: ${fixed(rssDuringRuns, 0)} MB [≤ 250]; over the whole process (VmHWM): ${peaks.join(", ")}`,
  );
  if (ratios.logging.length > 0) {
    console.log(
      pairOf === "tracing"
        ? `  tracing's share of the store's CPU per order (spans exported vs OTEL_SDK_DISABLED, at once): ${fixed(100 * median(ratios.logging), 1)}% [≤ 5%]`
        : `  the log lines' share of the store's CPU per order (info vs silent, at once): ${fixed(100 * median(ratios.logging), 1)}% [≤ 5%]`,
    );
  }

  if (profileDir) {
    console.log("\n(profiled run: the stores ran under --cpu-prof, so the figures above are lower than usual)");
    for (const service of [store, ...logStores]) {
      const file = mainThreadProfile(join(profileDir, service.label));
      console.log(`\n${service.label} CPU profile: ${file ?? "(not written)"}`);
      if (file) for (const line of summariseStoreProfile(file)) console.log(line);
    }
  }
  return 0;
}

runBench(
  {
    tmpPrefix: "store-bench-",
    budgetSeconds: 300 + 3 * (options.warmup + options.rounds * (options.duration + 5)) + (pairOf ? options.rounds * options.duration : 0),
  },
  (dir) => main(options, dir),
);
