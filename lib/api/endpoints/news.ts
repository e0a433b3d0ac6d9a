// Comet's news and bulletins (issue 19): news items shown to an organization's admins and users
// (admin/news/*, user/web/news/get-all), and email bulletins to every user (admin/bulletin/submit, sent by a
// BullMQ job through lib/email). Domain: lib/news/.
import { listNews } from '../../news/list-news';
import { removeNews } from '../../news/remove-news';
import { submitBulletin } from '../../news/submit-bulletin';
import { submitNews } from '../../news/submit-news';
import { OK } from './ok';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const newsEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/news/get-all',
    method: 'AdminNewsGetAll',
    summary: "News items of the admin's organization (every organization's for a top-level admin): GUID -> NewsEntry",
    auth: 'admin',
    params: {},
    returns: 'NewsEntries',
    handler: ({ actor }) => listNews({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/news/submit',
    method: 'AdminNewsSubmit',
    summary: "Add a news item to the admin's own organization",
    auth: 'admin',
    params: { NewsContent: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await submitNews({ actor, content: params.NewsContent });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/news/remove',
    method: 'AdminNewsRemove',
    summary: 'Remove a news item by its GUID',
    auth: 'admin',
    params: { NewsItem: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await removeNews({ actor, newsId: params.NewsItem });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/bulletin/submit',
    method: 'AdminBulletinSubmit',
    summary: 'Email a bulletin to every user the admin may reach (queued; sent by the workers)',
    auth: 'admin',
    params: { Subject: p.string(), Content: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await submitBulletin({ actor, subject: params.Subject, content: params.Content });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/user/web/news/get-all',
    method: 'UserWebNewsGetAll',
    summary: "News items of the user's organization: GUID -> NewsEntry",
    auth: 'user',
    params: {},
    returns: 'NewsEntries',
    handler: ({ actor }) => listNews({ actor }),
  }),
];
