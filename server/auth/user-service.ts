import { parseRole } from "../../lib/shared/stored";
import {
  changePasswordSchema,
  createUserSchema,
  loginSchema,
  resetPasswordSchema,
  updateUserSchema,
  type UserView,
} from "../../lib/shared/protocol";
import type { User } from "../../generated/prisma/client";
import type { AuditLog } from "../audit/audit-log";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, forbidden, notFound, parseInput, throttled, unauthenticated } from "../errors";
import type { EventBus } from "../events";
import { logger } from "../log";
import { generatePassword, hashPassword, verifyDecoy, verifyPassword } from "./passwords";
import { quotaOf, usageOf } from "./quotas";
import { createSession, endSession, type SessionUser } from "./sessions";
import { LoginThrottle } from "./throttle";

const log = logger("users");

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** Accounts: sign-in and sessions, the first admin, and what admins do to users. */
export class UserService {
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
  ) {}

  async view(u: User): Promise<UserView> {
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: parseRole(u.role),
      disabled: u.disabled,
      createdAt: u.createdAt.toISOString(),
      quota: quotaOf(this.config, u),
      usage: await usageOf(this.config, this.db, u.id),
    };
  }

  /**
   * On first start, the admin account: its password from CORRAL_ADMIN_PASSWORD, or
   * generated and printed once to the daemon's log. There is never a default password.
   */
  async ensureInitialAdmin(): Promise<void> {
    if (await this.db.user.count({ where: { role: "admin" } })) return;
    const { username, password: given } = this.config.admin;
    const password = given ?? generatePassword();
    await this.db.user.create({ data: { username, role: "admin", passwordHash: await hashPassword(password) } });
    await this.audit.record({
      actor: null,
      ip: null,
      action: "user.create",
      target: username,
      outcome: "ok",
      detail: { role: "admin", initial: true },
    });
    if (given) log.info(`initial admin account created: username ${username}, password from CORRAL_ADMIN_PASSWORD`);
    else
      process.stderr.write(
        `\n  Initial admin account: username ${username}, password ${password}\n  (shown once; change it after signing in)\n\n`,
      );
  }

  async login(body: unknown, meta: RequestMeta): Promise<{ token: string; expiresAt: Date; user: UserView }> {
    const { username, password } = parseInput(loginSchema, body);
    const ip = meta.ip ?? "unknown";
    const wait = this.throttle.retryAfterMs(username, ip);
    if (wait > 0) {
      await this.audit.record({
        actor: null,
        ip: meta.ip,
        action: "auth.login",
        target: username,
        outcome: "denied",
        detail: "throttled",
      });
      throw throttled(`Too many failed sign-ins. Try again in ${Math.ceil(wait / 1000)} s.`);
    }
    const user = await this.db.user.findUnique({ where: { username } });
    const ok = user ? await verifyPassword(user.passwordHash, password) : (await verifyDecoy(password), false);
    if (!user || !ok) {
      this.throttle.failed(username, ip);
      await this.audit.record({ actor: null, ip: meta.ip, action: "auth.login", target: username, outcome: "failed" });
      throw unauthenticated("Wrong username or password.");
    }
    if (user.disabled) {
      await this.audit.record({
        actor: user,
        ip: meta.ip,
        action: "auth.login",
        target: username,
        outcome: "denied",
        detail: "disabled",
      });
      throw forbidden("This account is disabled. Ask an admin to enable it.");
    }
    this.throttle.succeeded(username, ip);
    const session = await createSession(this.db, user.id, this.config.sessionMs, meta);
    await this.audit.record({ actor: user, ip: meta.ip, action: "auth.login", target: username, outcome: "ok" });
    return { ...session, user: await this.view(user) };
  }

  async logout(actor: SessionUser, token: string | undefined, meta: RequestMeta): Promise<void> {
    await endSession(this.db, token);
    await this.audit.record({ actor, ip: meta.ip, action: "auth.logout", target: actor.username, outcome: "ok" });
  }

  async me(actor: SessionUser): Promise<UserView> {
    const u = await this.db.user.findUnique({ where: { id: actor.id } });
    if (!u) throw unauthenticated();
    return this.view(u);
  }

  async changeOwnPassword(actor: SessionUser, body: unknown, meta: RequestMeta): Promise<void> {
    const { currentPassword, newPassword } = parseInput(changePasswordSchema, body);
    const u = await this.db.user.findUniqueOrThrow({ where: { id: actor.id } });
    if (!(await verifyPassword(u.passwordHash, currentPassword))) {
      await this.audit.record({ actor, ip: meta.ip, action: "user.password", target: u.username, outcome: "failed" });
      throw forbidden("The current password is wrong.");
    }
    await this.db.user.update({ where: { id: u.id }, data: { passwordHash: await hashPassword(newPassword) } });
    await this.audit.record({ actor, ip: meta.ip, action: "user.password", target: u.username, outcome: "ok" });
  }

  async list(): Promise<UserView[]> {
    const users = await this.db.user.findMany({ orderBy: { username: "asc" } });
    return Promise.all(users.map((u) => this.view(u)));
  }

  async create(actor: SessionUser, body: unknown, meta: RequestMeta): Promise<{ user: UserView; password?: string }> {
    const input = parseInput(createUserSchema, body);
    if (await this.db.user.findUnique({ where: { username: input.username } })) {
      throw conflict(`A user named "${input.username}" already exists.`);
    }
    const password = input.password ?? generatePassword();
    const u = await this.db.user.create({
      data: {
        username: input.username,
        displayName: input.displayName ?? null,
        role: input.role,
        passwordHash: await hashPassword(password),
        ...input.quota,
      },
    });
    await this.audit.record({
      actor,
      ip: meta.ip,
      action: "user.create",
      target: u.username,
      outcome: "ok",
      detail: { role: u.role, quota: input.quota ?? null },
    });
    return { user: await this.view(u), ...(input.password ? {} : { password }) };
  }

  async update(actor: SessionUser, id: string, body: unknown, meta: RequestMeta): Promise<UserView> {
    const input = parseInput(updateUserSchema, body);
    const u = await this.db.user.findUnique({ where: { id } });
    if (!u) throw notFound("No such user.");
    const losesAdmin = u.role === "admin" && ((input.role && input.role !== "admin") || input.disabled === true);
    if (losesAdmin && (await this.db.user.count({ where: { role: "admin", disabled: false } })) <= 1) {
      throw conflict("This is the last enabled admin; make another admin first.");
    }
    const updated = await this.db.user.update({
      where: { id },
      data: { displayName: input.displayName, role: input.role, disabled: input.disabled, ...input.quota },
    });
    if (input.disabled === true || (input.role && input.role !== u.role)) {
      await this.db.session.deleteMany({ where: { userId: id } });
      this.bus.emit("user:signed-out", { userId: id });
    }
    await this.audit.record({
      actor,
      ip: meta.ip,
      action: "user.update",
      target: u.username,
      outcome: "ok",
      detail: input,
    });
    return this.view(updated);
  }

  async resetPassword(
    actor: SessionUser,
    id: string,
    body: unknown,
    meta: RequestMeta,
  ): Promise<{ password?: string }> {
    const input = parseInput(resetPasswordSchema, body);
    const u = await this.db.user.findUnique({ where: { id } });
    if (!u) throw notFound("No such user.");
    const password = input.password ?? generatePassword();
    await this.db.user.update({ where: { id }, data: { passwordHash: await hashPassword(password) } });
    await this.db.session.deleteMany({ where: { userId: id } });
    this.bus.emit("user:signed-out", { userId: id });
    await this.audit.record({ actor, ip: meta.ip, action: "user.password-reset", target: u.username, outcome: "ok" });
    return input.password ? {} : { password };
  }
}
