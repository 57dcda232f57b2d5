/** API schemas and the types derived from them, shared by server and client. */
export * from './common.js';
export * from './auth.js';
export * from './links.js';
export * from './meetings.js';
export * from './proposals.js';
export * from './actions.js';
export * from './attachments.js';
export * from './versions.js';
export * from './import.js';
