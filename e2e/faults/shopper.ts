/**
 * A customer with JavaScript off, as plain HTTP: it fetches a page, fills in one of its forms and posts
 * it, as a browser without JavaScript does. The store's forms work that way by design (the server
 * action's hidden fields travel with the form), so a fault test can push a thousand real checkouts
 * through the store's own pages — proxy, cookie, rate limit, server action, outbox and all — at a
 * fraction of a browser's cost.
 */

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', "#x27": "'", "#39": "'", lt: "<", gt: ">" };

function decode(text: string): string {
  return text.replace(/&(amp|quot|#x27|#39|lt|gt);/g, (_, name: string) => ENTITIES[name] ?? "");
}

function attributes(tag: string): Map<string, string> {
  return new Map([...tag.matchAll(/([\w$:-]+)="([^"]*)"/g)].map(([, name = "", value = ""]) => [name, decode(value)]));
}

/** What the store answered a checkout with, read from the page as a customer would read it. */
export type CheckoutOutcome =
  | { kind: "placed" | "accepted"; orderNumber: string }
  /** Anything else ("We couldn't place this order", a rejection, a 429): the title the page showed. */
  | { kind: "refused"; title: string };

/**
 * An order the store took is answered with a redirect to its page (POST, redirect, GET): the redirect is
 * the answer, and its query says which outcome. Anything else is the checkout page again, with its alert.
 */
function checkoutOutcome(answer: { location: string | null; html: string }): CheckoutOutcome {
  const taken = answer.location && /\/orders\/(ST-\d+)\?(placed|accepted)$/.exec(answer.location);
  if (taken) return { kind: taken[2] === "placed" ? "placed" : "accepted", orderNumber: taken[1] ?? "" };
  return pageOutcome(answer.html);
}

function pageOutcome(html: string): CheckoutOutcome {
  const box = /class="outcome outcome-(success|pending|error)"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  if (!box) throw new Error(`the checkout answered without an outcome: ${html.slice(0, 300)}`);
  const [, kind, body = ""] = box;
  const orderNumber = /data-testid="order-number"[^>]*>(ST-\d+)</.exec(body)?.[1];
  if (kind !== "error" && orderNumber) return { kind: kind === "success" ? "placed" : "accepted", orderNumber };
  return { kind: "refused", title: decode(/<h2>([\s\S]*?)<\/h2>/.exec(body)?.[1] ?? "").replace(/<[^>]+>/g, "") };
}

class Shopper {
  private cookie = "";

  constructor(private readonly storeUrl: string) {}

  /** The customer cookie, as a Cookie header: who this customer is to the store. */
  get cookieHeader(): string {
    return this.cookie;
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";", 1)[0];
      if (pair?.startsWith("fishtag_customer=")) this.cookie = pair;
    }
  }

  async get(path: string): Promise<string> {
    const response = await fetch(`${this.storeUrl}${path}`, { headers: { cookie: this.cookie } });
    this.remember(response);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return response.text();
  }

  /**
   * Submits the first form of `page` (the HTML of `path`) that `pick` chooses: its inputs as rendered
   * (the server action's hidden fields among them), `fields` over them. Returns the page the store answers.
   */
  async submit(path: string, page: string, pick: (form: string) => boolean, fields: Record<string, string>): Promise<string> {
    return (await this.post(path, page, pick, fields)).html;
  }

  /** As `submit`, but a redirect is not followed: its Location comes back instead of the next page. */
  async post(
    path: string,
    page: string,
    pick: (form: string) => boolean,
    fields: Record<string, string>,
  ): Promise<{ location: string | null; html: string }> {
    const form = [...page.matchAll(/<form\b[\s\S]*?<\/form>/g)].map(([html]) => html).find(pick);
    if (!form) throw new Error(`no such form on ${path}`);
    const body = new FormData();
    const given = new Map(Object.entries(fields));
    for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
      const input = attributes(tag);
      const name = input.get("name");
      if (name === undefined) continue;
      body.append(name, given.get(name) ?? input.get("value") ?? "");
      given.delete(name);
    }
    for (const [name, value] of given) body.append(name, value);
    const response = await fetch(`${this.storeUrl}${path}`, {
      method: "POST",
      body,
      headers: { cookie: this.cookie, origin: this.storeUrl },
      redirect: "manual",
    });
    this.remember(response);
    if (response.status === 303) {
      await response.body?.cancel();
      return { location: response.headers.get("location"), html: "" };
    }
    if (!response.ok) throw new Error(`POST ${path}: ${response.status}`);
    return { location: null, html: await response.text() };
  }
}

const CUSTOMER = {
  name: "Ada Lovelace",
  email: "ada@example.com",
  line1: "12 Analytical Row",
  city: "London",
  postalCode: "N1 9GU",
  country: "GB",
};

/**
 * One customer's checkouts, one after another: put a mug in the cart from the catalog page, then
 * check out on /orders/new, whose answer is a redirect to the order's confirmation page.
 * Each page is fetched once (the checkout's once the cart has something: an empty cart has no form to
 * fill in): their forms' hidden fields do not change.
 */
export async function shopperSession(storeUrl: string) {
  const shopper = new Shopper(storeUrl);
  const catalog = await shopper.get("/");
  let checkoutPage: string | undefined;
  return {
    cookie: () => shopper.cookieHeader,
    async checkOut(reference: string): Promise<CheckoutOutcome> {
      const added = await shopper.submit("/", catalog, (form) => form.includes('name="sku" value="MUG-TEAL"'), { quantity: "1" });
      if (!added.includes("Added to your cart: Enamel mug")) throw new Error("the mug did not go into the cart");
      checkoutPage ??= await shopper.get("/orders/new");
      return checkoutOutcome(
        await shopper.post("/orders/new", checkoutPage, (form) => form.includes('class="checkout"'), { ...CUSTOMER, reference }),
      );
    },
  };
}
