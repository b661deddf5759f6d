import { bool, int, string } from "./variable";

/** Where services keep their data (mixins/db.mixin.ts). */
export const storeVariables = {
  MONGO_URI: string({ doc: "use MongoDB; each service gets its own database `<NAMESPACE>_<service>`" }),
  MONGO_CONNECT_TIMEOUT_MS: int({
    default: 10_000,
    min: 1,
    doc: "a node whose MongoDB does not answer (connect, handshake, server selection) within this exits with code 1",
  }),
  DATA_DIR: string({
    // Tests keep their stores in memory unless a suite asks for files.
    default: (mode) => (mode.test ? ":memory:" : "data"),
    defaultDoc: "`./data` (`:memory:` under jest)",
    doc: "NeDB files (`<collection>.db`); `:memory:` keeps data in memory",
  }),
  DATA_SYNC: bool({
    default: false,
    doc: "embedded store: fdatasync before acknowledging a write (survives power loss, not only a killed process)",
  }),
};
