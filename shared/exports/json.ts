// The JSON export is the API's listing body, so a saved file and a fetched response are the same.

import type { ActionList, ActionRecord } from '../api/actions.js';

export function actionsToJson(actions: readonly ActionRecord[]): string {
  const body: ActionList = { items: [...actions] };
  return JSON.stringify(body, null, 2) + '\n';
}
