/** Where the external services of these machines are, and whether a suite must fail (not skip) without them. */
export const requireServices = (): boolean => process.env.TESSERA_REQUIRE_SERVICES === '1';
export const postgresUrl = (): string => process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const redisUrl = (): string => process.env.TESSERA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
