import Link from "next/link";
import { CATALOG, formatCents } from "../lib/catalog";

export default function HomePage() {
  return (
    <section className="hero">
      <h1>Small goods, traced all the way</h1>
      <p>
        Every order you place here travels to our warehouse with a reference that appears in every log line
        both systems write for it. Quote it and we can find the whole story.
      </p>
      <ul className="product-strip" aria-label="Products">
        {CATALOG.map((product) => (
          <li key={product.sku}>
            <span className="swatch" style={{ background: product.swatch }} aria-hidden="true" />
            {product.name} <span className="muted">{formatCents(product.priceCents)}</span>
          </li>
        ))}
      </ul>
      <Link className="button" href="/orders/new">
        Start an order
      </Link>
    </section>
  );
}
