/** `tessera serve --workers 2` on PostgreSQL: the workers tell each other through LISTEN/NOTIFY, like separate nodes. */
import { needPostgres } from '../multinode/support.js';
import { workerCases } from './cases.js';

if (await needPostgres('workers on PostgreSQL')) workerCases('postgres');
