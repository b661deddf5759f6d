import { ServiceBroker, type Service } from "moleculer";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { newId } from "../../platform/core/ids";
import { DocStore, type StoredDoc } from "../../platform/store/doc-store";

/** dbMixin's `indexes` option: the collection's indexes exist once the service has started (NeDB in memory). */
describe("dbMixin indexes", () => {
  const broker = new ServiceBroker({ logger: false });
  let docs: DocStore<StoredDoc & { email: string }>;

  beforeAll(async () => {
    const service = broker.createService({
      name: "indexed",
      mixins: [dbMixin({ service: "indexed", collection: "indexed", indexes: [{ field: "email", unique: true }] })],
    }) as Service & DbMethods;
    await broker.start();
    docs = new DocStore(service.adapter);
  });
  afterAll(() => broker.stop());

  it("creates the unique index it lists", async () => {
    expect(await docs.insert({ _id: newId(), email: "a@example.com" })).toBe(true);
    expect(await docs.insert({ _id: newId(), email: "a@example.com" })).toBe(false);
    expect(await docs.insert({ _id: newId(), email: "b@example.com" })).toBe(true);
    expect(await docs.count({})).toBe(2);
  });
});
