/** Key builders: each kind of item owns its key shape, so no key string is spelled out twice. */
export const signRequestKey = (id: string) => ({ pk: `SR#${id}`, sk: 'META' });
export const appTokenKey = (tokenHash: string) => ({ pk: `APPTOKEN#${tokenHash}`, sk: 'META' });
export const requestCounterKey = (appId: string) => ({ pk: `APP#${appId}`, sk: 'COUNTER' });
export const appRequestsIndexKey = (appId: string, createdAt: string, id: string) => ({
  gsi1pk: `APP#${appId}`,
  gsi1sk: `${createdAt}#${id}`,
});
