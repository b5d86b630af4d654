/** A product's picture, drawn for the store (public/images/products/<sku>.svg); decorative where its name is beside it. */
export function ProductImage({ sku, name, size }: { sku: string; name: string; size: "card" | "page" | "thumb" }) {
  const [width, height] = size === "page" ? [480, 360] : size === "card" ? [240, 180] : [48, 36];
  return (
    // An SVG drawn to size: nothing for next/image to optimise.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      className={`product-image product-image-${size}`}
      src={`/images/products/${encodeURIComponent(sku)}.svg`}
      alt={size === "page" ? name : ""}
      width={width}
      height={height}
      loading={size === "page" ? "eager" : "lazy"}
    />
  );
}
