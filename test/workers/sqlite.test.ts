/** `tessera serve --workers 2` on SQLite: changes relayed between the workers through the primary (cluster IPC). */
import { workerCases } from './cases.js';

workerCases('sqlite');
