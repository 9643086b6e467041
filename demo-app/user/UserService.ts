import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { Logged, Metered, Traced, type Observability } from '../../index';
import { HttpError } from '../shared/HttpError';
import type { DocumentStore } from '../shared/storage/DocumentStore';

/** A registered customer. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly createdAt: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/** Customers: registration and lookup. */
export class UserService {
  private readonly registrations: Counter | undefined;

  constructor(
    private readonly users: DocumentStore<User>,
    obs: Observability,
  ) {
    this.registrations = obs.metrics?.define.counter({
      name: 'customer_registrations_total',
      help: 'Customers registered.',
    });
  }

  @Traced()
  @Metered()
  @Logged()
  async register(input: { email?: unknown; name?: unknown }): Promise<User> {
    const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!EMAIL.test(email)) throw new HttpError(400, 'email must be an e-mail address');
    if (name.length < 1 || name.length > 100) throw new HttpError(400, 'name must be 1 to 100 characters');
    if (await this.users.findBy('email', email))
      throw new HttpError(409, 'a customer with this email exists');
    const user: User = { id: randomUUID(), email, name, createdAt: new Date().toISOString() };
    // Two concurrent registrations of one email can both pass the check above; a real
    // service would add a unique index on email. The demo's traffic never does that.
    await this.users.insert(user);
    this.registrations?.inc();
    return user;
  }

  @Traced()
  @Metered()
  @Logged()
  async get(id: string): Promise<User> {
    const user = await this.users.get(id);
    if (!user) throw new HttpError(404, 'no such customer');
    return user;
  }
}
