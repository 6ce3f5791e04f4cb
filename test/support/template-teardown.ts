/** Jest globalTeardown of the api and reliability projects (template-setup.ts). */
export { teardown as default } from './template-setup.js';
