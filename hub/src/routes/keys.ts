/**
 * Release public keys: list them (agents and operators may fetch the public part), register
 * the first one, or a rotated one with an announcement signed by the key it replaces.
 */
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { releaseServices } from '../releases/index.js';
import { ListOf, Ms, Nullable, withErrors } from './schemas.js';
import { actorOf, type RouteModule } from './types.js';

const ReleaseKey = Type.Object({
  keyId: Type.String(),
  publicKey: Type.String({ description: 'ed25519:<base64url raw key>' }),
  validUntil: Nullable(Ms),
  createdAt: Ms,
  announcement: Nullable(Type.Unknown()),
});
const AddKey = Type.Object(
  {
    publicKey: Type.Optional(Type.String({ maxLength: 200, description: 'the first key: output of `ledwatch-hub keys generate`' })),
    announcement: Type.Optional(Type.Unknown({ description: 'a rotated key: output of `ledwatch-hub keys rotate`' })),
  },
  { additionalProperties: false },
);

export const keyRoutes: RouteModule = (app, ctx) => {
  const { keys } = releaseServices(ctx);
  const tags = ['releases'];

  app.get('/api/keys', { config: { access: 'read' }, schema: { tags, summary: 'Release public keys agents trust', response: withErrors({ 200: ListOf(ReleaseKey) }) } }, async () => ({
    items: await keys.list(),
  }));

  app.post(
    '/api/keys',
    { config: { access: 'admin' }, schema: { tags, summary: 'Register the first release public key, or a rotated one with its announcement', body: AddKey, response: withErrors({ 201: ReleaseKey }) } },
    async (req, reply) => {
      const key = await keys.add(req.body);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'release-key.add', entity: 'release-key', entityId: key.keyId, details: { rotation: key.announcement !== null } });
      return reply.code(201).send(key);
    },
  );
};
