import { html } from "hono/html";

// The API reference at /docs, written as plain HTML from the app's own OpenAPI document: no script, no
// styles but our own sheet, nothing from another host (ADR 0013 says why not a reference app).

type Html = ReturnType<typeof html>;

/** The parts of a JSON Schema (OpenAPI 3.1) the reference shows. */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
};

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Content = Record<string, { schema?: Schema }>;
type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { description?: string; required?: boolean; content?: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
};
type SecurityScheme = { type?: string; description?: string; in?: string; name?: string; scheme?: string; bearerFormat?: string };

/**
 * The parts of the OpenAPI document the reference reads. The paths are read as the shapes above: the
 * document is this app's own, generated from its route definitions, which use no `$ref` parameters or
 * bodies.
 */
export type ApiDocument = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, object>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, SecurityScheme> };
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

type Endpoint = { method: (typeof METHODS)[number]; path: string; operation: Operation; anchor: string };

const refName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);
const schemaAnchor = (name: string) => `schema-${name}`;
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** Text with `code` spans, as the descriptions are written. */
function prose(text: string | undefined): Html | undefined {
  if (!text) return undefined;
  return html`${text.split("`").map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))}`;
}

const literal = (value: unknown) => html`<code>${JSON.stringify(value)}</code>`;

function range(min: number | undefined, max: number | undefined, unit = ""): string | undefined {
  const of = (n: number) => (unit ? `${n} ${unit}` : String(n));
  if (min === undefined) return max === undefined ? undefined : `at most ${of(max)}`;
  if (max === undefined) return `at least ${of(min)}`;
  return min === max ? `exactly ${of(min)}` : `${min}–${of(max)}`;
}

/** What a value is, in a line: "string (uuid)", "integer, 1–100, default 20", "one of …", a link to a named schema. */
function typeOf(schema: Schema): Html {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return html`<a href="#${schemaAnchor(name)}">${name}</a>`;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return html`${alternatives.map((alt, i) => html`${i ? " or " : ""}${typeOf(alt)}`)}`;

  const types = (Array.isArray(schema.type) ? schema.type : [schema.type ?? "any"]).filter((type) => type !== "null");
  const nullable = Array.isArray(schema.type) && schema.type.includes("null");
  const [type = "any"] = types;
  const notes: (string | Html)[] = [];
  let kind: string | Html = type;
  if (type === "array" && schema.items) kind = html`array of ${typeOf(schema.items)}`;
  if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object") {
    kind = html`object of ${typeOf(schema.additionalProperties)}`;
  }
  if (schema.format) kind = html`${kind} (${schema.format})`;
  const values = schema.enum?.filter((value) => value !== null);
  if (values?.length) notes.push(html`one of ${values.map((value, i) => html`${i ? ", " : ""}${literal(value)}`)}`);
  const bounds =
    type === "string"
      ? range(schema.minLength, schema.maxLength, "characters")
      : type === "array"
        ? range(schema.minItems, schema.maxItems, "items")
        : range(schema.minimum, schema.maximum);
  if (bounds) notes.push(bounds);
  if (schema.pattern) notes.push(html`matching <code>${schema.pattern}</code>`);
  if (schema.default !== undefined) notes.push(html`default ${literal(schema.default)}`);
  if (nullable) notes.push("or null");
  return html`${kind}${notes.map((note) => html`, ${note}`)}`;
}

/** The fields of an object, each with its type, whether it must be sent, and its description; nested objects inline. */
function fields(schema: Schema): Html | undefined {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return undefined;
  const required = new Set(schema.required ?? []);
  return html`<ul class="fields">
    ${properties.map(
      ([name, field]) =>
        html`<li>
          <p class="field-head">
            <code class="field-name">${name}</code> <span class="field-type">${typeOf(field)}</span>
            ${required.has(name) ? html`<span class="tag tag-required">required</span>` : html`<span class="tag">optional</span>`}
          </p>
          ${field.description ? html`<p>${prose(field.description)}</p>` : ""}
          ${field.example === undefined ? "" : html`<p class="muted">Example: ${literal(field.example)}</p>`}
          ${fields(field.type === "array" && field.items ? field.items : field) ?? ""}
        </li>`,
    )}
  </ul>`;
}

/** A body: its named schema as a link, with that schema's fields spelt out when `expand` (what a caller sends or gets back). */
function body(content: Content | undefined, schemas: Record<string, Schema>, expand: boolean): Html | undefined {
  const json = content?.["application/json"]?.schema;
  if (!json) return undefined;
  const named = json.$ref ? schemas[refName(json.$ref)] : undefined;
  const shown = named ?? json;
  return html`<p class="body-type">JSON: ${typeOf(json)}</p>
    ${expand ? (fields(shown) ?? "") : ""}`;
}

const AUTH_LABELS: Record<string, string> = {
  staffSession: "a staff session (cookie); changes also need X-CSRF-Token",
  storeToken: "the Store's service token",
};

function who(operation: Operation): Html {
  const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return html`<p class="who">Open: no credentials needed.</p>`;
  return html`<p class="who">
    Needs ${schemes.map((scheme, i) => html`${i ? " or " : ""}<a href="#auth-${scheme}">${AUTH_LABELS[scheme] ?? scheme}</a>`)}.
  </p>`;
}

