import { redirect } from "next/navigation";

/** The catalog is the home page; /products is kept as a name for it. */
export default function ProductsPage() {
  redirect("/");
}
