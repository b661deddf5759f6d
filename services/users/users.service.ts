import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Errors } from "moleculer";
import type { AuthResult, Caller, User } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { ConflictError, isDuplicateKeyError, NotFoundError } from "../../platform/core/errors";
import { adminFromEnv } from "./admin-bootstrap";
import { hashPassword, prepareDummyHash, verifyAgainstDummy, verifyPassword } from "./password";
import { signToken, tokenSettingsFromEnv, verifyToken, type TokenSettings } from "./tokens";
import { callerOf, newUserDoc, normalizeEmail, publicUser, userIdForEmail, type UserDoc } from "./user.rules";
import { getParams, loginParams, meParams, registerParams, resolveTokenParams } from "./users.params";

interface UsersThis extends DbMethods {
  tokens: TokenSettings;
  admin: { email: string; password: string } | null;
  logger: { info(m: string): void; warn(m: string): void };
  findUser(id: string): Promise<UserDoc | null>;
  insertUser(doc: UserDoc): Promise<UserDoc>;
  authResult(doc: UserDoc): Promise<AuthResult>;
  prepareStore(): Promise<void>;
}

type Meta = { user?: Caller | null; $location?: string };

const invalidCredentials = () =>
  new Errors.MoleculerClientError("Invalid email or password", 401, "INVALID_CREDENTIALS");

/**
 * User accounts and authentication. Password hashes stay inside this service:
 * every result is built by publicUser(), an allow-list of fields.
 */
const UsersService: ServiceSchema<ServiceSettingSchema, UsersThis> = {
  name: "users",
  mixins: [dbMixin({ service: "users", collection: "users" })],

  settings: {
    rest: "/",
  },

  actions: {
    register: {
      rest: "POST /auth/register",
      auth: "public",
      restStatus: 201,
      params: registerParams,
      async handler(ctx: Context<{ email: string; password: string; name: string }, Meta>): Promise<AuthResult> {
        const email = normalizeEmail(ctx.params.email);
        // Saves a hash for the common case; the insert below is what decides a race.
        if (await this.findUser(userIdForEmail(email))) throw new ConflictError("This email is already registered");
        const passwordHash = await hashPassword(ctx.params.password);
        const doc = await this.insertUser(newUserDoc({ email, name: ctx.params.name, role: "customer", passwordHash }));
        ctx.meta.$location = "/api/v1/me";
        return this.authResult(doc);
      },
    },

    login: {
      rest: "POST /auth/login",
      auth: "public",
      params: loginParams,
      async handler(ctx: Context<{ email: string; password: string }>): Promise<AuthResult> {
        const email = normalizeEmail(ctx.params.email);
        const doc = await this.findUser(userIdForEmail(email));
        const ok =
          doc && doc.email === email
            ? await verifyPassword(doc.passwordHash, ctx.params.password)
            : await verifyAgainstDummy(ctx.params.password);
        if (!doc || !ok) throw invalidCredentials();
        return this.authResult(doc);
      },
    },

    me: {
      rest: "GET /me",
      auth: "customer",
      params: meParams,
      async handler(ctx: Context<unknown, Meta>): Promise<User> {
        // Never trust that the call came through the gateway.
        const caller = ctx.meta.user;
        if (!caller) throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
        const doc = await this.findUser(caller.id);
        if (!doc) throw new NotFoundError("User", caller.id);
        return publicUser(doc);
      },
    },

    resolveToken: {
      visibility: "public",
      params: resolveTokenParams,
      async handler(ctx: Context<{ token: string }>): Promise<Caller | null> {
        const id = await verifyToken(ctx.params.token, this.tokens);
        const doc = id ? await this.findUser(id) : null;
        return doc ? callerOf(publicUser(doc)) : null;
      },
    },

    get: {
      visibility: "public",
      params: getParams,
      async handler(ctx: Context<{ id: string }>): Promise<User> {
        const doc = await this.findUser(ctx.params.id);
        if (!doc) throw new NotFoundError("User", ctx.params.id);
        return publicUser(doc);
      },
    },
  },

  methods: {
    async findUser(id: string): Promise<UserDoc | null> {
      const doc = (await this.adapter.findById(id)) as (UserDoc & { _id: unknown }) | null;
      // MongoDB returns an ObjectId; everyone else works with the hex string.
      return doc ? { ...doc, _id: String(doc._id) } : null;
    },

    async insertUser(doc: UserDoc): Promise<UserDoc> {
      try {
        await this.adapter.insert(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new ConflictError("This email is already registered");
        throw err;
      }
      return doc;
    },

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
      const id = userIdForEmail(this.admin.email);
      const existing = await this.findUser(id);
      if (existing) {
        if (existing.role !== "admin") {
          // Promoting it would hand admin rights to whoever registered the address first.
          this.logger.warn("ADMIN_EMAIL belongs to an existing customer account; it was not made an admin.");
        }
        return;
      }
      const passwordHash = await hashPassword(this.admin.password);
      try {
        await this.adapter.insert(newUserDoc({ email: this.admin.email, name: "Admin", role: "admin", passwordHash }));
        this.logger.info("Created the admin account from ADMIN_EMAIL.");
      } catch (err) {
        // Another users node created it at the same moment.
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
  },

  created() {
    this.tokens = tokenSettingsFromEnv((message) => this.logger.warn(message));
    this.admin = adminFromEnv();
  },
};

export default UsersService;
