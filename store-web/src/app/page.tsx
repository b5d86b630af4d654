import Link from "next/link";

import { AddToCartForm } from "../cart/add-to-cart-form";
import { formatCents } from "../lib/catalog";
import { ProductImage } from "../products/product-image";
import { repos } from "../repos.server";

export default async function CatalogPage() {
  const products = await repos().products.listActive();
  return (
    <>
      <section className="hero">
        <h1>Small goods, traced all the way</h1>
        <p>
          Every order you place here travels to our warehouse with a reference that appears in every log line both systems write for it.
          Quote it and we can find the whole story.
        </p>
      </section>
      <ul className="catalog" aria-label="Products">
        {products.map((product) => (
          <li key={product.sku} className="product-card">
            <ProductImage sku={product.sku} name={product.name} size="card" />
            <h2>
              <Link href={`/products/${product.sku}`}>{product.name}</Link>
            </h2>
            <p className="muted">{product.description}</p>
            <p className="price">{formatCents(product.priceCents)}</p>
            <AddToCartForm sku={product.sku} name={product.name} />
          </li>
        ))}
      </ul>
      <p>
        <Link className="button" href="/cart">
          View your cart
        </Link>
      </p>
    </>
  );
}