function parameters(list: Parameter[] | undefined): Html | undefined {
  if (!list?.length) return undefined;
  return html`<h4>Parameters</h4>
    <ul class="fields">
      ${list.map(
        (parameter) =>
          html`<li>
            <p class="field-head">
              <code class="field-name">${parameter.name}</code>
              <span class="field-type">${parameter.in}, ${parameter.schema ? typeOf(parameter.schema) : "any"}</span>
              ${parameter.required ? html`<span class="tag tag-required">required</span>` : html`<span class="tag">optional</span>`}
            </p>
            ${parameter.description ? html`<p>${prose(parameter.description)}</p>` : ""}
          </li>`,
      )}
    </ul>`;
}

function endpointSection({ method, path, operation, anchor }: Endpoint, schemas: Record<string, Schema>): Html {
  const responses = Object.entries(operation.responses ?? {});
  return html`<article class="endpoint" id="${anchor}" aria-labelledby="${anchor}-title">
    <h3 id="${anchor}-title"><span class="method method-${method}">${method.toUpperCase()}</span> <code class="path">${path}</code></h3>
    ${operation.summary ? html`<p class="summary">${prose(operation.summary)}</p>` : ""}
    ${operation.description ? html`<p>${prose(operation.description)}</p>` : ""} ${who(operation)} ${parameters(operation.parameters) ?? ""}
    ${
      operation.requestBody
        ? html`<h4>Request body${operation.requestBody.required ? "" : " (optional)"}</h4>
            ${operation.requestBody.description ? html`<p>${prose(operation.requestBody.description)}</p>` : ""}
            ${body(operation.requestBody.content, schemas, true) ?? ""}`
        : ""
    }
    <h4>Responses</h4>
    <dl class="responses">
      ${responses.map(
        ([status, response]) =>
          html`<dt><span class="status status-${status.charAt(0)}xx">${status}</span></dt>
            <dd>
              <p>${prose(response.description)}</p>
              ${body(response.content, schemas, status.startsWith("2")) ?? ""}
            </dd>`,
      )}
    </dl>
  </article>`;
}

function endpointsOf(document: ApiDocument): Endpoint[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) => {
    const operations = item as Partial<Record<Endpoint["method"], Operation>>;
    return METHODS.flatMap((method) => {
      const operation = operations[method];
      return operation ? [{ method, path, operation, anchor: `op-${slug(`${method} ${path}`)}` }] : [];
    });
  });
}

/** The whole reference page for `document`. */
export function renderReference(document: ApiDocument, links: { openApi: string; dashboard: string; stylesheet: string }): Html {
  const schemas = document.components?.schemas ?? {};
  const endpoints = endpointsOf(document);
  const tags = [...new Set(endpoints.map((endpoint) => endpoint.operation.tags?.[0] ?? "Other"))];
  const inTag = (tag: string) => endpoints.filter((endpoint) => (endpoint.operation.tags?.[0] ?? "Other") === tag);
  const { title, version, description } = document.info;

  return html`<!doctype html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>${title} reference</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${links.stylesheet}" />
      </head>
      <body>
        <header class="page-head">
          <p class="brand">fishtag warehouse</p>
          <h1>${title}</h1>
          <p>${prose(description)}</p>
          <p class="muted">
            Version ${version}. The same, machine-readable: <a href="${links.openApi}">OpenAPI 3.1 document</a>.
            <a href="${links.dashboard}">Staff dashboard</a>.
          </p>
        </header>
        <nav class="toc" aria-label="Endpoints">
          <h2>Endpoints</h2>
          ${tags.map(
            (tag) =>
              html`<h3>${tag}</h3>
                <ul>
                  ${inTag(tag).map(
                    (endpoint) =>
                      html`<li>
                        <a href="#${endpoint.anchor}"
                          ><span class="method method-${endpoint.method}">${endpoint.method.toUpperCase()}</span>
                          <code class="path">${endpoint.path}</code></a
                        >
                        <span class="muted">${prose(endpoint.operation.summary)}</span>
                      </li>`,
                  )}
                </ul>`,
          )}
        </nav>
        <main>
          <section aria-labelledby="auth">
            <h2 id="auth">Authentication</h2>
            <dl class="schemes">
              ${Object.entries(document.components?.securitySchemes ?? {}).map(
                ([name, scheme]) =>
                  html`<dt id="auth-${name}">${AUTH_LABELS[name] ?? name}</dt>
                    <dd>
                      <p>
                        ${
                          scheme.type === "apiKey"
                            ? html`The <code>${scheme.name ?? ""}</code> ${scheme.in ?? ""}.`
                            : html`<code>Authorization: Bearer &lt;${scheme.bearerFormat ?? "token"}&gt;</code>.`
                        }
                        ${prose(scheme.description)}
                      </p>
                    </dd>`,
              )}
            </dl>
          </section>
          ${tags.map(
            (tag) =>
              html`<section aria-labelledby="tag-${slug(tag)}">
                <h2 id="tag-${slug(tag)}">${tag}</h2>
                ${inTag(tag).map((endpoint) => endpointSection(endpoint, schemas))}
              </section>`,
          )}
          <section aria-labelledby="schemas">
            <h2 id="schemas">Schemas</h2>
            ${Object.entries(schemas).map(
              ([name, schema]) =>
                html`<article class="schema" id="${schemaAnchor(name)}">
                  <h3>${name}</h3>
                  ${schema.description ? html`<p>${prose(schema.description)}</p>` : ""}
                  ${fields(schema) ?? html`<p class="field-type">${typeOf(schema)}</p>`}
                </article>`,
            )}
          </section>
        </main>
      </body>
    </html>`;
}
