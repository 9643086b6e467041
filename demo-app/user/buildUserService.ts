import type { ServiceContext, ServiceParts } from '../shared/startService';
import { UserService, type User } from './UserService';

/** user-service: POST /users registers a customer, GET /users/:id reads one. */
export function buildUserService({ storage }: ServiceContext): ServiceParts {
  const users = storage.collection<User>('users');
  return {
    async mount(app, obs) {
      await users.init();
      const service = new UserService(users, obs);
      app.post('/users', async (req, res) => {
        res.status(201).json(await service.register(req.body ?? {}));
      });
      app.get('/users/:id', async (req, res) => {
        res.json(await service.get(req.params.id));
      });
    },
  };
}
