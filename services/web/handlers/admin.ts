import { call } from "../../../contracts";
import { parseProductForm, productPatch, type ProductFormFields } from "../domain/product-form";
import { adminOrdersView, adminProductsView, productFormFrom, productFormView } from "../pages/admin";
import { badRequestView } from "../pages/errors";
import { notFoundIfInvalid, requireAdmin, type Reply, type WebRequest } from "../request";
import { pageNumber } from "./orders";

const NOTICES: Record<string, string> = {
  created: "The product was created.",
  "created-unstocked": "The product was created. Set its stock below to put it on sale.",
  saved: "Your changes were saved.",
  deactivated: "The product was taken off sale.",
  stock: "The stock level was saved.",
};

export const ADMIN_PAGE_SIZE = 50;

export async function adminHome(req: WebRequest<unknown>): Promise<Reply> {
  requireAdmin(req);
  return { redirect: "/admin/products" };
}

export async function adminProducts(req: WebRequest<{ page?: string; notice?: string }>): Promise<Reply> {
  requireAdmin(req);
  const products = await call(req.ctx, "catalog.list", {
    page: pageNumber(req.params.page),
    pageSize: ADMIN_PAGE_SIZE,
    sort: "-createdAt",
  });
  return { view: adminProductsView(req.chrome, products, NOTICES[req.params.notice ?? ""]) };
}

export async function adminNewProduct(req: WebRequest<unknown>): Promise<Reply> {
  requireAdmin(req);
  return { view: productFormView(req.chrome, null, { currency: "EUR" }) };
}

/** The catalog's own refusals (a taken SKU, a field it rejects), in words. */
function catalogProblems(err: unknown): string[] | null {
  const e = err as { code?: number; data?: unknown };
  if (e.code === 409) return ["Another product has this SKU."];
  if (e.code === 422) {
    const fields = Array.isArray(e.data) ? e.data.map((d: { field?: string }) => d.field).filter(Boolean) : [];
    return [
      fields.length ? `The catalog refused these fields: ${fields.join(", ")}.` : "The catalog refused the form.",
    ];
  }
  return null;
}

export async function adminCreateProduct(req: WebRequest<ProductFormFields>): Promise<Reply> {
  requireAdmin(req);
  const parsed = parseProductForm(req.params);
  if (!parsed.ok) return { view: productFormView(req.chrome, null, req.params, parsed.errors, 422) };
  try {
    const created = await call(req.ctx, "catalog.create", parsed.product);
    // Inventory gives a new product its initial stock when it hears of it (INVENTORY_INITIAL_STOCK: some in
    // dev, none in production); ask to set the stock only when the product is not already for sale.
    const product = await call(req.ctx, "catalog.get", { id: created.id }).catch(() => created);
    const stocked = typeof product.available === "number" && product.available > 0;
    return { redirect: `/admin/products?notice=${stocked ? "created" : "created-unstocked"}` };
  } catch (err) {
    const problems = catalogProblems(err);
    if (!problems) throw err;
    return { view: productFormView(req.chrome, null, req.params, problems, (err as { code: number }).code) };
  }
}

export async function adminEditProduct(req: WebRequest<{ id: string }>): Promise<Reply> {
  requireAdmin(req);
  const product = await call(req.ctx, "catalog.get", { id: req.params.id }).catch(notFoundIfInvalid);
  return { view: productFormView(req.chrome, product, productFormFrom(product)) };
}

export async function adminUpdateProduct(req: WebRequest<ProductFormFields & { id: string }>): Promise<Reply> {
  requireAdmin(req);
  const product = await call(req.ctx, "catalog.get", { id: req.params.id }).catch(notFoundIfInvalid);
  const parsed = parseProductForm(req.params);
  if (!parsed.ok) return { view: productFormView(req.chrome, product, req.params, parsed.errors, 422) };
  try {
    await call(req.ctx, "catalog.update", { id: product.id, ...productPatch(product, parsed.product) });
  } catch (err) {
    const problems = catalogProblems(err);
    if (!problems) throw err;
    return { view: productFormView(req.chrome, product, req.params, problems, (err as { code: number }).code) };
  }
  return { redirect: "/admin/products?notice=saved" };
}

export async function adminDeactivateProduct(req: WebRequest<{ id: string }>): Promise<Reply> {
  requireAdmin(req);
  await call(req.ctx, "catalog.update", { id: req.params.id, active: false }).catch(notFoundIfInvalid);
  return { redirect: "/admin/products?notice=deactivated" };
}

export async function adminSetStock(req: WebRequest<{ productId: string; quantity?: string }>): Promise<Reply> {
  requireAdmin(req);
  const quantity = Number(req.params.quantity);
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > 1_000_000) return { view: badRequestView() };
  await call(req.ctx, "inventory.set", { productId: req.params.productId, quantity }).catch(notFoundIfInvalid);
  return { redirect: "/admin/products?notice=stock" };
}

export async function adminOrders(req: WebRequest<{ page?: string }>): Promise<Reply> {
  requireAdmin(req);
  const orders = await call(req.ctx, "orders.listAll", { page: pageNumber(req.params.page), pageSize: 50 });
  return { view: adminOrdersView(orders, await customerEmails(req, orders.rows)) };
}

/** Each order's customer by email; without the users service the list still shows, with id prefixes. */
async function customerEmails(req: WebRequest<unknown>, orders: { userId: string }[]): Promise<Map<string, string>> {
  const ids = [...new Set(orders.map((o) => o.userId))];
  if (ids.length === 0) return new Map();
  try {
    const contacts = await call(req.ctx, "users.lookup", { ids });
    return new Map(contacts.map((c) => [c.id, c.email]));
  } catch (err) {
    req.ctx.service?.logger.warn("Customers not looked up:", (err as Error).message);
    return new Map();
  }
}
