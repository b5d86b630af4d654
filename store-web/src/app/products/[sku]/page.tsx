import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { AddToCartForm } from "../../../cart/add-to-cart-form";
import { formatCents } from "../../../lib/catalog";
import { ProductImage } from "../../../products/product-image";
import { repos } from "../../../repos.server";

type Props = { params: Promise<{ sku: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = await repos().products.find((await params).sku);
  return { title: product?.name ?? "Product not found" };
}

export default async function ProductPage({ params }: Props) {
  const product = await repos().products.find((await params).sku);
  if (!product) notFound();
  return (
    <article className="product-page">
      <p className="breadcrumb">
        <Link href="/">All products</Link>
      </p>
      <ProductImage sku={product.sku} name={product.name} size="page" />
      <div className="product-page-text">
        <h1>{product.name}</h1>
        <p>{product.description}</p>
        <p className="price">{formatCents(product.priceCents)}</p>
        {product.active ? (
          <AddToCartForm sku={product.sku} name={product.name} />
        ) : (
          <p className="muted">No longer sold. Orders that have it keep it.</p>
        )}
      </div>
    </article>
  );
}
