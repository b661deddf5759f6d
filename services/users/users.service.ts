import { Errors } from "moleculer";
import { defineService, usersContract, type AuthResult } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { ConflictError, NotFoundError } from "../../platform/core/errors";
import { callerOf, newUserDoc, normalizeEmail, publicUser, userIdForEmail, type UserDoc } from "./domain/account";
import { adminFromEnv } from "./domain/admin-account";
import { credentialsMatch, hashPassword, prepareDummyHash } from "./domain/password";
import { signToken, tokenSettingsFromEnv, VerifiedTokens, type TokenSettings } from "./domain/tokens";
import { UserStore } from "./store";

interface UsersMethods {
  accounts: UserStore;
  tokens: TokenSettings;
  verifiedTokens: VerifiedTokens;
  admin: { email: string; password: string } | null;
  authResult(doc: UserDoc): Promise<AuthResult>;
  prepareStore(): Promise<void>;
}

const unauthorized = () => new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
const invalidCredentials = () =>
  new Errors.MoleculerClientError("Invalid email or password", 401, "INVALID_CREDENTIALS");
const emailTaken = () => new ConflictError("This email is already registered");

/**
 * User accounts and authentication. Password hashes stay inside this service:
 * every result is built by publicUser(), an allow-list of fields.
 */
export default defineService<DbMethods & UsersMethods>()(usersContract, {
  mixins: [dbMixin({ service: "users", collection: "users" })],

  settings: {
    rest: "/",
  },

  actions: {
    register: {
      rest: "POST /auth/register",
      auth: "public",
      restStatus: 201,
      async handler(ctx) {
        const email = normalizeEmail(ctx.params.email);
        const id = userIdForEmail(email);
        // The same request again (retried after its node died): answered as the first time, if
        // the password matches too; any other registration of a taken email is a conflict.
        const repeated = async (doc: UserDoc | null) => {
          if (!doc?.registeredBy || doc.registeredBy !== ctx.requestID) return false;
          return credentialsMatch(doc, email, ctx.params.password);
        };
        const registered = (doc: UserDoc) => {
          ctx.meta.$location = "/api/v1/me";
          return this.authResult(doc);
        };
        // Saves a hash for the common case; the insert below is what decides a race.
        const existing = await this.accounts.get(id);
        if (existing) {
          if (await repeated(existing)) return registered(existing);
          throw emailTaken();
        }
        const passwordHash = await hashPassword(ctx.params.password);
        const doc = newUserDoc({
          email,
          name: ctx.params.name,
          role: "customer",
          passwordHash,
          registeredBy: ctx.requestID ?? null,
        });
        if (await this.accounts.insert(doc)) return registered(doc);
        const raced = await this.accounts.get(id);
        if (raced && (await repeated(raced))) return registered(raced);
        throw emailTaken();
      },
    },

    login: {
      rest: "POST /auth/login",
      auth: "public",
      async handler(ctx) {
        const email = normalizeEmail(ctx.params.email);
        const doc = await this.accounts.get(userIdForEmail(email));
        const ok = await credentialsMatch(doc, email, ctx.params.password);
        if (!doc || !ok) throw invalidCredentials();
        return this.authResult(doc);
      },
    },

    me: {
      rest: "GET /me",
      auth: "customer",
      async handler(ctx) {
        // Never trust that the call came through the gateway.
        const caller = ctx.meta.user;
        if (!caller) throw unauthorized();
        const doc = await this.accounts.get(caller.id);
        if (!doc) throw new NotFoundError("User", caller.id);
        return publicUser(doc);
      },
    },

    resolveToken: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        const id = await this.verifiedTokens.verify(ctx.params.token);
        const doc = id ? await this.accounts.get(id) : null;
        return doc ? callerOf(publicUser(doc)) : null;
      },
    },

    get: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        const doc = await this.accounts.get(ctx.params.id);
        if (!doc) throw new NotFoundError("User", ctx.params.id);
        return publicUser(doc);
      },
    },

    // The admin's order list names each order's customer (the storefront's admin pages call it as the admin).
    lookup: {
      visibility: "public",
      auth: "admin",
      async handler(ctx) {
        const docs = await this.accounts.getMany(ctx.params.ids);
        return docs.map((doc) => {
          const { id, email, name } = publicUser(doc);
          return { id, email, name };
        });
      },
    },
  },

  methods: {
    async authResult(doc: UserDoc): Promise<AuthResult> {
      return { user: publicUser(doc), token: await signToken(doc._id, this.tokens) };
    },

    /**
     * Runs once the store is connected. Creates the admin account from
     * ADMIN_EMAIL / ADMIN_PASSWORD once; a restart finds it and changes nothing.
     */
    async prepareStore(): Promise<void> {
      await prepareDummyHash();
      if (!this.admin) return;
      const existing = await this.accounts.get(userIdForEmail(this.admin.email));
      if (existing) {
        if (existing.role !== "admin") {
          // Promoting it would hand admin rights to whoever registered the address first.
          this.logger.warn("ADMIN_EMAIL belongs to an existing customer account; it was not made an admin.");
        }
        return;
      }
      const passwordHash = await hashPassword(this.admin.password);
      const doc = newUserDoc({ email: this.admin.email, name: "Admin", role: "admin", passwordHash });
      // false: another users node created it at the same moment.
      if (await this.accounts.insert(doc)) this.logger.info("Created the admin account from ADMIN_EMAIL.");
    },
  },

  created() {
    // Begun now, on libuv's thread pool, so it overlaps the loading of the other modules and the broker's
    // wait after connecting; prepareStore awaits the same promise (and sees its error, if any).
    prepareDummyHash().catch(() => undefined);
    this.accounts = new UserStore(this.adapter);
    this.tokens = tokenSettingsFromEnv((message) => this.logger.warn(message));
    this.verifiedTokens = new VerifiedTokens(this.tokens);
    this.admin = adminFromEnv();
  },
});
